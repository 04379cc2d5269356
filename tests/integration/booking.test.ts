import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "#db/client.server";
import { outbox, reservations, slots, type Service, type Tenant, type Venue } from "#db/schema/index";
import { bookSlot, type BookingInput } from "~/features/reservations/booking.server";
import { cancelReservation, changeReservation } from "~/features/reservations/change-cancel.server";
import { REFUSAL_MESSAGES } from "~/features/reservations/refusals";
import { makeService, makeSlot, makeTicketHolders, makeVenue, ticketNumbers } from "#tests/factories/reservations";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

const dbs = testDbs();
const wide = createDb(process.env.DATABASE_URL!, 20); // the concurrency test needs real parallelism
let city: Tenant;
let service: Service;
let venue: Venue;
const DAY = 24 * 3600 * 1000;
const inDays = (d: number, hour = 10) =>
  new Date(Math.floor(Date.now() / DAY) * DAY + d * DAY + (hour - 9) * 3600 * 1000);

beforeAll(async () => {
  city = await makeTenant(dbs.appDb);
  service = await makeService(dbs.appDb, city.id, { doses: 2, minIntervalDays: 21, changeCutoffHours: 24 });
  venue = await makeVenue(dbs.appDb, city.id);
});
afterAll(async () => {
  await wide.sql.end({ timeout: 1 });
  await dbs.close();
});

const input = (over: Partial<BookingInput> & Pick<BookingInput, "slotId" | "ticketHolderId">): BookingInput => ({
  tenantId: city.id,
  channel: "web",
  contact: { name: "山田 太郎", phone: "090-1234-5678", email: "taro@example.jp" },
  idempotencyKey: crypto.randomUUID(),
  ...over,
});

async function counters(slotId: string) {
  const [s] = await dbs.ownerDb.select().from(slots).where(eq(slots.id, slotId));
  const rows = await dbs.ownerDb
    .select()
    .from(reservations)
    .where(and(eq(reservations.slotId, slotId), eq(reservations.status, "booked")));
  return {
    web: s!.webBooked,
    phone: s!.phoneBooked,
    webRows: rows.filter((r) => r.quota === "web").length,
    phoneRows: rows.filter((r) => r.quota === "phone").length,
  };
}

describe("booking under a rush", () => {
  it("500 concurrent bookings for a 50-seat slot: exactly 50 reservations, counters equal rows, every other answer is 'full'", async () => {
    const slot = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: inDays(5),
      webCapacity: 50,
      phoneCapacity: 5,
    });
    const holders = await makeTicketHolders(
      dbs.appDb,
      city.id,
      ticketNumbers(500, 5_000_000_000).map((t) => ({ ticketNumber: t, birthDate: "1960-01-01" })),
    );
    const results = await Promise.allSettled(
      holders.map((h) => bookSlot(wide.db, input({ slotId: slot.id, ticketHolderId: h.id }))),
    );
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected).toEqual([]);
    const answers = results.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof bookSlot>>>).value);
    expect(answers.filter((a) => a.ok)).toHaveLength(50);
    expect(new Set(answers.filter((a) => !a.ok).map((a) => (a.ok ? "" : a.reason)))).toEqual(new Set(["full"]));
    expect(await counters(slot.id)).toEqual({ web: 50, phone: 0, webRows: 50, phoneRows: 0 });
    const notices = await dbs.ownerDb
      .select()
      .from(outbox)
      .where(and(eq(outbox.tenantId, city.id), eq(outbox.jobName, "send-reservation-notice")));
    expect(notices.length).toBeGreaterThanOrEqual(50);
  });

  it("a double submit (same idempotency key) books once and answers the same — every time", async () => {
    // Repeated, because which unique index trips first in the race varies from run to run.
    const slot = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: inDays(6),
      webCapacity: 50,
    });
    const holders = await makeTicketHolders(
      dbs.appDb,
      city.id,
      ticketNumbers(20, 6_100_000_000).map((t) => ({ ticketNumber: t, birthDate: "1950-05-05" })),
    );
    for (const h of holders) {
      const key = crypto.randomUUID();
      const [a, b] = await Promise.all([
        bookSlot(wide.db, input({ slotId: slot.id, ticketHolderId: h.id, idempotencyKey: key })),
        bookSlot(wide.db, input({ slotId: slot.id, ticketHolderId: h.id, idempotencyKey: key })),
      ]);
      expect([a, b].map((r) => (r.ok ? "ok" : r.reason))).toEqual(["ok", "ok"]);
      expect(a.ok && b.ok && a.reservation.confirmationCode === b.reservation.confirmationCode).toBe(true);
    }
    expect(await counters(slot.id)).toMatchObject({ web: 20, webRows: 20 });
  });
});

