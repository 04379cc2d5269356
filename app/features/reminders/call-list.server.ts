import { and, eq, gte, inArray, lt, or, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { onReservationSlot, onSlotVenue } from "#db/joins";
import {
  lineChannels,
  lineFriends,
  reminderSends,
  reservations,
  services,
  slots,
  staffUsers,
  venues,
  type ReminderRule,
} from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit } from "~/features/audit/audit.server";
import { dueAt, reminderVerdict, ruleKey, ruleLabel, startsWithDueOnDay } from "./rules";
import { tokyoInstant } from "~/lib/japan-time";

/**
 * The staff call list (リマインダー電話リスト): the reminders falling on one day in Japan for residents
 * whom neither LINE nor e-mail can reach — mostly phone bookings by older residents, whom other
 * systems forget. Same timing as the sweep (rules.ts), same reachability as the send: LINE counts
 * only when linked, still a friend and the city has a channel; a blank address is no e-mail. A
 * reminder the sweep already recorded for the call list stays on it even if contact details change.
 * A reminder whose send failed for good (retries used up: LINE or mail down) is on it too, with the
 * reason, whatever the contact details — it reached nobody, so staff phone.
 * Names and phone numbers: every view is audited, and so is every 電話済み.
 */

export type CallListRow = {
  reservationId: string;
  slotId: string;
  ruleKey: string;
  ruleLabel: string;
  dueAt: Date;
  startsAt: Date;
  contactName: string;
  contactPhone: string;
  proxyNote: string | null;
  confirmationCode: string;
  venueName: string;
  serviceName: string;
  calledAt: Date | null;
  calledBy: string | null;
  /** Set when the LINE/e-mail send failed for good and the resident is listed to be phoned instead. */
  failReason: string | null;
};

type Staff = { staffUserId: string; ip?: string | null };

/** 00:00 in Japan of a "YYYY-MM-DD" calendar date. */
const jstDayStart = (date: string) => tokyoInstant(date);

// Reachable by LINE: the same three conditions as lineRouteFor() at send time.
const lineReachable = sql`(${reservations.lineUserId} is not null
  and exists (select 1 from ${lineFriends} f where f.tenant_id = ${reservations.tenantId} and f.line_user_id = ${reservations.lineUserId} and f.status = 'following')
  and exists (select 1 from ${lineChannels} c where c.tenant_id = ${reservations.tenantId}))`;
const unreachable = sql`(trim(${reservations.contactEmail}) = '' and not ${lineReachable})`;

async function rowsForRule(
  tx: Tx,
  tenantId: string,
  service: { id: string; name: string; reminders: ReminderRule[] },
  rule: ReminderRule,
  dayStart: Date,
): Promise<CallListRow[]> {
  const key = ruleKey(rule);
  const { from, to } = startsWithDueOnDay(rule, dayStart);
  const rows = await tx
    .select({
      reservationId: reservations.id,
      slotId: reservations.slotId,
      onSlotSince: reservations.updatedAt,
      startsAt: slots.startsAt,
      contactName: reservations.contactName,
      contactPhone: reservations.contactPhone,
      proxyNote: reservations.proxyNote,
      confirmationCode: reservations.confirmationCode,
      venueName: venues.name,
      ledgerStatus: reminderSends.status,
      ledgerChannel: reminderSends.channel,
      calledAt: reminderSends.calledAt,
      calledBy: staffUsers.displayName,
      failReason: reminderSends.failReason,
    })
    .from(reservations)
    .innerJoin(slots, onReservationSlot)
    .innerJoin(venues, onSlotVenue)
    .leftJoin(
      reminderSends,
      and(
        eq(reminderSends.tenantId, reservations.tenantId),
        eq(reminderSends.reservationId, reservations.id),
        eq(reminderSends.slotId, reservations.slotId),
        eq(reminderSends.ruleKey, key),
      ),
    )
    .leftJoin(staffUsers, eq(staffUsers.id, reminderSends.calledByStaffId))
    .where(
      and(
        eq(reservations.tenantId, tenantId),
        eq(slots.serviceId, service.id),
        // Attended / no-show too: looking back at a past day still shows who was phoned.
        inArray(reservations.status, ["booked", "attended", "no_show"]),
        gte(slots.startsAt, from),
        lt(slots.startsAt, to),
        or(unreachable, eq(reminderSends.channel, "call-list"), eq(reminderSends.status, "failed")),
      ),
    );
  return rows
    .filter((r) => {
      if (r.calledAt) return true;
      if (r.ledgerStatus === "failed") return true;
      if (r.ledgerChannel === "line" || r.ledgerChannel === "email") return false;
      // Dropped by the sweep (booked after the due time, superseded): no reminder, nobody to phone.
      if (r.ledgerStatus === "dropped") return false;
      return (
        reminderVerdict(service.reminders, rule, {
          slotStart: r.startsAt,
          onSlotSince: r.onSlotSince,
          now: dueAt(rule, r.startsAt),
        }) === "due"
      );
    })
    .map((r) => ({
      reservationId: r.reservationId,
      slotId: r.slotId,
      ruleKey: key,
      ruleLabel: ruleLabel(rule),
      dueAt: dueAt(rule, r.startsAt),
      startsAt: r.startsAt,
      contactName: r.contactName,
      contactPhone: r.contactPhone,
      proxyNote: r.proxyNote,
      confirmationCode: r.confirmationCode,
      venueName: r.venueName,
      serviceName: service.name,
      calledAt: r.calledAt,
      calledBy: r.calledBy,
      failReason: r.failReason,
    }));
}

