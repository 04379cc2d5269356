import holiday_jp from "@holiday-jp/holiday_jp";
import { addDays, isCalendarDate } from "~/lib/japan-time";
import type { GarbageArea, GarbageCategory, GarbageDataset, GarbageException } from "./dataset";
import { parseRule, ruleMatches, type Rule } from "./rules";

/**
 * The schedule engine: which categories are collected in an area on a calendar date (Japan dates,
 * "YYYY-MM-DD"), and the next date of each. A rule match is cancelled by, in order: the area's
 * center being closed (center.csv, 年末年始), a national holiday for a category marked
 * 祝日は収集しない, and a staff exception for that date (one category, or all). Pure: the caller
 * passes the dataset and exceptions it read.
 */
export type ScheduleData = { dataset: GarbageDataset; exceptions: GarbageException[] };

export type NoCollection = "center" | "holiday" | "exception";

const holidays = holiday_jp.holidays as Record<string, { name: string } | undefined>;
export const holidayName = (date: string): string | null => holidays[date]?.name ?? null;

/** How far ahead "next date" looks: a category collected once a year still gets its date. */
export const LOOKAHEAD_DAYS = 400;

const parsed = new WeakMap<GarbageArea, Map<string, Rule>>();
function rulesOf(area: GarbageArea): Map<string, Rule> {
  let m = parsed.get(area);
  if (!m) {
    m = new Map();
    for (const [label, cell] of Object.entries(area.rules)) {
      const r = parseRule(cell);
      if (r.ok) m.set(label, r.rule);
    }
    parsed.set(area, m);
  }
  return m;
}

export function findArea(data: ScheduleData, name: string | null | undefined): GarbageArea | null {
  return data.dataset.areas.find((a) => a.name === name) ?? null;
}

/** Why a rule's date is not collected, or null when it is collected (or the rule does not match). */
export function cancelledBy(
  data: ScheduleData,
  area: GarbageArea,
  category: GarbageCategory,
  date: string,
): NoCollection | null {
  if (area.center) {
    const c = data.dataset.centers.find((x) => x.name === area.center);
    if (c && c.from <= date && date <= c.to) return "center";
  }
  if (category.skipHolidays && holidayName(date)) return "holiday";
  if (data.exceptions.some((e) => e.date === date && (e.category === null || e.category === category.label)))
    return "exception";
  return null;
}

/** Categories collected in the area on the date, in the dataset's order. */
export function collectionsOn(data: ScheduleData, area: GarbageArea, date: string): GarbageCategory[] {
  const rules = rulesOf(area);
  return data.dataset.categories.filter((c) => {
    const rule = rules.get(c.label);
    return rule !== undefined && ruleMatches(rule, date) && cancelledBy(data, area, c, date) === null;
  });
}

export type NextDate = { category: GarbageCategory; date: string | null; remarks: string[] };

/** The next collection date (from `from`, inclusive) of every category the area has a rule for. */
export function nextDates(data: ScheduleData, area: GarbageArea, from: string): NextDate[] {
  if (!isCalendarDate(from)) throw new RangeError(`not a calendar date: ${from}`);
  const rules = rulesOf(area);
  const out: NextDate[] = [];
  for (const category of data.dataset.categories) {
    const rule = rules.get(category.label);
    if (!rule || (!rule.tokens.length && !rule.remarks.length)) continue;
    let found: string | null = null;
    for (let i = 0; i < LOOKAHEAD_DAYS && !found; i++) {
      const d = addDays(from, i);
      if (ruleMatches(rule, d) && cancelledBy(data, area, category, d) === null) found = d;
    }
    out.push({
      category,
      date: found,
      remarks: rule.remarks.map((id) => data.dataset.remarks[id] ?? "").filter(Boolean),
    });
  }
  return out;
}

export type CalendarDay = {
  date: string;
  weekday: number;
  holiday: string | null;
  categories: GarbageCategory[];
  /** Rule dates cancelled on this day (shown as 収集なし with the reason). */
  cancelled: { category: GarbageCategory; why: NoCollection }[];
};

/** Every day of a month ("YYYY-MM") for the area. */
export function monthCalendar(data: ScheduleData, area: GarbageArea, month: string): CalendarDay[] {
  const first = `${month}-01`;
  if (!isCalendarDate(first)) throw new RangeError(`not a month: ${month}`);
  const rules = rulesOf(area);
  const days: CalendarDay[] = [];
  for (let d = first; d.startsWith(month); d = addDays(d, 1)) {
    const day: CalendarDay = {
      date: d,
      weekday: new Date(`${d}T00:00:00Z`).getUTCDay(),
      holiday: holidayName(d),
      categories: [],
      cancelled: [],
    };
    for (const c of data.dataset.categories) {
      const rule = rules.get(c.label);
      if (!rule || !ruleMatches(rule, d)) continue;
      const why = cancelledBy(data, area, c, d);
      if (why) day.cancelled.push({ category: c, why });
      else day.categories.push(c);
    }
    days.push(day);
  }
  return days;
}
