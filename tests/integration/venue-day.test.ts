import { and, eq } from "drizzle-orm";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, reservations, slots, type Service, type Slot, type Tenant, type Venue } from "#db/schema/index";
import { bookSlot, type BookingInput } from "~/features/reservations/booking.server";
import { cancelReservation } from "~/features/reservations/change-cancel.server";
import { encodeCsv } from "~/lib/csv.server";
import { venueDayCsv } from "~/features/venue-day/csv";
import { tokyoDateOf } from "~/lib/japan-time";
import { loadVenueDayPage } from "~/features/venue-day/venue-day-page.server";
import {
  ATTENDANCE_MESSAGES,
  exportVenueDay,
  markAttendance,
  viewVenueDay,
} from "~/features/venue-day/venue-day.server";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

const dbs = testDbs();
const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;
// 10:00 (or `hour`) in Japan, `d` days from today.
const inDays = (d: number, hour = 10) => new Date(Math.floor(Date.now() / DAY) * DAY + d * DAY + (hour - 9) * HOUR);
let city: Tenant;
let other: Tenant;
let service: Service;
let venue: Venue;
let otherVenue: Venue;
let nine: Slot;
let ten: Slot;
let operator: Awaited<ReturnType<typeof makeStaff>>;
const ids: Record<string, string> = {};
const date = tokyoDateOf(inDays(4));
const onTheDay = new Date(inDays(4, 15).getTime()); // 15:00 on the day, after the sessions
const dayBefore = new Date(inDays(3, 15).getTime());
const dayAfter = new Date(inDays(5, 9).getTime());

const staff = () => ({ staffUserId: operator.user.id, ip: "203.0.113.9" });

async function book(over: Partial<BookingInput> & Pick<BookingInput, "slotId" | "ticketHolderId">, name: string) {
  // Booked "yesterday", so the slot is still in the future for the engine.
  const r = await bookSlot(
    dbs.appDb,
    {
      tenantId: city.id,
      channel: "web",
      contact: { name, phone: "090-1111-2222", email: "" },
      idempotencyKey: crypto.randomUUID(),
      ...over,
    },
    new Date(Date.now() - DAY),
  );
  if (!r.ok) throw new Error(r.reason);
  return r.reservation.id;
}

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "会場当日テスト市" });
  other = await makeTenant(dbs.appDb);
  service = await makeService(dbs.appDb, city.id, { doses: 2, minIntervalDays: 21 });
  venue = await makeVenue(dbs.appDb, city.id, { name: "市民会館, 本館" });
  otherVenue = await makeVenue(dbs.appDb, city.id, { name: "北公民館" });
  operator = await makeStaff(dbs.appDb, { tenantId: city.id, role: "operator" });
  nine = await makeSlot(dbs.appDb, city.id, { venueId: venue.id, serviceId: service.id, startsAt: inDays(4, 9) });
  ten = await makeSlot(dbs.appDb, city.id, { venueId: venue.id, serviceId: service.id, startsAt: inDays(4, 10) });
  const elsewhere = await makeSlot(dbs.appDb, city.id, {
    venueId: otherVenue.id,
    serviceId: service.id,
    startsAt: inDays(4, 9),
  });
  const nextDay = await makeSlot(dbs.appDb, city.id, {
    venueId: venue.id,
    serviceId: service.id,
    startsAt: inDays(5, 9),
  });
  const h = await makeTicketHolders(
    dbs.appDb,
    city.id,
    ["8000000001", "8000000002", "8000000003", "8000000004", "8000000005", "8000000006"].map((t, i) => ({
      ticketNumber: t,
      birthDate: `195${i}-01-01`,
    })),
  );
  ids.web = await book({ slotId: ten.id, ticketHolderId: h[0]!.id }, "和歌山 一郎");
  ids.line = await book({ slotId: nine.id, ticketHolderId: h[1]!.id, channel: "line" }, "𠮷田 次郎");
  ids.phone = await book(
    { slotId: nine.id, ticketHolderId: h[2]!.id, channel: "phone", proxyNote: "代理予約: 長女が電話" },
    'あい "うえ", お',
  );
  ids.cancelled = await book({ slotId: ten.id, ticketHolderId: h[3]!.id }, "取消 四郎");
  await cancelReservation(
    dbs.appDb,
    { tenantId: city.id, reservationId: ids.cancelled, actor: { kind: "resident" } },
    new Date(Date.now() - DAY),
  );
  ids.elsewhere = await book({ slotId: elsewhere.id, ticketHolderId: h[4]!.id }, "別会場 五郎");
  ids.nextDay = await book({ slotId: nextDay.id, ticketHolderId: h[5]!.id }, "翌日 六子");
});
afterAll(() => dbs.close());

