import { and, asc, count, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { reservations, slots, venues } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { writeOutbox } from "~/features/outbox/outbox.server";
import { isUuid, type StaffActor } from "~/features/services/services.server";
import { addDays, tokyoInstant } from "~/lib/japan-time";

export type CloseTarget = { kind: "slot"; slotId: string } | { kind: "venue-day"; venueId: string; date: string };

/** A resident whose booking was cancelled and who has neither e-mail nor LINE: staff must phone them. */
export type Unreachable = {
  reservationId: string;
  name: string;
  phone: string;
  startsAt: string;
  confirmationCode: string;
};

export type CloseResult =
  { ok: true; closedSlots: number; cancelled: number; unreachable: Unreachable[] } | { ok: false; message: string };

// "No e-mail and no LINE", written defensively: a blank address or an empty LINE id reaches nobody either.
const noEmailNorLine = sql`trim(${reservations.contactEmail}) = '' and coalesce(${reservations.lineUserId}, '') = ''`;

const DEADLOCK = "40P01";
const isDeadlock = (e: unknown) =>
  (e as { cause?: { code?: string } }).cause?.code === DEADLOCK || (e as { code?: string }).code === DEADLOCK;

function dayBounds(date: string) {
  return { from: tokyoInstant(date, "00:00"), to: tokyoInstant(addDays(date, 1), "00:00") };
}

/**
 * Closes one slot or every open slot of a venue on a day (typhoon, a doctor falling ill), and cancels
 * every booking on them — all in one transaction with one notice per reservation in the outbox.
 *
 * The slots are closed first: holding their row locks means no booking can slip in afterwards
 * (takeSeat waits, then sees "closed"), so the reservation update below sees every booking there is.
 * Seats are not released: the slot is closed and its counters record what was booked. A resident
 * cancelling at the very same moment locks in the opposite order and can deadlock with us;
 * Postgres then aborts one side, and ours is simply retried, since it rolled back completely.
 */
export async function closeSlots(
  db: Db,
  tenantId: string,
  target: CloseTarget,
  reason: string,
  actor: StaffActor,
  now = new Date(),
): Promise<CloseResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await closeOnce(db, tenantId, target, reason, actor, now);
    } catch (e) {
      if (!isDeadlock(e) || attempt >= 3) throw e;
    }
  }
}

async function closeOnce(
  db: Db,
  tenantId: string,
  target: CloseTarget,
  reason: string,
  actor: StaffActor,
  now: Date,
): Promise<CloseResult> {
  if (target.kind === "slot" && !isUuid(target.slotId)) return { ok: false, message: "予約枠が見つかりません。" };
  if (target.kind === "venue-day" && !isUuid(target.venueId)) return { ok: false, message: "会場が見つかりません。" };
  return withTenant(db, tenantId, async (tx) => {
    const day = target.kind === "venue-day" ? dayBounds(target.date) : null;
    const which =
      target.kind === "slot"
        ? eq(slots.id, target.slotId)
        : and(eq(slots.venueId, target.venueId), gte(slots.startsAt, day!.from), lt(slots.startsAt, day!.to));
    const closed = await tx
      .update(slots)
      .set({ status: "closed", closedReason: reason, closedAt: now })
      .where(and(eq(slots.tenantId, tenantId), eq(slots.status, "open"), which))
      .returning({ id: slots.id, startsAt: slots.startsAt });
    if (closed.length === 0) {
      return {
        ok: false as const,
        message:
          target.kind === "slot"
            ? "この枠はすでに休止しているか、見つかりません。"
            : "この日に受付中の枠はありません。",
      };
    }
    const startsAt = new Map(closed.map((s) => [s.id, s.startsAt]));
    const cancelled = await tx
      .update(reservations)
      .set({ status: "cancelled", cancelledAt: now, updatedAt: sql`now()` })
      .where(
        and(
          eq(reservations.tenantId, tenantId),
          inArray(reservations.slotId, [...startsAt.keys()]),
          eq(reservations.status, "booked"),
        ),
      )
      .returning({
        id: reservations.id,
        slotId: reservations.slotId,
        name: reservations.contactName,
        phone: reservations.contactPhone,
        email: reservations.contactEmail,
        lineUserId: reservations.lineUserId,
        confirmationCode: reservations.confirmationCode,
      });
    for (const r of cancelled) {
      await writeOutbox(tx, tenantId, "send-reservation-notice", {
        tenantId,
        reservationId: r.id,
        kind: "slot-closed",
        noticeId: crypto.randomUUID(),
      });
    }
    const unreachable = cancelled
      .filter((r) => r.email.trim() === "" && !r.lineUserId)
      .map((r) => ({
        reservationId: r.id,
        name: r.name,
        phone: r.phone,
        startsAt: startsAt.get(r.slotId)!.toISOString(),
        confirmationCode: r.confirmationCode,
      }))
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.name.localeCompare(b.name, "ja"));
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "slot.close",
      targetType: target.kind === "slot" ? "slot" : "venue",
      targetId: target.kind === "slot" ? target.slotId : target.venueId,
      // Counts only: the unreachable residents' names and phones shown to staff stay out of the log.
      detail: {
        reason,
        ...(target.kind === "venue-day" ? { date: target.date } : {}),
        slots: closed.length,
        cancelled: cancelled.length,
        unreachable: unreachable.length,
      },
      ip: actor.ip,
    });
    return { ok: true as const, closedSlots: closed.length, cancelled: cancelled.length, unreachable };
  });
}

