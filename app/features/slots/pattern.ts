import holiday_jp from "@holiday-jp/holiday_jp";
import { addDays, daysBetween, tokyoInstant, weekdayOf } from "~/lib/japan-time";
import { minutesOf, type TimeRange } from "./calendar";

/**
 * Expanding a slot-generation pattern into slots (server side: the holiday table is large and
 * stays out of the browser bundle). All times are Japan time, see ./calendar.
 */

export type SlotPattern = {
  /** Calendar dates "YYYY-MM-DD", both inclusive. */
  dateFrom: string;
  dateTo: string;
  /** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
  weekdays: number[];
  /** Opening hours in Japan time, e.g. 09:00–12:00 and 13:00–16:00; must not overlap. */
  ranges: TimeRange[];
  /** Slot length and step in minutes: 09:00–12:00 by 30 gives 09:00, 09:30 … 11:30. */
  intervalMinutes: number;
  skipHolidays: boolean;
};

export type PlannedSlot = { date: string; startsAt: Date; endsAt: Date };
export type SkippedHoliday = { date: string; name: string };

/** A Japanese public holiday (including 振替休日 and 国民の休日), or null. Looked up by the date string, so the server's time zone cannot shift it. */
export function holidayName(date: string): string | null {
  if (!holiday_jp.isHoliday(date)) return null;
  const entry = (holiday_jp.holidays as Record<string, { name: string } | undefined>)[date];
  return entry?.name ?? "祝日";
}

/**
 * A day the city's offices are closed: a public holiday, or the year-end break (12/29–1/3), which the
 * 行政機関の休日に関する法律 and every municipality's 休日条例 make office holidays although they are
 * not public holidays. "Skip holidays" skips both.
 */
export function closedDayName(date: string): string | null {
  const md = date.slice(5);
  if (md >= "12-29" || md <= "01-03") return holidayName(date) ?? "年末年始（閉庁日）";
  return holidayName(date);
}

/**
 * Every slot the pattern describes, in time order. The caller validates the pattern first (dates,
 * times, ranges in order and not overlapping); this only expands it. Holidays that fall on a chosen
 * weekday are reported, so staff can see why a Monday is missing from the preview.
 */
export function expandPattern(pattern: SlotPattern): { slots: PlannedSlot[]; skippedHolidays: SkippedHoliday[] } {
  const slots: PlannedSlot[] = [];
  const skippedHolidays: SkippedHoliday[] = [];
  const weekdays = new Set(pattern.weekdays);
  const ranges = [...pattern.ranges].sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
  const days = daysBetween(pattern.dateFrom, pattern.dateTo);
  for (let i = 0; i <= days; i++) {
    const date = addDays(pattern.dateFrom, i);
    if (!weekdays.has(weekdayOf(date))) continue;
    if (pattern.skipHolidays) {
      const name = closedDayName(date);
      if (name) {
        skippedHolidays.push({ date, name });
        continue;
      }
    }
    const midnight = tokyoInstant(date, "00:00").getTime();
    for (const range of ranges) {
      const end = minutesOf(range.end);
      for (let t = minutesOf(range.start); t + pattern.intervalMinutes <= end; t += pattern.intervalMinutes) {
        slots.push({
          date,
          startsAt: new Date(midnight + t * 60_000),
          endsAt: new Date(midnight + (t + pattern.intervalMinutes) * 60_000),
        });
      }
    }
  }
  return { slots, skippedHolidays };
}