async function auditOf(action: string) {
  return dbs.ownerDb
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, action)));
}
async function reservation(id: string) {
  const [r] = await dbs.ownerDb.select().from(reservations).where(eq(reservations.id, id));
  return r!;
}

describe("the list for a venue and a day", () => {
  it("lists that venue's reservations of that day in time order (cancelled ones marked), and audits the view", async () => {
    const day = await viewVenueDay(dbs.appDb, { tenantId: city.id, venueId: venue.id, date, ...staff() });
    expect(day?.venue.name).toBe("市民会館, 本館");
    expect(day?.rows.map((r) => [r.contactName, r.channel, r.status, r.dose])).toEqual([
      ["𠮷田 次郎", "line", "booked", 1],
      ['あい "うえ", お', "phone", "booked", 1],
      ["和歌山 一郎", "web", "booked", 1],
      ["取消 四郎", "web", "cancelled", 1],
    ]);
    const views = await auditOf("venue-day.view");
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({
      actorKind: "staff",
      actorId: operator.user.id,
      targetType: "venue",
      targetId: venue.id,
      detail: { venueId: venue.id, date, count: 4 },
      ip: "203.0.113.9",
    });
  });

  it("the page shows nothing, and audits nothing, until a venue and a valid date are chosen", async () => {
    const before = (await auditOf("venue-day.view")).length;
    const empty = await loadVenueDayPage(dbs.appDb, { tenantId: city.id, query: {}, ...staff() });
    expect(empty.day).toBeNull();
    expect(empty.errors).toEqual({});
    expect(empty.venues.map((v) => v.name).sort()).toEqual(["市民会館, 本館", "北公民館"].sort());
    const bad = await loadVenueDayPage(dbs.appDb, {
      tenantId: city.id,
      query: { venue: venue.id, date: "2026-02-30" },
      ...staff(),
    });
    expect(bad.errors.date).toBe("日付を正しく選択してください。");
    expect((await auditOf("venue-day.view")).length).toBe(before);
  });

  it("another city sees neither the list nor can mark anything in it", async () => {
    expect(await viewVenueDay(dbs.appDb, { tenantId: other.id, venueId: venue.id, date, ...staff() })).toBeNull();
    const r = await markAttendance(
      dbs.appDb,
      { tenantId: other.id, venueId: venue.id, date, reservationId: ids.web!, mark: "attended", ...staff() },
      onTheDay,
    );
    expect(r).toEqual({ ok: false, message: ATTENDANCE_MESSAGES.notOnList });
    expect((await reservation(ids.web!)).status).toBe("booked");
  });
});