async function callListRows(tx: Tx, tenantId: string, date: string): Promise<CallListRow[]> {
  const dayStart = jstDayStart(date);
  const list = await tx
    .select({ id: services.id, name: services.name, reminders: services.reminders })
    .from(services)
    .where(eq(services.tenantId, tenantId));
  const rows: CallListRow[] = [];
  for (const service of list)
    for (const rule of service.reminders) rows.push(...(await rowsForRule(tx, tenantId, service, rule, dayStart)));
  // In the order staff phone: by the reminder's time, then the session, then the booking code.
  return rows.sort(
    (a, b) =>
      a.dueAt.getTime() - b.dueAt.getTime() ||
      a.startsAt.getTime() - b.startsAt.getTime() ||
      a.confirmationCode.localeCompare(b.confirmationCode),
  );
}

/** The call list of one Japanese calendar day (audited as a view: it shows names and phone numbers). */
export async function viewCallList(db: Db, input: { tenantId: string; date: string } & Staff): Promise<CallListRow[]> {
  return withTenant(db, input.tenantId, async (tx) => {
    const rows = await callListRows(tx, input.tenantId, input.date);
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorKind: "staff",
      actorId: input.staffUserId,
      action: "reminder-call-list.view",
      targetType: "day",
      targetId: input.date,
      detail: { date: input.date, count: rows.length },
      ip: input.ip,
    });
    return rows;
  });
}

export const CALL_MESSAGES = {
  notOnList: "この予約は選択中の日の電話リストにありません。画面を読み込み直してください。",
} as const;

export type CallMarkResult = { ok: true } | { ok: false; message: string };

/**
 * 電話済み (or its undo) for one reminder on the day shown. Only a row that is on that day's list
 * is accepted, so a stale or forged form cannot mark anything else. Marking records the reminder
 * as handled by the call list, so the sweep will not queue it afterwards.
 */
export async function markCalled(
  db: Db,
  input: {
    tenantId: string;
    date: string;
    reservationId: string;
    slotId: string;
    ruleKey: string;
    undo: boolean;
  } & Staff,
  now = new Date(),
): Promise<CallMarkResult> {
  return withTenant(db, input.tenantId, async (tx): Promise<CallMarkResult> => {
    const row = (await callListRows(tx, input.tenantId, input.date)).find(
      (r) => r.reservationId === input.reservationId && r.slotId === input.slotId && r.ruleKey === input.ruleKey,
    );
    if (!row) return { ok: false, message: CALL_MESSAGES.notOnList };
    if (input.undo) {
      await tx
        .update(reminderSends)
        .set({ calledAt: null, calledByStaffId: null })
        .where(
          and(
            eq(reminderSends.tenantId, input.tenantId),
            eq(reminderSends.reservationId, row.reservationId),
            eq(reminderSends.slotId, row.slotId),
            eq(reminderSends.ruleKey, row.ruleKey),
          ),
        );
    } else {
      await tx
        .insert(reminderSends)
        .values({
          tenantId: input.tenantId,
          reservationId: row.reservationId,
          slotId: row.slotId,
          ruleKey: row.ruleKey,
          dueAt: row.dueAt,
          status: "sent",
          channel: "call-list",
          sentAt: now,
          calledAt: now,
          calledByStaffId: input.staffUserId,
        })
        .onConflictDoUpdate({
          target: [reminderSends.tenantId, reminderSends.reservationId, reminderSends.slotId, reminderSends.ruleKey],
          // A queued row is taken over: the resident has been phoned, the job then finds it sent.
          set: {
            status: "sent",
            channel: "call-list",
            sentAt: sql`coalesce(${reminderSends.sentAt}, ${now.toISOString()}::timestamptz)`,
            calledAt: now,
            calledByStaffId: input.staffUserId,
            dropReason: null,
          },
        });
    }
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorKind: "staff",
      actorId: input.staffUserId,
      action: input.undo ? "reminder.call-undone" : "reminder.called",
      targetType: "reservation",
      targetId: row.reservationId,
      detail: { slotId: row.slotId, rule: row.ruleKey, date: input.date },
      ip: input.ip,
    });
    return { ok: true };
  });
}
