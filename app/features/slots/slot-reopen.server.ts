import { and, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { slots } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { isUuid, type StaffActor } from "~/features/services/services.server";

export type ReopenResult = { ok: true; webBooked: number; phoneBooked: number } | { ok: false; message: string };

/**
 * Opens a closed slot again (the typhoon turned away, the doctor recovered). Only the slot reopens:
 * the bookings its closure cancelled stay cancelled — those residents were told, and must book again.
 *
 * The counters are recomputed from the reservations still holding a seat rather than reset to 0:
 * closing kept them as they were (it released nothing), and while the slot is closed no booking can
 * take a seat (takeSeat needs status 'open'), so the count read inside this one UPDATE is exact.
 * closed_at is cleared; a later closure sets a newer one, so its call list only names the residents
 * that closure cancelled, never those of the earlier one.
 */
export async function reopenSlot(
  db: Db,
  tenantId: string,
  slotId: string,
  reason: string,
  actor: StaffActor,
  now = new Date(),
): Promise<ReopenResult> {
  if (!isUuid(slotId)) return { ok: false, message: "予約枠が見つかりません。" };
  return withTenant(db, tenantId, async (tx) => {
    // Lock the row first so the refusal message describes the slot as it is, not as it was.
    const [slot] = await tx
      .select({ status: slots.status, startsAt: slots.startsAt, closedReason: slots.closedReason })
      .from(slots)
      .where(and(eq(slots.tenantId, tenantId), eq(slots.id, slotId)))
      .for("update");
    if (!slot) return { ok: false as const, message: "予約枠が見つかりません。" };
    if (slot.status === "open") return { ok: false as const, message: "この枠はすでに受付中です。" };
    if (slot.startsAt.getTime() <= now.getTime())
      return { ok: false as const, message: "開始時刻を過ぎた枠は受付を再開できません。" };

    // Seats held: 'booked', plus 'attended' which cannot normally precede the start but would hold one.
    const held = (quota: "web" | "phone") =>
      sql<number>`(select count(*)::int from reservations r where r.tenant_id = ${tenantId} and r.slot_id = ${slotId} and r.quota = ${quota} and r.status in ('booked', 'attended'))`;
    const [opened] = await tx
      .update(slots)
      .set({ status: "open", closedReason: null, closedAt: null, webBooked: held("web"), phoneBooked: held("phone") })
      .where(and(eq(slots.tenantId, tenantId), eq(slots.id, slotId), eq(slots.status, "closed")))
      .returning({ webBooked: slots.webBooked, phoneBooked: slots.phoneBooked });
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "slot.reopen",
      targetType: "slot",
      targetId: slotId,
      detail: {
        reason,
        closedReason: slot.closedReason,
        webBooked: opened!.webBooked,
        phoneBooked: opened!.phoneBooked,
      },
      ip: actor.ip,
    });
    return { ok: true as const, webBooked: opened!.webBooked, phoneBooked: opened!.phoneBooked };
  });
}
