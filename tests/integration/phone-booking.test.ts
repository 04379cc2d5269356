import { and, eq, sql } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "#db/client.server";
import { auditLog, reservations, slots, ticketHolders, type Service, type Tenant, type Venue } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { requireRole, requireStaff } from "~/auth/guards.server";
import { createSession } from "~/auth/session.server";
import { bookSlot } from "~/features/reservations/booking.server";
import { HOLDER_NOT_FOUND, lookupHolder, viewHolder } from "~/features/phone-booking/holder.server";
import { bookSchema, lookupSchema } from "~/features/phone-booking/phone-booking.schemas";
import {
  NOT_THIS_HOLDER,
  bookByPhone,
  cancelByPhone,
  changeByPhone,
} from "~/features/phone-booking/phone-booking.server";
import { loadPhonePage } from "~/features/phone-booking/phone-page.server";
import { openSlotsInRange } from "~/features/phone-booking/slots.server";
import { tokyoDateOf } from "~/lib/japan-time";
import { staffContext, tenantContext } from "~/tenants/context";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

const dbs = testDbs();
const DAY = 24 * 3600 * 1000;
const inDays = (d: number, hour = 10) =>
  new Date(Math.floor(Date.now() / DAY) * DAY + d * DAY + (hour - 9) * 3600 * 1000);
let city: Tenant;
let other: Tenant;
let service: Service;
let venue: Venue;
let operator: Awaited<ReturnType<typeof makeStaff>>;
let outsider: Awaited<ReturnType<typeof makeStaff>>;

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "電話予約テスト市" });
  other = await makeTenant(dbs.appDb, { name: "となり町" });
  service = await makeService(dbs.appDb, city.id, { doses: 2, minIntervalDays: 21, changeCutoffHours: 24 });
  venue = await makeVenue(dbs.appDb, city.id, { name: "紀ノ川市民会館" });
  operator = await makeStaff(dbs.appDb, { tenantId: city.id, role: "operator" });
  outsider = await makeStaff(dbs.appDb, { tenantId: other.id, role: "admin" });
});
afterAll(async () => {
  await closeDb();
  await dbs.close();
});

const staffOf = (s: typeof operator) => ({ staffUserId: s.user.id, ip: "203.0.113.7" });

async function auditRows(action: string, tenantId = city.id) {
  return dbs.ownerDb
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, action)));
}

async function counters(slotId: string) {
  const [s] = await dbs.ownerDb.select().from(slots).where(eq(slots.id, slotId));
  return { web: s!.webBooked, phone: s!.phoneBooked };
}

const contact = { name: "紀ノ川 花子", phone: "073-123-4567", email: "" };

describe("finding the caller", () => {
  it("accepts the ticket number in full-width digits with hyphens and an era-year birth date", () => {
    const parsed = lookupSchema.safeParse({
      ticketNumber: "１２３４－５６７８９０",
      birthYear: "昭和35",
      birthMonth: "１",
      birthDay: "5",
    });
    expect(parsed.success && parsed.data).toEqual({ ticketNumber: "1234567890", birthDate: "1960-01-05" });
    const bad = lookupSchema.safeParse({ ticketNumber: "12345", birthYear: "1960", birthMonth: "2", birthDay: "30" });
    expect(bad.success).toBe(false);
    const fields = bad.success ? [] : bad.error.issues.map((i) => i.path[0]);
    expect(fields).toContain("ticketNumber");
  });

  it("finds the holder by ticket number and birth date, and audits the lookup and the view (misses too)", async () => {
    const [holder] = await makeTicketHolders(dbs.appDb, city.id, [
      { ticketNumber: "7000000001", birthDate: "1943-04-01" },
    ]);
    const found = await lookupHolder(dbs.appDb, {
      tenantId: city.id,
      ticketNumber: "7000000001",
      birthDate: "1943-04-01",
      ...staffOf(operator),
    });
    expect(found).toEqual({ ok: true, holderId: holder!.id });
    const miss = await lookupHolder(dbs.appDb, {
      tenantId: city.id,
      ticketNumber: "7000000001",
      birthDate: "1943-04-02",
      ...staffOf(operator),
    });
    expect(miss).toEqual({ ok: false, message: HOLDER_NOT_FOUND });

    const lookups = await auditRows("reservation.holder.lookup");
    expect(lookups.map((a) => a.detail)).toEqual(expect.arrayContaining([{ found: true }, { found: false }]));
    expect(JSON.stringify(lookups)).not.toContain("7000000001"); // the ticket number is never logged
    expect(lookups.every((a) => a.actorId === operator.user.id && a.ip === "203.0.113.7")).toBe(true);

    const view = await viewHolder(dbs.appDb, { tenantId: city.id, holderId: holder!.id, ...staffOf(operator) });
    expect(view?.holder).toEqual({ id: holder!.id, birthDate: "1943-04-01" });
    const views = await auditRows("reservation.holder.view");
    expect(views.filter((v) => v.targetId === holder!.id)).toHaveLength(1);
  });
});

