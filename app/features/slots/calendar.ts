/**
 * Calendar arithmetic on "YYYY-MM-DD" and "HH:MM" strings, safe for the browser bundle (no
 * dependencies). Every wall-clock time is Japan time: venues are in Japan, staff type "09:00"
 * meaning 9 in the morning there, and the servers run in UTC. Japan has had no daylight saving
 * since 1951, so a fixed +09:00 offset is exact for every date we handle.
 */

export type TimeRange = { start: string; end: string };

const DAY_MS = 24 * 3600 * 1000;
const JST_OFFSET_MS = 9 * 3600 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const WEEKDAY_LABELS = ["日", "月", "火", "水", "木", "金", "土"] as const;

/** True for a real calendar date written "YYYY-MM-DD" (rejects 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** True for "HH:MM" on a 24-hour clock. */
export function isClockTime(value: string): boolean {
  return TIME_RE.test(value);
}

/** Minutes since midnight of "HH:MM". */
export function minutesOf(time: string): number {
  const [h, m] = time.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

/** The instant of a Japan-time wall clock reading. */
export function jstDateTime(date: string, time: string): Date {
  return new Date(`${date}T${time}:00+09:00`);
}

/** The Japan calendar date of an instant, "YYYY-MM-DD". */
export function jstDate(instant: Date): string {
  return new Date(instant.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** "HH:MM" of an instant in Japan time (zero-padded, as <input type="time"> wants it). */
export function jstTime(instant: Date): string {
  return new Date(instant.getTime() + JST_OFFSET_MS).toISOString().slice(11, 16);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Index of the first range that overlaps an earlier one, or -1. Touching ranges (12:00 / 12:00) do not overlap. */
export function firstOverlappingRange(ranges: readonly TimeRange[]): number {
  for (let i = 1; i < ranges.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = ranges[i]!;
      const b = ranges[j]!;
      if (minutesOf(a.start) < minutesOf(b.end) && minutesOf(b.start) < minutesOf(a.end)) return i;
    }
  }
  return -1;
}
