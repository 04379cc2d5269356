import { resolveLanguage } from "~/lib/i18n";
import { and, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { settleAll, withTenantPipelined } from "#db/pipeline.server";
import { catalogue } from "#jobs/catalogue";
import { countBooking } from "~/lib/metrics.server";
import { reservations, services, slots, ticketHolders, type BookingChannel, type Reservation } from "#db/schema/index";
import {
  auditStaffBooking,
  bookingLockKey,
  insertBooking,
  readBookingFacts,
  type NewReservation,
} from "./booking-tx.server";
import { Refused, evaluateSlot } from "./booking-rules.server";
import { confirmationCode } from "./eligibility";
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
  /** A family member booking on the web for the resident (issue 15); contact is theirs then. */
  family?: { name: string; relation: string } | null;
  idempotencyKey: string;
  ip?: string | null;
  /** The language the resident booked in; its e-mails are written in it (ADR 045). Default Japanese. */
  language?: string;
};

export type BookedReservation = Pick<Reservation, "id" | "confirmationCode" | "dose" | "slotId" | "serviceId">;
export type BookingResult =
  | { ok: true; reservation: BookedReservation; replayed: boolean }
  | { ok: false; reason: Refusal; message: string; opensAt?: Date | null };

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
  const result = await attempt(db, input, now);
  countBooking(result.ok ? "booked" : result.reason === "full" ? "full" : "refused");
  return result;
}

async function attempt(db: Db, input: BookingInput, now: Date): Promise<BookingResult> {
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
          family: input.family ?? null,
          idempotencyKey: input.idempotencyKey,
          language: resolveLanguage(input.language),
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
