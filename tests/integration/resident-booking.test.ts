import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reservations, slots, type Tenant } from "#db/schema/index";
import { activeServices, slotDetail, venuesWithAvailability } from "~/features/reservations/availability.server";
import { REFUSAL_MESSAGES } from "~/features/reservations/refusals";
import { IDENTITY_FAILED } from "~/features/reservations/identity.server";
import {
  bookFromFlow,
  cancelMine,
  changeMine,
  changeVenues,
  confirmStep,
  listMine,
  slotStep,
  startFlow,
  venueStep,
  type FlowState,
} from "~/features/reservations/resident-flow.server";
import { closeRedis } from "~/lib/redis.server";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

const dbs = testDbs();
const DAY = 24 * 3600_000;
const contact = { name: "山田 花子", phone: "09012345678", email: "hanako@example.jp" };
let city: Tenant;
let other: Tenant;
let serviceId: string;
let venueA: string;
let venueB: string;
let ticket = 2_000_000_000;
let ipSeq = 0;

/** A slot `days` (and `hours`) from now at venue A unless told otherwise. */
async function slotIn(
  days: number,
  opts: {
    venueId?: string;
    webCapacity?: number;
    phoneCapacity?: number;
    hours?: number;
    tenant?: Tenant;
    service?: string;
  } = {},
) {
  const startsAt = new Date(Date.now() + days * DAY + (opts.hours ?? 0) * 3600_000);
  return makeSlot(dbs.appDb, (opts.tenant ?? city).id, {
    venueId: opts.venueId ?? venueA,
    serviceId: opts.service ?? serviceId,
    startsAt,
    webCapacity: opts.webCapacity ?? 5,
    phoneCapacity: opts.phoneCapacity ?? 5,
  });
}

/** A new ticket holder who passes step 1, and the flow state the cookie would carry. */
async function resident(channel: "web" | "line" = "web"): Promise<FlowState & { ticketNumber: string }> {
  const ticketNumber = String(++ticket);
  await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber, birthDate: "1950-04-01" }]);
  const r = await startFlow(dbs.appDb, {
    tenantId: city.id,
    ticketNumber,
    birthDate: "1950-04-01",
    channel,
    ip: `10.0.0.${++ipSeq}`,
  });
  if (!r.ok) throw new Error(r.message);
  return { ...r.state, contact, exp: Date.now() + 60_000, ticketNumber };
}

const book = (state: FlowState, slotId: string, key = crypto.randomUUID()) =>
  bookFromFlow(dbs.appDb, { tenantId: city.id, state, slotId, idempotencyKey: key, ip: "10.1.1.1" });

async function seats(slotId: string) {
  const [s] = await dbs.ownerDb.select().from(slots).where(eq(slots.id, slotId));
  return { web: s!.webBooked, phone: s!.phoneBooked };
}

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "予約テスト市" });
  other = await makeTenant(dbs.appDb, { name: "よそ市" });
  serviceId = (
    await makeService(dbs.appDb, city.id, {
      doses: 2,
      minIntervalDays: 21,
      bookingWindowDays: 60,
      changeCutoffHours: 24,
    })
  ).id;
  venueA = (await makeVenue(dbs.appDb, city.id, { name: "A会館" })).id;
  venueB = (await makeVenue(dbs.appDb, city.id, { name: "B体育館" })).id;
});
afterAll(async () => {
  await closeRedis();
  await dbs.close();
});

describe("step 1: identity", () => {
  it("answers a wrong birth date and an unknown ticket with the same message, and passes the right one", async () => {
    await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber: "1999999999", birthDate: "1960-01-01" }]);
    const input = { tenantId: city.id, channel: "web" as const, ip: "10.9.9.9" };
    const wrong = await startFlow(dbs.appDb, { ...input, ticketNumber: "1999999999", birthDate: "1960-01-02" });
    const unknown = await startFlow(dbs.appDb, { ...input, ticketNumber: "1888888888", birthDate: "1960-01-01" });
    expect(wrong).toEqual({ ok: false, field: "_form", message: IDENTITY_FAILED });
    expect(unknown).toEqual(wrong);
    const right = await startFlow(dbs.appDb, {
      ...input,
      ticketNumber: "1999999999",
      birthDate: "1960-01-01",
      channel: "line",
    });
    expect(right.ok && right.state).toMatchObject({ channel: "line", serviceId });
  });

  it("offers the city's only service implicitly and never another city's", async () => {
    expect((await activeServices(dbs.appDb, city.id)).map((s) => s.id)).toEqual([serviceId]);
    expect(await activeServices(dbs.appDb, other.id)).toEqual([]);
  });
});

