/**
 * Calendar days in Japan. Staff pick "the day" as a calendar date; slots are stored as instants.
 * Japan has had no daylight saving time since 1951, so a day there is always [00:00+09:00, +24h).
 * Shared by the venue-day list and the phone-booking slot picker.
 */

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

const tokyoYmd = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Tokyo",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** "YYYY-MM-DD" that exists on the calendar (2026-02-30 does not). */
export function isCalendarDate(value: string): boolean {
  if (!CALENDAR_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The calendar date in Japan of an instant ("2026-12-01"). */
export function tokyoDateOf(instant: Date): string {
  // en-CA formats as YYYY-MM-DD; built from parts anyway so an ICU change cannot alter the shape.
  const parts = Object.fromEntries(tokyoYmd.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The start (inclusive) and end (exclusive) instants of a calendar day in Japan. */
export function tokyoDayRange(date: string): { from: Date; to: Date } {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  const from = new Date(`${date}T00:00:00+09:00`);
  return { from, to: new Date(from.getTime() + 24 * 3600 * 1000) };
}
