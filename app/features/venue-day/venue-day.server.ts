import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { reservations, services, slots, venues } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import type { CsvEncoding } from "~/lib/csv.server";
import { tokyoDateOf, tokyoDayRange } from "~/lib/japan-time";
import { onReservationService, onReservationSlot } from "#db/joins";

/**
 * The day at a venue: who is expected, and who came. The list carries names and phone numbers, so
 * every view and every export is audited with the venue, the day and how many people it showed.
 */

type Staff = { staffUserId: string; ip?: string | null };
type VenueDay = { tenantId: string; venueId: string; date: string };

export type VenueDayRow = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  contactName: string;
  contactPhone: string;
  dose: number;
  channel: "web" | "line" | "phone";
  status: "booked" | "cancelled" | "attended" | "no_show";
  confirmationCode: string;
  proxyNote: string | null;
  serviceName: string;
  attendedAt: Date | null;
};

export async function listVenues(db: Db, tenantId: string) {
  // Inactive venues too: staff still look back at (and export) days of a venue that has closed.
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({ id: venues.id, name: venues.name, active: venues.active })
      .from(venues)
      .where(eq(venues.tenantId, tenantId))
      .orderBy(asc(venues.name)),
  );
}

async function findVenue(tx: Tx, tenantId: string, venueId: string) {
  const [venue] = await tx
    .select({ id: venues.id, name: venues.name })
    .from(venues)
    .where(and(eq(venues.tenantId, tenantId), eq(venues.id, venueId)));
  return venue ?? null;
}

async function dayRows(tx: Tx, input: VenueDay): Promise<VenueDayRow[]> {
  const { from, to } = tokyoDayRange(input.date);
  return (
    tx
      .select({
        id: reservations.id,
        startsAt: slots.startsAt,
        endsAt: slots.endsAt,
        contactName: reservations.contactName,
        contactPhone: reservations.contactPhone,
        dose: reservations.dose,
        channel: reservations.channel,
        status: reservations.status,
        confirmationCode: reservations.confirmationCode,
        proxyNote: reservations.proxyNote,
        serviceName: services.name,
        attendedAt: reservations.attendedAt,
      })
      .from(reservations)
      .innerJoin(slots, onReservationSlot)
      .innerJoin(services, onReservationService)
      .where(
        and(
          eq(reservations.tenantId, input.tenantId),
          eq(slots.venueId, input.venueId),
          gte(slots.startsAt, from),
          lt(slots.startsAt, to),
        ),
      )
      // Within a time, booking order: sorting kanji names by code point would not be reading order anyway.
      .orderBy(asc(slots.startsAt), asc(reservations.createdAt), asc(reservations.id))
  );
}

async function auditedDay(
  db: Db,
  input: VenueDay & Staff,
  action: "venue-day.view" | "venue-day.export",
  extra: Record<string, unknown> = {},
) {
  return withTenant(db, input.tenantId, async (tx) => {
    const venue = await findVenue(tx, input.tenantId, input.venueId);
    if (!venue) return null;
    const rows = await dayRows(tx, input);
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorKind: "staff",
      actorId: input.staffUserId,
      action,
      targetType: "venue",
      targetId: venue.id,
      detail: { venueId: venue.id, date: input.date, count: rows.length, ...extra },
      ip: input.ip,
    });
    return { venue, rows };
  });
}

/** The list for the page (audited as a view). Null when the venue is not this city's. */
export function viewVenueDay(db: Db, input: VenueDay & Staff) {
  return auditedDay(db, input, "venue-day.view");
}

/** The list for the CSV file (audited as an export, with the encoding chosen). */
export function exportVenueDay(db: Db, input: VenueDay & Staff & { encoding: CsvEncoding }) {
  return auditedDay(db, input, "venue-day.export", { encoding: input.encoding });
}

export type AttendanceMark = "attended" | "no_show" | "booked";
export type AttendanceResult = { ok: true; status: AttendanceMark } | { ok: false; message: string };

export const ATTENDANCE_MESSAGES = {
  notOnList: "この予約は選択中の会場・日付の一覧にありません。画面を読み込み直してください。",
  cancelled: "キャンセルされた予約には来場を記録できません。",
  future: "接種日より前に来場を記録することはできません。",
  undoOnlySameDay: "来場記録の取り消しは接種当日のみ行えます。",
  notMarked: "この予約はまだ来場の記録がありません。",
  alreadyMarked:
    "この予約はすでに記録済みです。訂正するときは、当日中に「記録を取り消す」を押してから記録し直してください。",
  rebooked: "この方は同じ回の別の予約があるため、記録を取り消せません。",
} as const;

/**
 * Marks a reservation attended or no-show, or (on the day itself) undoes the mark back to booked.
 * Only reservations on the venue-day being shown are accepted, so a forged or stale form cannot mark
 * anything else. Marks for past days are allowed (staff enter a paper checklist the next morning);
 * an undo is not, so a completed dose does not silently disappear from the city's figures later.
 * Seat counters are untouched: the slot's time has come, a freed seat could not be used any more.
 */
export async function markAttendance(
  db: Db,
  input: VenueDay & Staff & { reservationId: string; mark: AttendanceMark },
  now = new Date(),
): Promise<AttendanceResult> {
  const today = tokyoDateOf(now);
  try {
    return await withTenant(db, input.tenantId, async (tx): Promise<AttendanceResult> => {
      const [row] = await tx
        .select({ id: reservations.id, status: reservations.status, venueId: slots.venueId, startsAt: slots.startsAt })
        .from(reservations)
        .innerJoin(slots, onReservationSlot)
        .where(and(eq(reservations.tenantId, input.tenantId), eq(reservations.id, input.reservationId)))
        .for("update", { of: reservations });
      if (!row || row.venueId !== input.venueId || tokyoDateOf(row.startsAt) !== input.date)
        return { ok: false, message: ATTENDANCE_MESSAGES.notOnList };
      if (row.status === input.mark) return { ok: true, status: input.mark }; // a double click
      if (row.status === "cancelled") return { ok: false, message: ATTENDANCE_MESSAGES.cancelled };
      if (input.mark === "booked") {
        if (input.date !== today) return { ok: false, message: ATTENDANCE_MESSAGES.undoOnlySameDay };
      } else {
        if (input.date > today) return { ok: false, message: ATTENDANCE_MESSAGES.future };
        if (row.status !== "booked") return { ok: false, message: ATTENDANCE_MESSAGES.alreadyMarked };
      }
      await tx
        .update(reservations)
        .set({ status: input.mark, attendedAt: input.mark === "attended" ? now : null, updatedAt: sql`now()` })
        .where(and(eq(reservations.tenantId, input.tenantId), eq(reservations.id, row.id)));
      await recordAudit(tx, {
        tenantId: input.tenantId,
        actorKind: "staff",
        actorId: input.staffUserId,
        action: "reservation.attendance",
        targetType: "reservation",
        targetId: row.id,
        detail: { from: row.status, to: input.mark, venueId: input.venueId, date: input.date },
        ip: input.ip,
      });
      return { ok: true, status: input.mark };
    });
  } catch (e) {
    // Undoing a no-show after the resident booked the same dose again would make two active reservations.
    const constraint = (e as { cause?: { constraint_name?: string } }).cause?.constraint_name;
    if (constraint === "reservations_one_active_per_dose") return { ok: false, message: ATTENDANCE_MESSAGES.rebooked };
    throw e;
  }
}
