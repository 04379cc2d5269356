import { and, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { reservations, services, slots } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { writeOutbox } from "~/features/outbox/outbox.server";
import { checkSlotForHolder } from "./booking.server";
import { Refused } from "./booking-rules.server";
import { releaseSeat, takeSeat } from "./seats.server";
import { beforeCutoff } from "./eligibility";
import { REFUSAL_MESSAGES } from "./refusals";
import { onReservationService, onReservationSlot } from "#db/joins";

/** Who asks: the resident (bound by the cut-off) or staff (may act after it, and is audited). */
export type Actor = { kind: "resident" } | { kind: "staff"; staffUserId: string; ip?: string | null };

export type ChangeResult =
  | { ok: true; reservationId: string; slotId: string }
  | { ok: false; reason: keyof typeof REFUSAL_MESSAGES; message: string };

async function loadActive(
  tx: Parameters<Parameters<typeof withTenant>[2]>[0],
  tenantId: string,
  reservationId: string,
) {
  const [row] = await tx
    .select({ r: reservations, startsAt: slots.startsAt, cutoff: services.changeCutoffHours })
    .from(reservations)
    .innerJoin(slots, onReservationSlot)
    .innerJoin(services, onReservationService)
    .where(and(eq(reservations.tenantId, tenantId), eq(reservations.id, reservationId)))
    .for("update", { of: reservations });
  if (!row || row.r.status !== "booked") throw new Refused("not-active");
  return row;
}

/**
 * Moves a reservation to another slot atomically: the new seat is taken and the old one released in
 * one transaction — or, if the new slot is full or not allowed, nothing changes at all.
 */
export async function changeReservation(
  db: Db,
  input: { tenantId: string; reservationId: string; newSlotId: string; actor: Actor },
  now = new Date(),
): Promise<ChangeResult> {
  try {
    return await withTenant(db, input.tenantId, async (tx) => {
      const { r, startsAt, cutoff } = await loadActive(tx, input.tenantId, input.reservationId);
      if (input.actor.kind === "resident" && !beforeCutoff(startsAt, cutoff, now)) throw new Refused("past-cutoff");
      if (input.newSlotId === r.slotId) return { ok: true as const, reservationId: r.id, slotId: r.slotId };
      const { slot } = await checkSlotForHolder(
        tx,
        {
          tenantId: input.tenantId,
          slotId: input.newSlotId,
          ticketHolderId: r.ticketHolderId,
          excludeReservationId: r.id,
        },
        now,
      );
      if (slot.serviceId !== r.serviceId) throw new Refused("not-found");
      if (!(await takeSeat(tx, input.tenantId, input.newSlotId, r.quota))) throw new Refused("full");
      await releaseSeat(tx, input.tenantId, r.slotId, r.quota);
      await tx
        .update(reservations)
        .set({ slotId: input.newSlotId, updatedAt: sql`now()` })
        .where(and(eq(reservations.tenantId, input.tenantId), eq(reservations.id, r.id)));
      await writeOutbox(tx, input.tenantId, "send-reservation-notice", {
        tenantId: input.tenantId,
        reservationId: r.id,
        kind: "changed",
        noticeId: crypto.randomUUID(),
      });
      if (input.actor.kind === "staff") {
        await recordAudit(tx, {
          tenantId: input.tenantId,
          actorKind: "staff",
          actorId: input.actor.staffUserId,
          action: "reservation.change",
          targetType: "reservation",
          targetId: r.id,
          detail: { from: r.slotId, to: input.newSlotId },
          ip: input.actor.ip,
        });
      }
      return { ok: true as const, reservationId: r.id, slotId: input.newSlotId };
    });
  } catch (e) {
    if (e instanceof Refused) return { ok: false, reason: e.reason, message: REFUSAL_MESSAGES[e.reason] };
    throw e;
  }
}

export async function cancelReservation(
  db: Db,
  input: { tenantId: string; reservationId: string; actor: Actor },
  now = new Date(),
): Promise<ChangeResult> {
  try {
    return await withTenant(db, input.tenantId, async (tx) => {
      const { r, startsAt, cutoff } = await loadActive(tx, input.tenantId, input.reservationId);
      if (input.actor.kind === "resident" && !beforeCutoff(startsAt, cutoff, now)) throw new Refused("past-cutoff");
      await releaseSeat(tx, input.tenantId, r.slotId, r.quota);
      await tx
        .update(reservations)
        .set({ status: "cancelled", cancelledAt: now, updatedAt: sql`now()` })
        .where(and(eq(reservations.tenantId, input.tenantId), eq(reservations.id, r.id)));
      await writeOutbox(tx, input.tenantId, "send-reservation-notice", {
        tenantId: input.tenantId,
        reservationId: r.id,
        kind: "cancelled",
        noticeId: crypto.randomUUID(),
      });
      if (input.actor.kind === "staff") {
        await recordAudit(tx, {
          tenantId: input.tenantId,
          actorKind: "staff",
          actorId: input.actor.staffUserId,
          action: "reservation.cancel",
          targetType: "reservation",
          targetId: r.id,
          ip: input.actor.ip,
        });
      }
      return { ok: true as const, reservationId: r.id, slotId: r.slotId };
    });
  } catch (e) {
    if (e instanceof Refused) return { ok: false, reason: e.reason, message: REFUSAL_MESSAGES[e.reason] };
    throw e;
  }
}