describe("booking on the phone", () => {
  it("books into the phone quota when the web quota is full, leaving the web counter alone; proxy and booker recorded", async () => {
    const slot = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: inDays(5),
      webCapacity: 1,
      phoneCapacity: 2,
    });
    const [webUser, caller] = await makeTicketHolders(dbs.appDb, city.id, [
      { ticketNumber: "7000000101", birthDate: "1950-01-01" },
      { ticketNumber: "7000000102", birthDate: "1938-02-03" },
    ]);
    expect(
      (
        await bookSlot(dbs.appDb, {
          tenantId: city.id,
          slotId: slot.id,
          ticketHolderId: webUser!.id,
          channel: "web",
          contact: { ...contact, name: "ウェブ 利用者" },
          idempotencyKey: crypto.randomUUID(),
        })
      ).ok,
    ).toBe(true);
    expect(await counters(slot.id)).toEqual({ web: 1, phone: 0 });

    // What the page shows staff before booking: both quotas.
    const day = await openSlotsInRange(dbs.appDb, {
      tenantId: city.id,
      venueId: venue.id,
      from: tokyoDateOf(slot.startsAt),
      to: tokyoDateOf(slot.startsAt),
      quota: "phone",
    });
    expect(day.find((s) => s.id === slot.id)).toMatchObject({
      webBooked: 1,
      webCapacity: 1,
      phoneBooked: 0,
      phoneCapacity: 2,
      open: true,
    });

    const form = bookSchema.parse({
      holderId: caller!.id,
      slotId: slot.id,
      name: " 紀ノ川 花子 ",
      phone: "０７３－１２３－４５６７",
      email: "",
      proxyNote: "代理予約: 長女が電話",
      idempotencyKey: crypto.randomUUID(),
    });
    expect(form.phone).toBe("073-123-4567");
    const booked = await bookByPhone(dbs.appDb, { tenantId: city.id, ...form, ...staffOf(operator) });
    expect(booked.ok).toBe(true);
    expect(await counters(slot.id)).toEqual({ web: 1, phone: 1 });

    // Same form sent twice (double click, resent POST): one booking.
    const again = await bookByPhone(dbs.appDb, { tenantId: city.id, ...form, ...staffOf(operator) });
    expect(again.ok && again.replayed).toBe(true);
    expect(await counters(slot.id)).toEqual({ web: 1, phone: 1 });

    const [row] = await dbs.ownerDb
      .select()
      .from(reservations)
      .where(and(eq(reservations.tenantId, city.id), eq(reservations.ticketHolderId, caller!.id)));
    expect(row).toMatchObject({
      channel: "phone",
      quota: "phone",
      contactName: "紀ノ川 花子",
      contactEmail: "",
      bookedByStaffId: operator.user.id,
      proxyNote: "代理予約: 長女が電話",
      status: "booked",
    });
    const books = (await auditRows("reservation.book")).filter((a) => a.targetId === row!.id);
    expect(books).toHaveLength(1);
    expect(books[0]).toMatchObject({
      actorKind: "staff",
      actorId: operator.user.id,
      detail: { channel: "phone", proxy: true },
    });
  });

  it("refuses when the phone quota is full, even with web seats left", async () => {
    const slot = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: inDays(6),
      webCapacity: 5,
      phoneCapacity: 0,
    });
    const [caller] = await makeTicketHolders(dbs.appDb, city.id, [
      { ticketNumber: "7000000201", birthDate: "1945-05-05" },
    ]);
    const r = await bookByPhone(dbs.appDb, {
      tenantId: city.id,
      holderId: caller!.id,
      slotId: slot.id,
      ...contact,
      proxyNote: "",
      idempotencyKey: crypto.randomUUID(),
      ...staffOf(operator),
    });
    expect(r).toMatchObject({ ok: false, reason: "full" });
    expect(await counters(slot.id)).toEqual({ web: 0, phone: 0 });
  });

  it("changes (atomically, phone quota to phone quota) and cancels after the resident cut-off; both audited", async () => {
    const soon = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: new Date(Date.now() + 3 * 3600 * 1000),
      webCapacity: 3,
      phoneCapacity: 3,
    });
    const later = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: inDays(8),
      webCapacity: 3,
      phoneCapacity: 3,
    });
    const [caller, stranger] = await makeTicketHolders(dbs.appDb, city.id, [
      { ticketNumber: "7000000301", birthDate: "1940-10-10" },
      { ticketNumber: "7000000302", birthDate: "1941-11-11" },
    ]);
    const booked = await bookByPhone(dbs.appDb, {
      tenantId: city.id,
      holderId: caller!.id,
      slotId: soon.id,
      ...contact,
      proxyNote: "",
      idempotencyKey: crypto.randomUUID(),
      ...staffOf(operator),
    });
    expect(booked.ok).toBe(true);
    const reservationId = booked.ok ? booked.reservation.id : "";

    // A page left open on another caller cannot touch this reservation.
    expect(
      await changeByPhone(dbs.appDb, {
        tenantId: city.id,
        holderId: stranger!.id,
        reservationId,
        slotId: later.id,
        ...staffOf(operator),
      }),
    ).toEqual({ ok: false, field: "_form", message: NOT_THIS_HOLDER });

    // Within 24 h of the slot a resident may no longer change; staff may.
    expect(
      await changeByPhone(dbs.appDb, {
        tenantId: city.id,
        holderId: caller!.id,
        reservationId,
        slotId: later.id,
        ...staffOf(operator),
      }),
    ).toEqual({ ok: true });
    expect(await counters(soon.id)).toEqual({ web: 0, phone: 0 });
    expect(await counters(later.id)).toEqual({ web: 0, phone: 1 });
    const changes = (await auditRows("reservation.change")).filter((a) => a.targetId === reservationId);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ actorId: operator.user.id, detail: { from: soon.id, to: later.id } });

    expect(
      await cancelByPhone(dbs.appDb, { tenantId: city.id, holderId: caller!.id, reservationId, ...staffOf(operator) }),
    ).toEqual({ ok: true });
    expect(await counters(later.id)).toEqual({ web: 0, phone: 0 });
    expect((await auditRows("reservation.cancel")).filter((a) => a.targetId === reservationId)).toHaveLength(1);
    const again = await cancelByPhone(dbs.appDb, {
      tenantId: city.id,
      holderId: caller!.id,
      reservationId,
      ...staffOf(operator),
    });
    expect(again.ok).toBe(false);

    const view = await viewHolder(dbs.appDb, { tenantId: city.id, holderId: caller!.id, ...staffOf(operator) });
    expect(view?.reservations.map((r) => r.status)).toEqual(["cancelled"]);
  });

  it("the page offers, when changing, only slots of the same service and flags past ones", async () => {
    const date = tokyoDateOf(inDays(9));
    const checkup = await makeService(dbs.appDb, city.id, { name: "特定健診", doses: 1 });
    const a = await makeSlot(dbs.appDb, city.id, { venueId: venue.id, serviceId: service.id, startsAt: inDays(9, 10) });
    await makeSlot(dbs.appDb, city.id, { venueId: venue.id, serviceId: checkup.id, startsAt: inDays(9, 11) });
    const [caller] = await makeTicketHolders(dbs.appDb, city.id, [
      { ticketNumber: "7000000401", birthDate: "1939-03-03" },
    ]);
    const booked = await bookByPhone(dbs.appDb, {
      tenantId: city.id,
      holderId: caller!.id,
      slotId: a.id,
      ...contact,
      proxyNote: "",
      idempotencyKey: crypto.randomUUID(),
      ...staffOf(operator),
    });
    const reservationId = booked.ok ? booked.reservation.id : "";
    const page = await loadPhonePage(dbs.appDb, {
      tenantId: city.id,
      picker: { holder: caller!.id, venue: venue.id, from: date, to: date, change: reservationId },
      ...staffOf(operator),
    });
    expect(page.changing?.id).toBe(reservationId);
    expect(page.slots?.map((s) => s.serviceId)).toEqual([service.id]);
    expect(page.holder?.lastContact).toMatchObject({ name: contact.name, phone: contact.phone });
  });
});