describe("booking rules", () => {
  it("phone bookings use the phone quota only", async () => {
    const slot = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: inDays(7),
      webCapacity: 0,
      phoneCapacity: 1,
    });
    const [h1, h2] = await makeTicketHolders(dbs.appDb, city.id, [
      { ticketNumber: "6000000101", birthDate: "1940-01-01" },
      { ticketNumber: "6000000102", birthDate: "1940-01-02" },
    ]);
    expect(await bookSlot(dbs.appDb, input({ slotId: slot.id, ticketHolderId: h1!.id }))).toMatchObject({
      ok: false,
      reason: "full",
    });
    expect((await bookSlot(dbs.appDb, input({ slotId: slot.id, ticketHolderId: h1!.id, channel: "phone" }))).ok).toBe(
      true,
    );
    expect(
      await bookSlot(dbs.appDb, input({ slotId: slot.id, ticketHolderId: h2!.id, channel: "phone" })),
    ).toMatchObject({ ok: false, reason: "full", message: REFUSAL_MESSAGES.full });
    expect(await counters(slot.id)).toEqual({ web: 0, phone: 1, webRows: 0, phoneRows: 1 });
  });

  it("one active reservation per dose; dose 2 only from dose 1 + interval; no third dose", async () => {
    const s1 = await makeSlot(dbs.appDb, city.id, { venueId: venue.id, serviceId: service.id, startsAt: inDays(2) });
    const tooSoon = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: inDays(20),
    });
    const ok2 = await makeSlot(dbs.appDb, city.id, { venueId: venue.id, serviceId: service.id, startsAt: inDays(23) });
    const later = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: inDays(50),
    });
    const [h] = await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber: "6000000201", birthDate: "1970-07-07" }]);
    const first = await bookSlot(dbs.appDb, input({ slotId: s1.id, ticketHolderId: h!.id }));
    expect(first).toMatchObject({ ok: true, reservation: { dose: 1 } });
    expect(await bookSlot(dbs.appDb, input({ slotId: tooSoon.id, ticketHolderId: h!.id }))).toMatchObject({
      ok: false,
      reason: "too-early-for-dose",
    });
    expect(await bookSlot(dbs.appDb, input({ slotId: ok2.id, ticketHolderId: h!.id }))).toMatchObject({
      ok: true,
      reservation: { dose: 2 },
    });
    expect(await bookSlot(dbs.appDb, input({ slotId: later.id, ticketHolderId: h!.id }))).toMatchObject({
      ok: false,
      reason: "all-doses-done",
    });
    expect(await counters(tooSoon.id)).toMatchObject({ web: 0 });
  });

  it("phased opening: under-65s wait until their phase opens", async () => {
    const phased = await makeService(dbs.appDb, city.id, {
      name: "段階受付",
      doses: 1,
      phases: [
        { minAge: 65, opensAt: new Date(Date.now() - DAY).toISOString() },
        { minAge: 0, opensAt: new Date(Date.now() + 3 * DAY).toISOString() },
      ],
    });
    const slot = await makeSlot(dbs.appDb, city.id, { venueId: venue.id, serviceId: phased.id, startsAt: inDays(10) });
    const [old, young] = await makeTicketHolders(dbs.appDb, city.id, [
      { ticketNumber: "6000000301", birthDate: "1950-01-01" },
      { ticketNumber: "6000000302", birthDate: "1990-01-01" },
    ]);
    expect((await bookSlot(dbs.appDb, input({ slotId: slot.id, ticketHolderId: old!.id }))).ok).toBe(true);
    const refused = await bookSlot(dbs.appDb, input({ slotId: slot.id, ticketHolderId: young!.id }));
    expect(refused).toMatchObject({ ok: false, reason: "not-eligible" });
    expect(refused.ok ? null : refused.opensAt?.getTime()).toBeGreaterThan(Date.now());
  });

  it("closed slots, past slots and slots beyond the booking window are refused", async () => {
    const [h] = await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber: "6000000401", birthDate: "1980-01-01" }]);
    const closed = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: inDays(8),
    });
    await dbs.ownerDb.update(slots).set({ status: "closed" }).where(eq(slots.id, closed.id));
    const far = await makeSlot(dbs.appDb, city.id, { venueId: venue.id, serviceId: service.id, startsAt: inDays(90) });
    const past = await makeSlot(dbs.appDb, city.id, { venueId: venue.id, serviceId: service.id, startsAt: inDays(-1) });
    expect(await bookSlot(dbs.appDb, input({ slotId: closed.id, ticketHolderId: h!.id }))).toMatchObject({
      ok: false,
      reason: "closed",
    });
    expect(await bookSlot(dbs.appDb, input({ slotId: far.id, ticketHolderId: h!.id }))).toMatchObject({
      ok: false,
      reason: "outside-window",
    });
    expect(await bookSlot(dbs.appDb, input({ slotId: past.id, ticketHolderId: h!.id }))).toMatchObject({
      ok: false,
      reason: "outside-window",
    });
  });

  it("another city's slot cannot be booked with this city's context", async () => {
    const other = await makeTenant(dbs.appDb);
    const otherService = await makeService(dbs.appDb, other.id);
    const otherVenue = await makeVenue(dbs.appDb, other.id);
    const otherSlot = await makeSlot(dbs.appDb, other.id, {
      venueId: otherVenue.id,
      serviceId: otherService.id,
      startsAt: inDays(5),
    });
    const [h] = await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber: "6000000501", birthDate: "1980-01-01" }]);
    expect(await bookSlot(dbs.appDb, input({ slotId: otherSlot.id, ticketHolderId: h!.id }))).toMatchObject({
      ok: false,
      reason: "not-found",
    });
    expect(await counters(otherSlot.id)).toMatchObject({ web: 0 });
  });
});