/** What closing a venue-day would touch, for the confirmation page. */
export async function venueDaySummary(db: Db, tenantId: string, venueId: string, date: string) {
  if (!isUuid(venueId)) return null;
  const { from, to } = dayBounds(date);
  return withTenant(db, tenantId, async (tx) => {
    const [venue] = await tx
      .select({ id: venues.id, name: venues.name })
      .from(venues)
      .where(and(eq(venues.tenantId, tenantId), eq(venues.id, venueId)));
    if (!venue) return null;
    const daySlots = await tx
      .select({ id: slots.id, startsAt: slots.startsAt, status: slots.status })
      .from(slots)
      .where(
        and(
          eq(slots.tenantId, tenantId),
          eq(slots.venueId, venueId),
          gte(slots.startsAt, from),
          lt(slots.startsAt, to),
        ),
      )
      .orderBy(asc(slots.startsAt));
    const openIds = daySlots.filter((s) => s.status === "open").map((s) => s.id);
    const [booked] = openIds.length
      ? await tx
          .select({ n: count() })
          .from(reservations)
          .where(
            and(
              eq(reservations.tenantId, tenantId),
              inArray(reservations.slotId, openIds),
              eq(reservations.status, "booked"),
            ),
          )
      : [{ n: 0 }];
    const [noContact] = openIds.length
      ? await tx
          .select({ n: count() })
          .from(reservations)
          .where(
            and(
              eq(reservations.tenantId, tenantId),
              inArray(reservations.slotId, openIds),
              eq(reservations.status, "booked"),
              noEmailNorLine,
            ),
          )
      : [{ n: 0 }];
    return { venue, date, slots: daySlots.length, open: openIds.length, booked: booked!.n, noContact: noContact!.n };
  });
}

/**
 * Who must still be phoned about a closed slot: the bookings the closure cancelled (cancelled at or
 * after the slot's closedAt) whose holder has neither e-mail nor LINE. Staff reopen the slot's page to
 * work through it, so the list is not lost when they leave the page that closed it. Viewing it shows
 * names and phone numbers, so each view is written to the audit log (counts only).
 */
export async function closureCallList(
  db: Db,
  tenantId: string,
  slotId: string,
  actor: StaffActor,
): Promise<Unreachable[] | null> {
  if (!isUuid(slotId)) return null;
  return withTenant(db, tenantId, async (tx) => {
    const s = alias(slots, "s");
    const rows = await tx
      .select({
        reservationId: reservations.id,
        name: reservations.contactName,
        phone: reservations.contactPhone,
        startsAt: s.startsAt,
        confirmationCode: reservations.confirmationCode,
      })
      .from(reservations)
      .innerJoin(s, and(eq(s.tenantId, reservations.tenantId), eq(s.id, reservations.slotId)))
      .where(
        and(
          eq(reservations.tenantId, tenantId),
          eq(reservations.slotId, slotId),
          eq(s.status, "closed"),
          eq(reservations.status, "cancelled"),
          gte(reservations.cancelledAt, s.closedAt),
          noEmailNorLine,
        ),
      )
      .orderBy(asc(reservations.contactName));
    if (rows.length === 0) return [];
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "slot.call-list.view",
      targetType: "slot",
      targetId: slotId,
      detail: { residents: rows.length },
      ip: actor.ip,
    });
    return rows.map((r) => ({ ...r, startsAt: r.startsAt.toISOString() }));
  });
}
