import type { ReminderRule } from "#db/schema/reminder-rules";
import { tokyoMidnight } from "~/lib/japan-time";

/**
 * Reminder timing, pure (no clock, no database): the sweep, the send and the call list all ask
 * these functions, so "when is a reminder due" has one answer. Times are Japan time (~/lib/japan-time);
 * Japan has had no daylight saving time since 1951, so a day there is always 24 hours.
 */

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * A reminder booked too close to its due time is not sent: the resident has just received the
 * confirmation with the same facts, and a second message minutes later is noise (booked an hour
 * before the start → no "day before" reminder; booked 2h10m before → no "2 hours before" either).
 */
export const MIN_GAP_AFTER_BOOKING_MS = 30 * 60_000;

export type { ReminderRule };

/** Midnight (00:00 in Japan) of the Japanese calendar day containing `t`, as epoch ms. */
function jstMidnight(t: number): number {
  return tokyoMidnight(t).getTime();
}

function minutesOfClock(at: string): number {
  const [h, m] = at.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

/** The stable key of a rule in the ledger and job ids: "d1-1000" (the day before at 10:00), "h2". No ":" (BullMQ ids). */
export function ruleKey(rule: ReminderRule): string {
  return rule.kind === "days-before" ? `d${rule.days}-${rule.at.replace(":", "")}` : `h${rule.hours}`;
}

/** What staff read: "前日 10:00", "3日前 9:00", "2時間前". */
export function ruleLabel(rule: ReminderRule): string {
  if (rule.kind === "hours-before") return `${rule.hours}時間前`;
  const at = rule.at.replace(/^0(\d)/, "$1");
  return `${rule.days === 1 ? "前日" : `${rule.days}日前`} ${at}`;
}

/** When the rule reminds of a session starting at `slotStart`. */
export function dueAt(rule: ReminderRule, slotStart: Date): Date {
  if (rule.kind === "hours-before") return new Date(slotStart.getTime() - rule.hours * HOUR);
  return new Date(jstMidnight(slotStart.getTime()) - rule.days * DAY + minutesOfClock(rule.at) * 60_000);
}

/**
 * The sweep's range for one rule: at `now`, the rule is due for exactly the sessions starting
 * before the returned instant (dueAt is monotone in the start time). Lets one indexed range scan
 * per (service, rule) find every due reservation.
 */
export function dueForStartsBefore(rule: ReminderRule, now: Date): Date {
  if (rule.kind === "hours-before") return new Date(now.getTime() + rule.hours * HOUR + 1);
  // dueAt(start) <= now ⇔ midnight(start) <= now − at + days ⇔ start's day <= that instant's day.
  const latestDueDay = jstMidnight(now.getTime() - minutesOfClock(rule.at) * 60_000 + rule.days * DAY);
  return new Date(latestDueDay + DAY);
}

/** The sessions whose reminder by this rule falls on the Japanese calendar day starting at `dayStart` (00:00 JST). */
export function startsWithDueOnDay(rule: ReminderRule, dayStart: Date): { from: Date; to: Date } {
  if (rule.kind === "hours-before")
    return {
      from: new Date(dayStart.getTime() + rule.hours * HOUR),
      to: new Date(dayStart.getTime() + DAY + rule.hours * HOUR),
    };
  const from = dayStart.getTime() + rule.days * DAY;
  return { from: new Date(from), to: new Date(from + DAY) };
}

export type ReminderVerdict = "due" | "not-yet" | "started" | "booked-late" | "superseded";

/**
 * Whether `rule` should go out now for a reservation that has been on this slot since `onSlotSince`
 * (booked or moved there). "superseded": a later rule of the same service is due as well — after an
 * outage the resident gets the latest reminder, not two at once. The ledger (sent or not) is the
 * caller's business.
 */
export function reminderVerdict(
  rules: readonly ReminderRule[],
  rule: ReminderRule,
  at: { slotStart: Date; onSlotSince: Date; now: Date },
): ReminderVerdict {
  const now = at.now.getTime();
  const due = dueAt(rule, at.slotStart).getTime();
  if (now >= at.slotStart.getTime()) return "started";
  if (due > now) return "not-yet";
  if (at.onSlotSince.getTime() > due - MIN_GAP_AFTER_BOOKING_MS) return "booked-late";
  const later = rules.some((r) => {
    const d = dueAt(r, at.slotStart).getTime();
    return d > due && d <= now;
  });
  return later ? "superseded" : "due";
}

/** The rules in the order staff read them: days before (earliest first), then hours before. Duplicates (same key) dropped. */
export function normaliseRules(rules: readonly ReminderRule[]): ReminderRule[] {
  const rank = (r: ReminderRule) => (r.kind === "days-before" ? [0, -r.days, minutesOfClock(r.at)] : [1, -r.hours, 0]);
  const seen = new Set<string>();
  return rules
    .filter((r) => {
      const k = ruleKey(r);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => {
      const [x, y] = [rank(a), rank(b)];
      return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
    });
}
