import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { settleAll, withTenantPipelined } from "#db/pipeline.server";
import { catalogue } from "#jobs/catalogue";
import {
  reservations,
  services,
  slots,
  ticketHolders,
  type BookingChannel,
  type Reservation,
  type Service,
} from "#db/schema/index";
import {
  auditStaffBooking,
  bookingLockKey,
  insertBooking,
  readBookingFacts,
  type NewReservation,
} from "./booking-tx.server";
import { confirmationCode, earliestNextDose, eligibility } from "./eligibility";
import { REFUSAL_MESSAGES, type Refusal } from "./refusals";
import { onReservationSlot, onSlotService } from "#db/joins";

export type BookingInput = {
  tenantId: string;
  slotId: string;
  ticketHolderId: string;
  channel: BookingChannel;
  contact: { name: string; phone: string; email: string };
  lineUserId?: string | null;
  /** Set when staff book on a caller's behalf (phone quota). */
  bookedByStaffId?: string | null;
  proxyNote?: string | null;
  idempotencyKey: string;
  ip?: string | null;
};

export type BookedReservation = Pick<Reservation, "id" | "confirmationCode" | "dose" | "slotId" | "serviceId">;
export type BookingResult =
  | { ok: true; reservation: BookedReservation; replayed: boolean }
  | { ok: false; reason: Refusal; message: string; opensAt?: Date | null };

/**
 * A booking rule said no. Thrown and caught inside this module; in an opening rush most attempts end
 * here ("full"), so it skips the stack trace an Error would capture — it carries no bug to debug.
 */
class Refused extends Error {
  constructor(
    readonly reason: Refusal,
    readonly opensAt?: Date | null,
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(reason);
    Error.stackTraceLimit = limit;
  }
}

const refuse = (reason: Refusal, opensAt?: Date | null): BookingResult => ({
  ok: false,
  reason,
  message: REFUSAL_MESSAGES[reason],
  opensAt,
});

const pick = (r: Reservation): BookedReservation => ({
  id: r.id,
  confirmationCode: r.confirmationCode,
  dose: r.dose,
  slotId: r.slotId,
  serviceId: r.serviceId,
});

async function findByIdempotencyKey(db: Db, tenantId: string, key: string) {
  return withTenant(db, tenantId, async (tx) => {
    const [r] = await tx
      .select()
      .from(reservations)
      .where(and(eq(reservations.tenantId, tenantId), eq(reservations.idempotencyKey, key)));
    return r ?? null;
  });
}

/** Takes one seat of the slot's quota, or answers "full" — without ever waiting on a row lock for a full slot. */
export async function takeSeat(tx: Tx, tenantId: string, slotId: string, quota: "web" | "phone") {
  const booked = quota === "phone" ? slots.phoneBooked : slots.webBooked;
  const capacity = quota === "phone" ? slots.phoneCapacity : slots.webCapacity;
  const [row] = await tx
    .update(slots)
    .set(
      quota === "phone" ? { phoneBooked: sql`${slots.phoneBooked} + 1` } : { webBooked: sql`${slots.webBooked} + 1` },
    )
    .where(
      and(eq(slots.tenantId, tenantId), eq(slots.id, slotId), eq(slots.status, "open"), sql`${booked} < ${capacity}`),
    )
    .returning({ id: slots.id });
  return row !== undefined;
}

export async function releaseSeat(tx: Tx, tenantId: string, slotId: string, quota: "web" | "phone") {
  await tx
    .update(slots)
    .set(
      quota === "phone" ? { phoneBooked: sql`${slots.phoneBooked} - 1` } : { webBooked: sql`${slots.webBooked} - 1` },
    )
    .where(and(eq(slots.tenantId, tenantId), eq(slots.id, slotId)));
}

/** What the booking rules need to know about a slot, its service and the holder's active reservations. */
export type SlotFacts = {
  slot: {
    status: string;
    startsAt: Date;
    webBooked: number;
    webCapacity: number;
    phoneBooked: number;
    phoneCapacity: number;
  };
  service: {
    id: string;
    active: boolean;
    doses: number;
    minIntervalDays: number;
    bookingWindowDays: number;
    phases: Service["phases"];
    ageReferenceDate: string;
  };
  holder: { id: string; birthDate: string };
  active: { id: string; dose: number; startsAt: Date }[];
};

/**
 * The booking rules, as a pure function of the facts: service and slot state, phase, booking window,
 * dose order and interval. Returns the dose this booking would be, or throws Refused.
 * `excludeReservationId` ignores the reservation being moved.
 */