describe("attendance", () => {
  it("marks attended (with the time) and no-show on the day, audits each, and ignores a double click", async () => {
    expect(
      await markAttendance(
        dbs.appDb,
        { tenantId: city.id, venueId: venue.id, date, reservationId: ids.web!, mark: "attended", ...staff() },
        onTheDay,
      ),
    ).toEqual({ ok: true, status: "attended" });
    expect(await reservation(ids.web!)).toMatchObject({ status: "attended", attendedAt: onTheDay });
    expect(
      (
        await markAttendance(
          dbs.appDb,
          { tenantId: city.id, venueId: venue.id, date, reservationId: ids.web!, mark: "attended", ...staff() },
          onTheDay,
        )
      ).ok,
    ).toBe(true);
    expect(
      await markAttendance(
        dbs.appDb,
        { tenantId: city.id, venueId: venue.id, date, reservationId: ids.line!, mark: "no_show", ...staff() },
        onTheDay,
      ),
    ).toEqual({ ok: true, status: "no_show" });
    expect(await reservation(ids.line!)).toMatchObject({ status: "no_show", attendedAt: null });
    const marks = await auditOf("reservation.attendance");
    expect(marks.map((m) => [m.targetId, m.detail])).toEqual([
      [ids.web, { from: "booked", to: "attended", venueId: venue.id, date }],
      [ids.line, { from: "booked", to: "no_show", venueId: venue.id, date }],
    ]);
  });

  it("refuses reservations not on this venue-day, cancelled ones, marks before the day, and re-marks without an undo", async () => {
    const mark = (reservationId: string, m: "attended" | "no_show" | "booked", now: Date, venueId = venue.id) =>
      markAttendance(dbs.appDb, { tenantId: city.id, venueId, date, reservationId, mark: m, ...staff() }, now);
    expect(await mark(ids.elsewhere!, "attended", onTheDay)).toEqual({
      ok: false,
      message: ATTENDANCE_MESSAGES.notOnList,
    });
    expect(await mark(ids.nextDay!, "attended", onTheDay)).toEqual({
      ok: false,
      message: ATTENDANCE_MESSAGES.notOnList,
    });
    expect(await mark(ids.elsewhere!, "attended", onTheDay, otherVenue.id)).toMatchObject({ ok: true }); // right venue: fine
    expect(await mark(ids.cancelled!, "attended", onTheDay)).toEqual({
      ok: false,
      message: ATTENDANCE_MESSAGES.cancelled,
    });
    expect(await mark(ids.phone!, "attended", dayBefore)).toEqual({ ok: false, message: ATTENDANCE_MESSAGES.future });
    expect(await mark(ids.web!, "no_show", onTheDay)).toEqual({
      ok: false,
      message: ATTENDANCE_MESSAGES.alreadyMarked,
    });
  });

  it("undo back to booked works on the day only; a past day may still be marked", async () => {
    const mark = (reservationId: string, m: "attended" | "no_show" | "booked", now: Date) =>
      markAttendance(
        dbs.appDb,
        { tenantId: city.id, venueId: venue.id, date, reservationId, mark: m, ...staff() },
        now,
      );
    expect(await mark(ids.web!, "booked", dayAfter)).toEqual({
      ok: false,
      message: ATTENDANCE_MESSAGES.undoOnlySameDay,
    });
    expect(await mark(ids.web!, "booked", onTheDay)).toEqual({ ok: true, status: "booked" });
    expect(await reservation(ids.web!)).toMatchObject({ status: "booked", attendedAt: null });
    expect(await mark(ids.web!, "attended", dayAfter)).toEqual({ ok: true, status: "attended" });
    expect(
      (await auditOf("reservation.attendance"))
        .filter((a) => a.targetId === ids.web)
        .map((a) => (a.detail as { to: string }).to),
    ).toEqual(["attended", "booked", "attended"]);
  });

  it("an undo of a no-show is refused once the resident has booked the same dose again", async () => {
    const holderId = (await reservation(ids.line!)).ticketHolderId;
    const later = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: inDays(12),
    });
    const rebooked = await bookSlot(dbs.appDb, {
      tenantId: city.id,
      slotId: later.id,
      ticketHolderId: holderId,
      channel: "web",
      contact: { name: "𠮷田 次郎", phone: "090-1111-2222", email: "" },
      idempotencyKey: crypto.randomUUID(),
    });
    expect(rebooked.ok && rebooked.reservation.dose).toBe(1);
    const r = await markAttendance(
      dbs.appDb,
      { tenantId: city.id, venueId: venue.id, date, reservationId: ids.line!, mark: "booked", ...staff() },
      onTheDay,
    );
    expect(r).toEqual({ ok: false, message: ATTENDANCE_MESSAGES.rebooked });
    expect((await reservation(ids.line!)).status).toBe("no_show");
    const [s] = await dbs.ownerDb.select().from(slots).where(eq(slots.id, nine.id));
    expect(s!.webBooked).toBe(1); // marks never move seat counters: the LINE booking still holds its seat
  });
});

describe("export", () => {
  it("is audited with venue, day, count and encoding; the Shift_JIS file decodes to the list", async () => {
    const found = await exportVenueDay(dbs.appDb, {
      tenantId: city.id,
      venueId: venue.id,
      date,
      encoding: "shift_jis",
      ...staff(),
    });
    expect(found?.rows).toHaveLength(4);
    const exports = await auditOf("venue-day.export");
    expect(exports).toHaveLength(1);
    expect(exports[0]).toMatchObject({
      actorId: operator.user.id,
      targetId: venue.id,
      detail: { venueId: venue.id, date, count: 4, encoding: "shift_jis" },
    });

    const { bytes, replaced } = encodeCsv(venueDayCsv(found!.venue.name, date, found!.rows), "shift_jis");
    expect(replaced).toBe(1); // 𠮷 has no Shift_JIS code
    const text = iconv.decode(bytes, "cp932");
    expect(text).toContain('"市民会館, 本館"');
    expect(text).toContain('"あい ""うえ"", お"');
    expect(text).toContain("〓田 次郎");
    expect(text).toContain("代理予約: 長女が電話");
    expect(text.endsWith("\r\n")).toBe(true);

    const utf8 = encodeCsv(venueDayCsv(found!.venue.name, date, found!.rows), "utf-8");
    expect(utf8.bytes.subarray(3).toString("utf8")).toContain("𠮷田 次郎");
  });

  it("another city's staff get nothing and leave no export in this city's log", async () => {
    const before = (await auditOf("venue-day.export")).length;
    expect(
      await exportVenueDay(dbs.appDb, { tenantId: other.id, venueId: venue.id, date, encoding: "utf-8", ...staff() }),
    ).toBeNull();
    expect((await auditOf("venue-day.export")).length).toBe(before);
  });
});
