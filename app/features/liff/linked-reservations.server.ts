import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { reservations, services, slots, venues, type BookingChannel } from "#db/schema/index";
import { onReservationService, onReservationSlot, onSlotVenue } from "#db/joins";
import { beforeCutoff } from "~/features/reservations/eligibility";
import { formatDateTimeJa } from "~/lib/japan-time";

/**
 * Reservations linked to a verified LINE user (reservations.line_user_id). The link is as strong a
 * proof as ticket number + birth date, because only that holder could make it: at booking (the
 * flow had passed the ticket check) or from "my reservation" (same). So a verified LINE user may see
 * and open their linked reservations without typing the ticket number again. Every query names the
 * tenant and runs inside withTenant (ADR 005).
 */

export type LinkedReservation = {
  id: string;
  dose: number;
  channel: BookingChannel;
  confirmationCode: string;
  serviceName: string;
  when: string;
  startsAt: Date;
  venue: { name: string; address: string };
  changeCutoffHours: number;
  changeable: boolean;
};

/** The LINE user's reservations still to come, soonest first. */
export async function linkedReservations(
  db: Db,
  tenantId: string,
  lineUserId: string,
  now = new Date(),
): Promise<LinkedReservation[]> {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: reservations.id,
        dose: reservations.dose,
        channel: reservations.channel,
        confirmationCode: reservations.confirmationCode,
        serviceName: services.name,
        startsAt: slots.startsAt,
        venue: { name: venues.name, address: venues.address },
        changeCutoffHours: services.changeCutoffHours,
      })
      .from(reservations)
      .innerJoin(slots, onReservationSlot)
      .innerJoin(venues, onSlotVenue)
      .innerJoin(services, onReservationService)
      .where(
        and(
          eq(reservations.tenantId, tenantId),
          eq(reservations.lineUserId, lineUserId),
          eq(reservations.status, "booked"),
          sql`${slots.startsAt} > now() - interval '1 day'`,
        ),
      )
      .orderBy(asc(slots.startsAt)),
  );
  return rows.map(({ startsAt, ...r }) => ({
    startsAt,
    ...r,
    when: formatDateTimeJa(startsAt),
    changeable: beforeCutoff(startsAt, r.changeCutoffHours, now),
  }));
}

/**
 * The ticket holder behind one of the LINE user's linked reservations, or null when it is not
 * theirs (or no longer booked). "My reservation" then opens that holder's pages as if they had
 * typed their ticket number.
 */
export async function holderOfLinked(
  db: Db,
  tenantId: string,
  lineUserId: string,
  reservationId: string,
): Promise<string | null> {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ ticketHolderId: reservations.ticketHolderId })
      .from(reservations)
      .where(
        and(
          eq(reservations.tenantId, tenantId),
          eq(reservations.id, reservationId),
          eq(reservations.lineUserId, lineUserId),
          eq(reservations.status, "booked"),
        ),
      ),
  );
  return row?.ticketHolderId ?? null;
}

/** For the holder's list: which of these reservations are linked to this LINE user, and which to another one. */
export async function lineLinkState(
  db: Db,
  tenantId: string,
  reservationIds: string[],
  lineUserId: string | null,
): Promise<Record<string, "mine" | "other" | "none">> {
  if (reservationIds.length === 0) return {};
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ id: reservations.id, lineUserId: reservations.lineUserId })
      .from(reservations)
      .where(and(eq(reservations.tenantId, tenantId), inArray(reservations.id, reservationIds))),
  );
  return Object.fromEntries(
    rows.map((r) => [r.id, !r.lineUserId ? "none" : r.lineUserId === lineUserId ? "mine" : "other"]),
  );
}

/**
 * Links one of the holder's booked reservations to the verified LINE user (from "my reservation",
 * after the ticket check). A reservation already linked to another LINE account is not taken over
 * silently: the resident unlinks it first. Returns whether it is now linked to this user.
 */
export async function linkHolderReservation(
  db: Db,
  tenantId: string,
  input: { ticketHolderId: string; reservationId: string; lineUserId: string },
): Promise<boolean> {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .update(reservations)
      .set({ lineUserId: input.lineUserId, updatedAt: sql`now()` })
      .where(
        and(
          eq(reservations.tenantId, tenantId),
          eq(reservations.id, input.reservationId),
          eq(reservations.ticketHolderId, input.ticketHolderId),
          eq(reservations.status, "booked"),
          or(isNull(reservations.lineUserId), eq(reservations.lineUserId, input.lineUserId)),
        ),
      )
      .returning({ id: reservations.id }),
  );
  return rows.length === 1;
}

/**
 * Removes the LINE link: by the holder (ticket check done) or by the LINE user it is linked to.
 * Notices then go by e-mail again. The booking channel stays what it was: it records how it was made.
 */
export async function unlinkReservation(
  db: Db,
  tenantId: string,
  input: { reservationId: string; ticketHolderId?: string | null; lineUserId?: string | null },
): Promise<boolean> {
  const who = [
    input.ticketHolderId ? eq(reservations.ticketHolderId, input.ticketHolderId) : null,
    input.lineUserId ? eq(reservations.lineUserId, input.lineUserId) : null,
  ].filter((c) => c !== null);
  if (who.length === 0) return false;
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .update(reservations)
      .set({ lineUserId: null, updatedAt: sql`now()` })
      .where(and(eq(reservations.tenantId, tenantId), eq(reservations.id, input.reservationId), or(...who)))
      .returning({ id: reservations.id }),
  );
  return rows.length === 1;
}