export function evaluateSlot(
  facts: SlotFacts,
  input: { excludeReservationId?: string; quota?: "web" | "phone" },
  now: Date,
) {
  const { slot, service, holder, active } = facts;
  if (!service.active) throw new Refused("not-found");
  if (slot.status !== "open") throw new Refused("closed");
  // A full slot answers at once (the conditional UPDATE still decides races).
  if (input.quota === "web" && slot.webBooked >= slot.webCapacity) throw new Refused("full");
  if (input.quota === "phone" && slot.phoneBooked >= slot.phoneCapacity) throw new Refused("full");
  if (slot.startsAt <= now) throw new Refused("outside-window");
  if (slot.startsAt.getTime() > now.getTime() + service.bookingWindowDays * 24 * 3600 * 1000)
    throw new Refused("outside-window");
  const elig = eligibility(service.phases, holder.birthDate, service.ageReferenceDate, now);
  if (!elig.ok) throw new Refused("not-eligible", elig.opensAt);

  const others = active.filter((r) => r.id !== input.excludeReservationId);
  const moving = active.find((r) => r.id === input.excludeReservationId);
  const dose = moving ? moving.dose : others.length + 1;
  if (dose > service.doses) throw new Refused("all-doses-done");
  const previous = others.find((r) => r.dose === dose - 1);
  if (previous && slot.startsAt < earliestNextDose(previous.startsAt, service.minIntervalDays))
    throw new Refused("too-early-for-dose");
  const following = others.find((r) => r.dose === dose + 1);
  if (following && following.startsAt < earliestNextDose(slot.startsAt, service.minIntervalDays))
    throw new Refused("too-early-for-dose");
  return dose;
}

/** Loads the facts for a slot and holder inside a drizzle transaction and applies the rules (used by "change"). */
export async function checkSlotForHolder(
  tx: Tx,
  input: {
    tenantId: string;
    slotId: string;
    ticketHolderId: string;
    excludeReservationId?: string;
    quota?: "web" | "phone";
  },
  now: Date,
) {
  const [row] = await tx
    .select({ slot: slots, service: services, holder: ticketHolders })
    .from(slots)
    .innerJoin(services, onSlotService)
    .innerJoin(
      ticketHolders,
      and(eq(ticketHolders.tenantId, slots.tenantId), eq(ticketHolders.id, input.ticketHolderId)),
    )
    .where(and(eq(slots.tenantId, input.tenantId), eq(slots.id, input.slotId)));
  if (!row) throw new Refused("not-found");
  const active = await tx
    .select({ id: reservations.id, dose: reservations.dose, startsAt: slots.startsAt })
    .from(reservations)
    .innerJoin(slots, onReservationSlot)
    .where(
      and(
        eq(reservations.tenantId, input.tenantId),
        eq(reservations.ticketHolderId, row.holder.id),
        eq(reservations.serviceId, row.service.id),
        inArray(reservations.status, ["booked", "attended"]),
      ),
    );
  const dose = evaluateSlot({ ...row, active }, input, now);
  return { slot: row.slot, service: row.service, dose };
}

/**
 * Books a seat. One transaction: conditional counter update + reservation insert + outbox notice
 * (ADR 007), pipelined so an attempt costs two round trips to PostgreSQL whatever it answers.
 * The idempotency key makes a double click or a replayed form answer with the same booking.
 */
export async function bookSlot(db: Db, input: BookingInput, now = new Date()): Promise<BookingResult> {
  const quota = input.channel === "phone" ? "phone" : "web";
  try {
    const outcome = await withTenantPipelined(
      db,
      input.tenantId,
      async (c, commit) => {
        const { earlier, facts } = await readBookingFacts(c, input);
        if (earlier) return { row: earlier, replayed: true };
        if (!facts) throw new Refused("not-found");
        const dose = evaluateSlot(facts, { quota }, now);
        const row: NewReservation = {
          id: crypto.randomUUID(),
          tenantId: input.tenantId,
          slotId: input.slotId,
          serviceId: facts.service.id,
          ticketHolderId: input.ticketHolderId,
          dose,
          channel: input.channel,
          quota,
          confirmationCode: confirmationCode(),
          contact: input.contact,
          lineUserId: input.lineUserId ?? null,
          bookedByStaffId: input.bookedByStaffId ?? null,
          proxyNote: input.proxyNote ?? null,
          idempotencyKey: input.idempotencyKey,
        };
        const payload = catalogue["send-reservation-notice"].payload.parse({
          tenantId: input.tenantId,
          reservationId: row.id,
          kind: "confirmed",
          noticeId: crypto.randomUUID(),
        });
        // The write and COMMIT go out together: a full slot wrote nothing, so committing is harmless.
        const [inserted] = await settleAll([
          insertBooking(c, row, { jobName: "send-reservation-notice", payload }),
          row.bookedByStaffId ? auditStaffBooking(c, row, input.ip ?? null) : Promise.resolve(null),
          commit(),
        ] as const);
        if (!inserted[0]) throw new Refused("full");
        return { row: inserted[0], replayed: false };
      },
      { lockKey: bookingLockKey(input) },
    );
    return { ok: true, reservation: outcome.row, replayed: outcome.replayed };
  } catch (e) {
    if (e instanceof Refused) return refuse(e.reason, e.opensAt);
    // postgres.js errors carry constraint_name themselves; drizzle wraps them in `cause`.
    const err = e as { constraint_name?: string; cause?: { constraint_name?: string } };
    const constraint = err.constraint_name ?? err.cause?.constraint_name;
    // A concurrent double submit may trip either unique index first; if the same key booked, replay it.
    if (constraint === "reservations_one_active_per_dose" || constraint === "reservations_tenant_idempotency") {
      const same = await findByIdempotencyKey(db, input.tenantId, input.idempotencyKey);
      if (same) return { ok: true, reservation: pick(same), replayed: true };
      if (constraint === "reservations_one_active_per_dose") return refuse("already-booked");
    }
    throw e;
  }
}

export { Refused };