describe("change and cancel", () => {
  it("change moves the seat atomically; a full target changes nothing", async () => {
    const from = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: inDays(4, 11),
    });
    const to = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: inDays(4, 14),
      webCapacity: 1,
    });
    const [h, other] = await makeTicketHolders(dbs.appDb, city.id, [
      { ticketNumber: "6000000601", birthDate: "1980-01-01" },
      { ticketNumber: "6000000602", birthDate: "1980-01-02" },
    ]);
    const booked = await bookSlot(dbs.appDb, input({ slotId: from.id, ticketHolderId: h!.id }));
    if (!booked.ok) throw new Error("setup");
    const moved = await changeReservation(dbs.appDb, {
      tenantId: city.id,
      reservationId: booked.reservation.id,
      newSlotId: to.id,
      actor: { kind: "resident" },
    });
    expect(moved).toMatchObject({ ok: true, slotId: to.id });
    expect(await counters(from.id)).toMatchObject({ web: 0, webRows: 0 });
    expect(await counters(to.id)).toMatchObject({ web: 1, webRows: 1 });

    const second = await bookSlot(dbs.appDb, input({ slotId: from.id, ticketHolderId: other!.id }));
    if (!second.ok) throw new Error("setup");
    const refused = await changeReservation(dbs.appDb, {
      tenantId: city.id,
      reservationId: second.reservation.id,
      newSlotId: to.id,
      actor: { kind: "resident" },
    });
    expect(refused).toMatchObject({ ok: false, reason: "full" });
    expect(await counters(from.id)).toMatchObject({ web: 1, webRows: 1 });
    expect(await counters(to.id)).toMatchObject({ web: 1, webRows: 1 });
  });

  it("cancel releases the seat once; the resident is bound by the cut-off, staff are not", async () => {
    const soon = await makeSlot(dbs.appDb, city.id, {
      venueId: venue.id,
      serviceId: service.id,
      startsAt: new Date(Date.now() + 3 * 3600 * 1000),
    });
    const [h, h2] = await makeTicketHolders(dbs.appDb, city.id, [
      { ticketNumber: "6000000701", birthDate: "1980-01-01" },
      { ticketNumber: "6000000702", birthDate: "1980-01-01" },
    ]);
    const booked = await bookSlot(dbs.appDb, input({ slotId: soon.id, ticketHolderId: h!.id }));
    if (!booked.ok) throw new Error("setup");
    expect(
      await cancelReservation(dbs.appDb, {
        tenantId: city.id,
        reservationId: booked.reservation.id,
        actor: { kind: "resident" },
      }),
    ).toMatchObject({ ok: false, reason: "past-cutoff" });
    const staff = (await dbs.ownerDb.execute(sql`select id from staff_users limit 1`)) as unknown as { id: string }[];
    const byStaff = await cancelReservation(dbs.appDb, {
      tenantId: city.id,
      reservationId: booked.reservation.id,
      actor: { kind: "staff", staffUserId: staff[0]?.id ?? crypto.randomUUID() },
    });
    expect(byStaff.ok).toBe(true);
    expect(
      await cancelReservation(dbs.appDb, {
        tenantId: city.id,
        reservationId: booked.reservation.id,
        actor: { kind: "resident" },
      }),
    ).toMatchObject({ ok: false, reason: "not-active" });
    expect(await counters(soon.id)).toMatchObject({ web: 0, webRows: 0 });
    // The freed seat can be booked again, and the cancelled holder may book dose 1 again.
    expect((await bookSlot(dbs.appDb, input({ slotId: soon.id, ticketHolderId: h2!.id }))).ok).toBe(true);
  });
});