describe("another city", () => {
  it("cannot find, view or book this city's holders — by tenant filter and by RLS", async () => {
    const [holder] = await makeTicketHolders(dbs.appDb, city.id, [
      { ticketNumber: "7000000501", birthDate: "1944-08-08" },
    ]);
    const slot = await makeSlot(dbs.appDb, city.id, { venueId: venue.id, serviceId: service.id, startsAt: inDays(10) });
    const asOther = { staffUserId: outsider.user.id, ip: "198.51.100.1" };
    expect(
      (
        await lookupHolder(dbs.appDb, {
          tenantId: other.id,
          ticketNumber: "7000000501",
          birthDate: "1944-08-08",
          ...asOther,
        })
      ).ok,
    ).toBe(false);
    expect(await viewHolder(dbs.appDb, { tenantId: other.id, holderId: holder!.id, ...asOther })).toBeNull();
    expect(
      await openSlotsInRange(dbs.appDb, {
        tenantId: other.id,
        venueId: venue.id,
        from: tokyoDateOf(slot.startsAt),
        to: tokyoDateOf(slot.startsAt),
        quota: "phone",
      }),
    ).toEqual([]);
    const r = await bookByPhone(dbs.appDb, {
      tenantId: other.id,
      holderId: holder!.id,
      slotId: slot.id,
      ...contact,
      proxyNote: "",
      idempotencyKey: crypto.randomUUID(),
      ...asOther,
    });
    expect(r.ok).toBe(false);
    // Even a query that forgets its tenant filter sees nothing of the other city under RLS.
    const leaked = await withTenant(dbs.appDb, other.id, (tx) =>
      tx.select().from(ticketHolders).where(eq(ticketHolders.id, holder!.id)),
    );
    expect(leaked).toEqual([]);
    const [{ n }] = (await withTenant(dbs.appDb, other.id, (tx) =>
      tx.execute(sql`select count(*)::int as n from reservations`),
    )) as unknown as { n: number }[];
    expect(n).toBe(0);
    expect(await counters(slot.id)).toEqual({ web: 0, phone: 0 });
  });

  it("a member of another city is refused at the admin guard, and analysts at the role check", async () => {
    const { token } = await createSession(dbs.appDb, "staff", outsider.user.id);
    const context = new RouterContextProvider();
    context.set(tenantContext, city);
    const request = new Request(`http://madoguchi.test/c/${city.slug}/admin/phone`, {
      headers: { cookie: `mdg_staff=${token}` },
    });
    const refusal = await Promise.resolve()
      .then(() =>
        requireStaff(
          { request, context, params: { city: city.slug }, unstable_pattern: "" } as never,
          async () => new Response("reached"),
        ),
      )
      .catch((e: unknown) => e);
    expect((refusal as { init?: { status?: number } }).init?.status).toBe(403);

    const analyst = await makeStaff(dbs.appDb, { tenantId: city.id, role: "analyst" });
    const asAnalyst = new RouterContextProvider();
    asAnalyst.set(staffContext, { user: analyst.user, membership: analyst.membership, sessionId: "s" });
    const denied = (() => {
      try {
        requireRole(asAnalyst, ["admin", "operator"]);
        return null;
      } catch (e) {
        return e as { init?: { status?: number } };
      }
    })();
    expect(denied?.init?.status).toBe(403);
  });
});