describe("steps 3–6: venue, slot, confirm, book", () => {
  it("books a web seat, lists it under my reservations, and a replayed form books once", async () => {
    const me = await resident();
    const slot = await slotIn(3);
    const venues = await venueStep(dbs.appDb, city.id, me);
    expect(venues.ok && venues.venues.find((v) => v.id === venueA)?.openSlots).toBeGreaterThan(0);
    const picker = await slotStep(dbs.appDb, city.id, { ...me, venueId: venueA });
    expect(picker?.days.flatMap((d) => d.slots).find((s) => s.id === slot.id)?.remaining).toBe(5);
    expect((await confirmStep(dbs.appDb, city.id, me, slot.id))?.problem).toBeNull();

    const key = crypto.randomUUID();
    const first = await book(me, slot.id, key);
    const again = await book(me, slot.id, key);
    expect(first.ok && again.ok && again.replayed && again.reservation.id === first.reservation.id).toBe(true);
    expect(await seats(slot.id)).toEqual({ web: 1, phone: 0 });
    const mine = await listMine(dbs.appDb, city.id, me.ticketHolderId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ dose: 1, channel: "web", slotId: slot.id, changeable: true });
  });

  it("records the LINE channel when the flow came from the LINE rich menu", async () => {
    const me = await resident("line");
    const r = await book(me, (await slotIn(4)).id);
    expect(r.ok).toBe(true);
    const [row] = await dbs.ownerDb
      .select()
      .from(reservations)
      .where(eq(reservations.ticketHolderId, me.ticketHolderId));
    expect(row).toMatchObject({
      channel: "line",
      quota: "web",
      contactName: "山田 花子",
      contactEmail: "hanako@example.jp",
    });
  });

  it("shows only the web quota, and a full slot is refused with nothing written", async () => {
    const phoneOnly = await slotIn(5, { webCapacity: 0, phoneCapacity: 9 });
    const last = await slotIn(5, { webCapacity: 1, hours: 1 });
    const a = await resident();
    const b = await resident();
    const picker = await slotStep(dbs.appDb, city.id, { ...a, venueId: venueA });
    const shown = picker!.days.flatMap((d) => d.slots);
    expect(shown.find((s) => s.id === phoneOnly.id)?.remaining).toBe(0);
    expect((await book(a, phoneOnly.id)).ok).toBe(false);

    expect((await book(a, last.id)).ok).toBe(true);
    expect((await confirmStep(dbs.appDb, city.id, b, last.id))?.problem).toBe(REFUSAL_MESSAGES.full);
    const refused = await book(b, last.id);
    expect(refused).toMatchObject({ ok: false, reason: "full", message: REFUSAL_MESSAGES.full });
    expect(await seats(last.id)).toEqual({ web: 1, phone: 0 });
    expect(await listMine(dbs.appDb, city.id, b.ticketHolderId)).toEqual([]);
  });

  it("two tabs booking at once end with exactly one reservation for the dose", async () => {
    const me = await resident();
    const [s1, s2] = [await slotIn(6), await slotIn(6, { venueId: venueB })];
    const results = await Promise.all([book(me, s1.id), book(me, s2.id)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    // Both saw "no dose yet": the database's one-active-per-dose index refuses the second
    // (already-booked); if the first had committed before the second looked, it would be dose 2, too early.
    const refusal = results.find((r) => !r.ok);
    expect(refusal?.ok === false ? refusal.reason : null).toMatch(/^(already-booked|too-early-for-dose)$/);
    expect(await listMine(dbs.appDb, city.id, me.ticketHolderId)).toHaveLength(1);
  });

  it("offers dose 2 only from dose 1 + 21 days, and the engine refuses earlier ones", async () => {
    const me = await resident();
    const dose1 = await slotIn(2, { venueId: venueB });
    const tooEarly = await slotIn(2 + 20, { venueId: venueB });
    const onTime = await slotIn(2 + 21, { venueId: venueB, hours: 1 });
    expect((await book(me, dose1.id)).ok).toBe(true);
    const venues = await venueStep(dbs.appDb, city.id, me);
    expect(venues.ok && venues.dose).toBe(2);
    expect(venues.ok && venues.earliest).toBeInstanceOf(Date);
    const ids = (await slotStep(dbs.appDb, city.id, { ...me, venueId: venueB }))!.days.flatMap((d) =>
      d.slots.map((s) => s.id),
    );
    expect(ids).toContain(onTime.id);
    expect(ids).not.toContain(tooEarly.id);
    expect(ids).not.toContain(dose1.id);
    expect(await book(me, tooEarly.id)).toMatchObject({ ok: false, reason: "too-early-for-dose" });
    const second = await book(me, onTime.id);
    expect(second.ok && second.reservation.dose).toBe(2);

    // With both doses booked, step 1 sends the resident to "my reservation" instead.
    const again = await startFlow(dbs.appDb, {
      tenantId: city.id,
      ticketNumber: me.ticketNumber,
      birthDate: "1950-04-01",
      channel: "web",
      ip: "10.2.2.2",
    });
    expect(again).toMatchObject({ ok: false, message: REFUSAL_MESSAGES["all-doses-done"], manage: true });
  });

  it("never shows past slots, slots beyond the booking window, or another city's", async () => {
    const me = await resident();
    const past = await slotIn(-1);
    const beyond = await slotIn(61);
    const otherService = await makeService(dbs.appDb, other.id);
    const otherVenue = await makeVenue(dbs.appDb, other.id);
    const foreign = await slotIn(3, { tenant: other, venueId: otherVenue.id, service: otherService.id });
    const ids = (await slotStep(dbs.appDb, city.id, { ...me, venueId: venueA }))!.days.flatMap((d) =>
      d.slots.map((s) => s.id),
    );
    expect(ids).not.toContain(past.id);
    expect(ids).not.toContain(beyond.id);
    expect(await slotStep(dbs.appDb, city.id, { ...me, venueId: otherVenue.id })).toBeNull();
    expect(await slotDetail(dbs.appDb, city.id, foreign.id)).toBeNull();
    expect(await confirmStep(dbs.appDb, city.id, me, foreign.id)).toBeNull();
    expect(
      await venuesWithAvailability(dbs.appDb, city.id, {
        serviceId: otherService.id,
        from: new Date(),
        until: new Date(Date.now() + 90 * DAY),
      }),
    ).toEqual([]);
    expect(await book(me, foreign.id)).toMatchObject({ ok: false, reason: "not-found" });
  });
});

describe("my reservation: change and cancel", () => {
  it("moves a reservation to another venue atomically, and only the holder's own", async () => {
    const me = await resident();
    const stranger = await resident();
    const from = await slotIn(7);
    const to = await slotIn(8, { venueId: venueB });
    const booked = await book(me, from.id);
    if (!booked.ok) throw new Error(booked.message);
    const id = booked.reservation.id;
    expect(
      (await changeVenues(dbs.appDb, city.id, me.ticketHolderId, { id, serviceId, quota: "web" })).map((v) => v.id),
    ).toContain(venueB);

    expect(
      await changeMine(dbs.appDb, {
        tenantId: city.id,
        ticketHolderId: stranger.ticketHolderId,
        reservationId: id,
        newSlotId: to.id,
      }),
    ).toMatchObject({ ok: false, reason: "not-active" });
    expect(
      await changeMine(dbs.appDb, {
        tenantId: city.id,
        ticketHolderId: me.ticketHolderId,
        reservationId: id,
        newSlotId: to.id,
      }),
    ).toMatchObject({ ok: true, slotId: to.id });
    expect(await seats(from.id)).toEqual({ web: 0, phone: 0 });
    expect(await seats(to.id)).toEqual({ web: 1, phone: 0 });
    const [mine] = await listMine(dbs.appDb, city.id, me.ticketHolderId);
    expect(mine).toMatchObject({ id, slotId: to.id, venue: { id: venueB } });
  });

  it("a change to a full slot changes nothing", async () => {
    const me = await resident();
    const someone = await resident();
    const from = await slotIn(9);
    const full = await slotIn(9, { webCapacity: 1, hours: 2 });
    expect((await book(someone, full.id)).ok).toBe(true);
    const booked = await book(me, from.id);
    if (!booked.ok) throw new Error(booked.message);
    const r = await changeMine(dbs.appDb, {
      tenantId: city.id,
      ticketHolderId: me.ticketHolderId,
      reservationId: booked.reservation.id,
      newSlotId: full.id,
    });
    expect(r).toMatchObject({ ok: false, reason: "full", message: REFUSAL_MESSAGES.full });
    expect(await seats(from.id)).toEqual({ web: 1, phone: 0 });
    expect(await seats(full.id)).toEqual({ web: 1, phone: 0 });
  });

  it("cancels, freeing the seat; a second cancel is refused", async () => {
    const me = await resident();
    const slot = await slotIn(10);
    const booked = await book(me, slot.id);
    if (!booked.ok) throw new Error(booked.message);
    const input = { tenantId: city.id, ticketHolderId: me.ticketHolderId, reservationId: booked.reservation.id };
    expect(await cancelMine(dbs.appDb, input)).toMatchObject({ ok: true });
    expect(await seats(slot.id)).toEqual({ web: 0, phone: 0 });
    expect(await listMine(dbs.appDb, city.id, me.ticketHolderId)).toEqual([]);
    expect(await cancelMine(dbs.appDb, input)).toMatchObject({ ok: false, reason: "not-active" });
    const [row] = await dbs.ownerDb
      .select()
      .from(reservations)
      .where(and(eq(reservations.id, booked.reservation.id)));
    expect(row!.status).toBe("cancelled");
  });

  it("after the cut-off, neither change nor cancel is possible online", async () => {
    const me = await resident();
    const soon = await slotIn(0, { hours: 10 });
    const later = await slotIn(12);
    const booked = await book(me, soon.id);
    if (!booked.ok) throw new Error(booked.message);
    const [listed] = await listMine(dbs.appDb, city.id, me.ticketHolderId);
    expect(listed!.changeable).toBe(false);
    const input = { tenantId: city.id, ticketHolderId: me.ticketHolderId, reservationId: booked.reservation.id };
    expect(await changeMine(dbs.appDb, { ...input, newSlotId: later.id })).toEqual({
      ok: false,
      reason: "past-cutoff",
      message: REFUSAL_MESSAGES["past-cutoff"],
    });
    expect(await cancelMine(dbs.appDb, input)).toEqual({
      ok: false,
      reason: "past-cutoff",
      message: REFUSAL_MESSAGES["past-cutoff"],
    });
    expect(await seats(soon.id)).toEqual({ web: 1, phone: 0 });
  });
});
