import { createEvents, type EventAttributes } from "ics";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { addDays, isCalendarDate, tokyoDateOf } from "~/lib/japan-time";
import type { GarbageItem } from "./dataset";
import { cachedGarbage } from "./garbage.server";
import { collectionsOn, findArea, monthCalendar, nextDates } from "./schedule";
import { searchItems } from "./search";

/** The resident pages: the area list, one area's month calendar with item search, its .ics feed. */
type City = { id: string; areas: string[] };

const load = (db: Db, tenantId: string) => withTenant(db, tenantId, (tx) => cachedGarbage(tx, tenantId));

/** Areas with data, the city's order first (then any the dataset has beyond it). */
export async function garbageAreas(db: Db, city: City): Promise<string[] | null> {
  const state = await load(db, city.id);
  if (!state) return null;
  const names = state.dataset.areas.map((a) => a.name);
  return [...city.areas.filter((a) => names.includes(a)), ...names.filter((n) => !city.areas.includes(n))];
}

export type AreaPage = {
  area: string;
  month: string;
  prevMonth: string;
  nextMonth: string;
  today: string;
  days: {
    date: string;
    day: number;
    weekday: number;
    holiday: string | null;
    categories: string[];
    cancelled: { category: string; why: string }[];
  }[];
  next: { category: string; description: string; date: string | null; remarks: string[] }[];
  query: string;
  results: (GarbageItem & { next: string | null })[] | null;
};

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;
const shiftMonth = (month: string, by: number) => {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
};

/** Null when the city has no data or no such area (404). A bad `month` shows this month. */
export async function garbageAreaPage(
  db: Db,
  city: City,
  input: { area: string; month?: string | null; q?: string | null },
  now: Date,
): Promise<AreaPage | null> {
  const state = await load(db, city.id);
  const area = state ? findArea(state, input.area) : null;
  if (!state || !area) return null;
  const today = tokyoDateOf(now);
  const month =
    input.month &&
    MONTH_RE.test(input.month) &&
    Math.abs(Number(input.month.slice(0, 4)) - Number(today.slice(0, 4))) <= 2
      ? input.month
      : today.slice(0, 7);
  const next = nextDates(state, area, today);
  const query = (input.q ?? "").trim().slice(0, 40);
  return {
    area: area.name,
    month,
    prevMonth: shiftMonth(month, -1),
    nextMonth: shiftMonth(month, 1),
    today,
    days: monthCalendar(state, area, month).map((d) => ({
      date: d.date,
      day: Number(d.date.slice(8)),
      weekday: d.weekday,
      holiday: d.holiday,
      categories: d.categories.map((c) => c.label),
      cancelled: d.cancelled.map((c) => ({ category: c.category.label, why: c.why })),
    })),
    next: next.map((n) => ({
      category: n.category.label,
      description: n.category.description,
      date: n.date,
      remarks: n.remarks,
    })),
    query,
    results: query
      ? searchItems(state.dataset.items, query, 10).map((i) => ({
          ...i,
          next: next.find((n) => n.category.label === i.category)?.date ?? null,
        }))
      : null,
  };
}

/** How far the subscription reaches: a month back (yesterday's date still shows) and a year ahead. */
const ICS_BACK_DAYS = 31;
const ICS_AHEAD_DAYS = 366;

/**
 * The area's collection days as an iCalendar feed (all-day events, one per day listing the
 * categories). UIDs are stable per area and date, so a subscribed calendar updates in place.
 */
export async function garbageIcs(
  db: Db,
  city: City & { name: string },
  areaName: string,
  now: Date,
  pageUrl: string,
): Promise<string | null> {
  const state = await load(db, city.id);
  const area = state ? findArea(state, areaName) : null;
  if (!state || !area) return null;
  const today = tokyoDateOf(now);
  // The ics package takes ~0.1 s for a year of events: kept per dataset version (the cached state
  // object changes with every staff edit), area and day, as calendar apps poll the feed.
  const feeds = icsCache.get(state) ?? new Map<string, string>();
  icsCache.set(state, feeds);
  const cacheKey = `${area.name}\u0000${today}\u0000${pageUrl}`;
  const hit = feeds.get(cacheKey);
  if (hit) return hit;
  const events: EventAttributes[] = [];
  for (let i = -ICS_BACK_DAYS; i <= ICS_AHEAD_DAYS; i++) {
    const date = addDays(today, i);
    const cats = collectionsOn(state, area, date);
    if (!cats.length || !isCalendarDate(date)) continue;
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    const [ey, em, ed] = addDays(date, 1).split("-").map(Number) as [number, number, number];
    events.push({
      uid: `garbage-${Buffer.from(`${city.id}:${area.name}:${date}`).toString("base64url")}@madoguchi`,
      start: [y, m, d],
      end: [ey, em, ed],
      title: cats.map((c) => c.label).join("・"),
      description: `${city.name} ${area.name}\n${pageUrl}`,
      productId: "madoguchi",
      calName: `${city.name} ${area.name} ごみの日`,
    });
  }
  const { error, value } = createEvents(events);
  if (error || !value) throw error ?? new Error("ics: no output");
  if (feeds.size > 200) feeds.clear();
  feeds.set(cacheKey, value);
  return value;
}

const icsCache = new WeakMap<object, Map<string, string>>();
