import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { reservations } from "#db/schema/index";
import { bookSlot } from "~/features/reservations/booking.server";
import { cancelReservation, changeReservation } from "~/features/reservations/change-cancel.server";
import type { Refusal } from "~/features/reservations/refusals";

/**
 * Staff acting for a caller. The booking engine does the work (quota, rules, outbox, audit); this
 * layer fixes what is always true on the phone: the phone quota, the staff member as the booker,
 * and that the reservation touched belongs to the caller on screen.
 */

type Staff = { staffUserId: string; ip?: string | null };

// Refusals about the chosen time are shown next to the slot list; the rest concern the person.
const SLOT_REFUSALS: ReadonlySet<Refusal> = new Set([
  "full",
  "closed",
  "not-found",
  "outside-window",
  "too-early-for-dose",
]);
export const refusalField = (reason: Refusal) => (SLOT_REFUSALS.has(reason) ? "slotId" : "_form");

export const NOT_THIS_HOLDER = "この予約は表示中の方のものではありません。もう一度検索してから操作してください。";

export async function bookByPhone(
  db: Db,
  input: {
    tenantId: string;
    holderId: string;
    slotId: string;
    name: string;
    phone: string;
    email: string;
    proxyNote: string;
    idempotencyKey: string;
  } & Staff,
) {
  return bookSlot(db, {
    tenantId: input.tenantId,
    slotId: input.slotId,
    ticketHolderId: input.holderId,
    channel: "phone",
    contact: { name: input.name, phone: input.phone, email: input.email },
    bookedByStaffId: input.staffUserId,
    proxyNote: input.proxyNote || null,
    // Namespaced so a phone form's key can never meet a resident's key for the same city.
    idempotencyKey: `phone:${input.idempotencyKey}`,
    ip: input.ip,
  });
}

// A page left open on one caller must not change another caller's reservation.
async function belongsToHolder(db: Db, tenantId: string, reservationId: string, holderId: string) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ id: reservations.id })
      .from(reservations)
      .where(
        and(
          eq(reservations.tenantId, tenantId),
          eq(reservations.id, reservationId),
          eq(reservations.ticketHolderId, holderId),
        ),
      ),
  );
  return row !== undefined;
}

type Outcome = { ok: true } | { ok: false; field: "slotId" | "_form"; message: string };

export async function changeByPhone(
  db: Db,
  input: { tenantId: string; holderId: string; reservationId: string; slotId: string } & Staff,
): Promise<Outcome> {
  if (!(await belongsToHolder(db, input.tenantId, input.reservationId, input.holderId)))
    return { ok: false, field: "_form", message: NOT_THIS_HOLDER };
  const r = await changeReservation(db, {
    tenantId: input.tenantId,
    reservationId: input.reservationId,
    newSlotId: input.slotId,
    actor: { kind: "staff", staffUserId: input.staffUserId, ip: input.ip },
  });
  return r.ok ? { ok: true } : { ok: false, field: refusalField(r.reason), message: r.message };
}

export async function cancelByPhone(
  db: Db,
  input: { tenantId: string; holderId: string; reservationId: string } & Staff,
): Promise<Outcome> {
  if (!(await belongsToHolder(db, input.tenantId, input.reservationId, input.holderId)))
    return { ok: false, field: "_form", message: NOT_THIS_HOLDER };
  const r = await cancelReservation(db, {
    tenantId: input.tenantId,
    reservationId: input.reservationId,
    actor: { kind: "staff", staffUserId: input.staffUserId, ip: input.ip },
  });
  return r.ok ? { ok: true } : { ok: false, field: "_form", message: r.message };
}
