import type { RecurrenceRule } from "#db/schema/broadcasts";
import { tokyoDateOf, tokyoInstant } from "~/lib/japan-time";

/**
 * Recurring broadcasts (garbage days and the like) in Japan time. Pure and clock-free: the sweep
 * passes the instant to count from, so tests control time. Days are stepped as calendar dates and
 * each candidate day's wall-clock time is turned into an instant by ~/lib/japan-time.
 */
const DAY_MS = 24 * 3600_000;
export const WEEKDAY_JA = ["日", "月", "火", "水", "木", "金", "土"] as const;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseTime(time: string): { hour: number; minute: number } | null {
  const m = TIME.exec(time);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

/** Which week of the month a day is in (1 = days 1–7 …) and whether it is the last such weekday. */
function weekOfMonth(day: number, daysInMonth: number) {
  return { nth: Math.ceil(day / 7), last: day + 7 > daysInMonth };
}

function matchesDay(rule: RecurrenceRule, y: number, m: number, d: number, weekday: number): boolean {
  const daysInMonth = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  switch (rule.freq) {
    case "weekly":
      return rule.weekdays.includes(weekday);
    case "monthly-day":
      // The 31st in a 30-day month falls on its last day rather than being skipped.
      return d === Math.min(rule.day, daysInMonth);
    case "monthly-nth": {
      if (weekday !== rule.weekday) return false;
      const w = weekOfMonth(d, daysInMonth);
      return rule.weeks.includes(w.nth) || (w.last && rule.weeks.includes(-1));
    }
  }
}

/** The first run strictly after `after`, or null when the rule can never match (invalid rule). */
export function nextRunAfter(rule: RecurrenceRule, after: Date): Date | null {
  const t = parseTime(rule.time);
  if (!t || !isValidRule(rule)) return null;
  let day = Date.parse(`${tokyoDateOf(after)}T00:00:00Z`);
  // Any valid rule matches within 14 months (a 5th weekday or the 31st can skip a few months).
  for (let i = 0; i < 430; i++, day += DAY_MS) {
    const d = new Date(day);
    if (!matchesDay(rule, d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCDay())) continue;
    const at = tokyoInstant(d.toISOString().slice(0, 10), rule.time);
    if (at.getTime() > after.getTime()) return at;
  }
  return null;
}

export function isValidRule(rule: RecurrenceRule): boolean {
  if (!parseTime(rule.time)) return false;
  const weekday = (n: number) => Number.isInteger(n) && n >= 0 && n <= 6;
  switch (rule.freq) {
    case "weekly":
      return rule.weekdays.length > 0 && rule.weekdays.every(weekday);
    case "monthly-day":
      return Number.isInteger(rule.day) && rule.day >= 1 && rule.day <= 31;
    case "monthly-nth":
      return (
        weekday(rule.weekday) &&
        rule.weeks.length > 0 &&
        rule.weeks.every((w) => w === -1 || (Number.isInteger(w) && w >= 1 && w <= 5))
      );
    default:
      return false;
  }
}

/** 「毎週 月・木曜 8:00」「毎月 15日 9:30」「毎月 第1・第3 水曜 7:00」 */
export function describeRule(rule: RecurrenceRule): string {
  const t = parseTime(rule.time);
  const time = t ? `${t.hour}:${String(t.minute).padStart(2, "0")}` : rule.time;
  switch (rule.freq) {
    case "weekly":
      return `毎週 ${[...rule.weekdays]
        .sort()
        .map((w) => WEEKDAY_JA[w])
        .join("・")}曜 ${time}`;
    case "monthly-day":
      return `毎月 ${rule.day}日 ${time}`;
    case "monthly-nth": {
      const weeks = [...rule.weeks]
        .sort((a, b) => (a === -1 ? 9 : a) - (b === -1 ? 9 : b))
        .map((w) => (w === -1 ? "最終" : `第${w}`));
      return `毎月 ${weeks.join("・")} ${WEEKDAY_JA[rule.weekday]}曜 ${time}`;
    }
  }
}
