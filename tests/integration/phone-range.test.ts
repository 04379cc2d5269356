import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "#db/client.server";
import { auditLog, type Service, type Tenant, type Venue } from "#db/schema/index";
import { bookSlot } from "~/features/reservations/booking.server";
import { bookByPhone } from "~/features/phone-booking/phone-booking.server";
import {
  NAME_NOT_FOUND,
  NAME_THROTTLED,
  normaliseName,
  searchHoldersByName,
} from "~/features/phone-booking/name-search.server";
import { nameSearchSchema } from "~/features/phone-booking/phone-booking.schemas";
import { loadPhonePage, rangeOf } from "~/features/phone-booking/phone-page.server";
import { openSlotsInRange } from "~/features/phone-booking/slots.server";
import { closeSlots } from "~/features/slots/slot-close.server";
import { addDays, tokyoDateOf, tokyoInstant } from "~/lib/japan-time";
import { closeRedis } from "~/lib/redis.server";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

const dbs = testDbs();
const today = tokyoDateOf(new Date());
/** A time in Japan `days` from today. */
const at = (days: number, time: string) => tokyoInstant(addDays(today, days), time);

let city: Tenant;
let other: Tenant;
let service: Service;
let hall: Venue;
let gym: Venue;
let operator: Awaited<ReturnType<typeof makeStaff>>;

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "範囲検索テスト市" });
  other = await makeTenant(dbs.appDb, { name: "範囲検索となり町" });
  service = await makeService(dbs.appDb, city.id, { doses: 2, minIntervalDays: 21 });
  hall = await makeVenue(dbs.appDb, city.id, { name: "中央会館" });
  gym = await makeVenue(dbs.appDb, city.id, { name: "市民体育館" });
  operator = await makeStaff(dbs.appDb, { tenantId: city.id, role: "operator" });
});
afterAll(async () => {
  await closeRedis();
  await closeDb();
  await dbs.close();
});

const staff = () => ({ staffUserId: operator.user.id, ip: "203.0.113.9" });

describe("availability over a range of days", () => {
  it("lists only open, future slots with phone room in the range, earliest first, never another city's", async () => {
    const slot = (days: number, time: string, venue = hall, caps: { web?: number; phone?: number } = {}) =>
      makeSlot(dbs.appDb, city.id, {
        venueId: venue.id,
        serviceId: service.id,
        startsAt: at(days, time),
        webCapacity: caps.web ?? 10,
        phoneCapacity: caps.phone ?? 2,
      });
    const later = await slot(3, "10:00");
    const earliest = await slot(2, "14:00", gym);
    const sameTimeHall = await slot(2, "14:00", hall);
    const webOnlyFull = await slot(2, "09:30", hall, { web: 0, phone: 2 }); // web full, phone free: shown
    const phoneOnly0 = await slot(2, "10:00", hall, { web: 10, phone: 0 }); // no phone seats: hidden
    const phoneFull = await slot(2, "11:00", hall, { phone: 1 });
    const closed = await slot(4, "10:00");
    const outside = await slot(9, "10:00");
    const oneDayAgo = await slot(-1, "10:00");
    const theirVenue = await makeVenue(dbs.appDb, other.id, { name: "となり町会館" });
    const theirService = await makeService(dbs.appDb, other.id, { doses: 1 });
    const theirs = await makeSlot(dbs.appDb, other.id, {
      venueId: theirVenue.id,
      serviceId: theirService.id,
      startsAt: at(2, "08:00"),
    });

    const [holder, webHolder] = await makeTicketHolders(dbs.appDb, city.id, [
      { ticketNumber: "8100000001", birthDate: "1950-01-01" },
      { ticketNumber: "8100000002", birthDate: "1950-01-02" },
    ]);
    // The phone quota fills by a real phone booking; a web booking elsewhere leaves phone seats alone.
    const full = await bookByPhone(dbs.appDb, {
      tenantId: city.id,
      holderId: holder!.id,
      slotId: phoneFull.id,
      name: "電話 一郎",
      phone: "073-000-0001",
      email: "",
      proxyNote: "",
      idempotencyKey: crypto.randomUUID(),
      ...staff(),
    });
    expect(full.ok).toBe(true);
    const web = await bookSlot(dbs.appDb, {
      tenantId: city.id,
      slotId: later.id,
      ticketHolderId: webHolder!.id,
      channel: "web",
      contact: { name: "ウェブ 花子", phone: "073-000-0002", email: "" },
      idempotencyKey: crypto.randomUUID(),
    });
    expect(web.ok).toBe(true);
    const closing = await closeSlots(dbs.appDb, city.id, { kind: "slot", slotId: closed.id }, "会場の都合", staff());
    expect(closing.ok).toBe(true);

    const found = await openSlotsInRange(dbs.appDb, {
      tenantId: city.id,
      from: addDays(today, -1),
      to: addDays(today, 6),
      quota: "phone",
    });
    const ids = found.map((s) => s.id);
    expect(ids).toHaveLength(4);
    expect(ids[0]).toBe(webOnlyFull.id);
    expect(ids.slice(1, 3).sort()).toEqual([earliest.id, sameTimeHall.id].sort());
    expect(ids[3]).toBe(later.id);
    for (const hidden of [phoneOnly0, phoneFull, closed, outside, oneDayAgo, theirs])
      expect(ids).not.toContain(hidden.id);
    expect(found.find((s) => s.id === later.id)).toMatchObject({ webBooked: 1, phoneBooked: 0, venueName: "中央会館" });

    // One venue only, and the other city sees none of these.
    const atGym = await openSlotsInRange(dbs.appDb, {
      tenantId: city.id,
      from: today,
      to: addDays(today, 6),
      venueId: gym.id,
      quota: "phone",
    });
    expect(atGym.map((s) => s.id)).toEqual([earliest.id]);
    const asOther = await openSlotsInRange(dbs.appDb, {
      tenantId: other.id,
      from: today,
      to: addDays(today, 6),
      quota: "phone",
    });
    expect(asOther.map((s) => s.id)).toEqual([theirs.id]);
  });

  it("defaults to 7 days from today and refuses a reversed or over-long range with a message", () => {
    expect(rangeOf({}, today)).toEqual({ from: today, to: addDays(today, 6), error: null });
    expect(rangeOf({ from: addDays(today, -3) }, today).from).toBe(today);
    expect(rangeOf({ from: addDays(today, 5), to: addDays(today, 1) }, today).error).toMatch(/終了日は開始日/);
    expect(rangeOf({ from: today, to: addDays(today, 31) }, today).error).toMatch(/31日分まで/);
    expect(rangeOf({ from: today, to: addDays(today, 30) }, today).error).toBeNull();
  });

  it("the page shows the range for the caller on screen", async () => {
    const [holder] = await makeTicketHolders(dbs.appDb, city.id, [
      { ticketNumber: "8100000003", birthDate: "1950-01-03" },
    ]);
    const page = await loadPhonePage(dbs.appDb, {
      tenantId: city.id,
      picker: { holder: holder!.id, from: addDays(today, 3), to: addDays(today, 3) },
      ...staff(),
    });
    expect(page.range).toEqual({ from: addDays(today, 3), to: addDays(today, 3), error: null });
    expect(page.slots?.every((s) => tokyoDateOf(s.startsAt) === addDays(today, 3))).toBe(true);
    expect(page.slots?.length).toBeGreaterThan(0);
  });
});

