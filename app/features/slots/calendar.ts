/**
 * Clock-time arithmetic on "HH:MM" strings for slot patterns, safe for the browser bundle. Every
 * wall-clock time is Japan time; dates and instants are `~/lib/japan-time` (ADR 035).
 */

export type TimeRange = { start: string; end: string };

const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const WEEKDAY_LABELS = ["日", "月", "火", "水", "木", "金", "土"] as const;

/** True for "HH:MM" on a 24-hour clock. */
export function isClockTime(value: string): boolean {
  return TIME_RE.test(value);
}

/** Minutes since midnight of "HH:MM". */
export function minutesOf(time: string): number {
  const [h, m] = time.split(":").map(Number) as [number, number];
  return h * 60 + m;
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