describe("finding a caller by name and birth date", () => {
  async function auditRows() {
    return dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, "reservation.holder.search_name")));
  }

  it("normalises width, spaces and katakana/hiragana", () => {
    expect(normaliseName("ヤマダ　タロウ")).toBe(normaliseName("やまだ たろう"));
    expect(normaliseName("ﾔﾏﾀﾞ ﾀﾛｳ")).toBe(normaliseName("やまだたろう"));
    expect(normaliseName("Ｙａｍａｄａ")).toBe("yamada");
    expect(normaliseName("山田 太郎")).not.toBe(normaliseName("山田 次郎"));
    const parsed = nameSearchSchema.safeParse({ name: " ", birthYear: "昭和25", birthMonth: "1", birthDay: "1" });
    expect(parsed.success).toBe(false);
  });

  it("finds the holder whose booking carries the name, shows last digits only, and audits every search", async () => {
    const slot = await makeSlot(dbs.appDb, city.id, {
      venueId: hall.id,
      serviceId: service.id,
      startsAt: at(5, "10:00"),
    });
    const [caller, twin] = await makeTicketHolders(dbs.appDb, city.id, [
      { ticketNumber: "8200000001", birthDate: "1941-02-15" },
      { ticketNumber: "8200000002", birthDate: "1941-02-16" },
    ]);
    for (const [h, key] of [
      [caller!, "a"],
      [twin!, "b"],
    ] as const) {
      const r = await bookSlot(dbs.appDb, {
        tenantId: city.id,
        slotId: slot.id,
        ticketHolderId: h.id,
        channel: "web",
        contact: { name: "ヤマモト ハナ", phone: "0736-11-2233", email: "" },
        idempotencyKey: `name-search-${key}`,
      });
      expect(r.ok).toBe(true);
    }
    const before = (await auditRows()).length;
    const hit = await searchHoldersByName(dbs.appDb, {
      tenantId: city.id,
      name: "やまもと　はな",
      birthDate: "1941-02-15",
      ...staff(),
    });
    expect(hit.ok && hit.matches).toEqual([
      expect.objectContaining({ holderId: caller!.id, phoneLast4: "2233", venueName: "中央会館", status: "booked" }),
    ]);
    if (hit.ok) expect(hit.matches[0]!.codeLast4).toHaveLength(4);

    const miss = await searchHoldersByName(dbs.appDb, {
      tenantId: city.id,
      name: "やまもと はな",
      birthDate: "1941-02-17",
      ...staff(),
    });
    expect(miss).toEqual({ ok: false, reason: "none", message: NAME_NOT_FOUND });
    // The other city's staff never find this city's residents.
    const elsewhere = await searchHoldersByName(dbs.appDb, {
      tenantId: other.id,
      name: "やまもと はな",
      birthDate: "1941-02-15",
      staffUserId: operator.user.id,
    });
    expect(elsewhere.ok).toBe(false);

    const rows = (await auditRows()).slice(before);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ actorKind: "staff", actorId: operator.user.id, ip: "203.0.113.9" });
      expect(JSON.stringify(row.detail)).not.toContain("はな");
    }
    expect(rows.map((r) => (r.detail as { matches: number }).matches).sort()).toEqual([0, 1]);
  });

  it("stops a staff member after 20 searches in 15 minutes, and audits the refused one", async () => {
    const busy = await makeStaff(dbs.appDb, { tenantId: city.id, role: "operator" });
    const search = () =>
      searchHoldersByName(dbs.appDb, {
        tenantId: city.id,
        name: "だれか",
        birthDate: "1930-01-01",
        staffUserId: busy.user.id,
      });
    for (let i = 0; i < 20; i++) expect((await search()).ok).toBe(false);
    expect(await search()).toEqual({ ok: false, reason: "throttled", message: NAME_THROTTLED });
    const [last] = (await auditRows()).filter((r) => r.actorId === busy.user.id).slice(-1);
    expect(last?.detail).toMatchObject({ throttled: true, matches: 0 });
  });
});
