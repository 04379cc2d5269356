import { addDays } from "~/lib/japan-time";
import { t, tPlain } from "~/lib/i18n";
import type { GarbageArea, GarbageItem } from "./dataset";
import { nextDates, type ScheduleData } from "./schedule";

/** Texts residents get in LINE (and the push), in their language, from the garbage catalogue. */
export function dateLabel(lang: string, date: string, today?: string): string {
  const [, m, d] = date.split("-").map(Number) as [number, number, number];
  const weekday = tPlain(lang, `garbage:weekdays.${new Date(`${date}T00:00:00Z`).getUTCDay()}`);
  const label = t(lang, "garbage:date", { month: m, day: d, weekday });
  if (today === date) return `${t(lang, "garbage:today")} ${label}`;
  if (today && addDays(today, 1) === date) return `${t(lang, "garbage:tomorrow")} ${label}`;
  return label;
}

export function calendarUrl(appOrigin: string, slug: string, area: string) {
  return `${appOrigin}/c/${slug}/garbage/${encodeURIComponent(area)}`;
}

export function daysText(
  lang: string,
  data: ScheduleData,
  area: GarbageArea,
  today: string,
  link: { appOrigin: string; slug: string },
): string {
  const lines = [t(lang, "garbage:line.daysHeading", { area: area.name })];
  for (const n of nextDates(data, area, today))
    lines.push(
      t(lang, "garbage:line.dayLine", {
        category: n.category.label,
        date: n.date ? dateLabel(lang, n.date, today) : t(lang, "garbage:line.none"),
      }),
    );
  lines.push("", t(lang, "garbage:line.calendarLink", { url: calendarUrl(link.appOrigin, link.slug, area.name) }));
  return lines.join("\n");
}

export function itemText(lang: string, data: ScheduleData, item: GarbageItem, area: GarbageArea | null, today: string) {
  const lines = [t(lang, "garbage:line.itemHeading", { item: item.name, category: item.category })];
  if (item.notice) lines.push(t(lang, "garbage:line.itemNotice", { notice: item.notice }));
  if (area) {
    const next = nextDates(data, area, today).find((n) => n.category.label === item.category);
    if (next?.date) lines.push(t(lang, "garbage:line.itemNext", { date: dateLabel(lang, next.date, today) }));
  }
  return lines.join("\n");
}

/** 「明日は〇〇の日です」 for the evening before `date`. */
export function tomorrowText(lang: string, date: string, categories: string[]): string {
  return t(lang, "garbage:line.tomorrowPush", {
    date: dateLabel(lang, date),
    categories: categories.join(t(lang, "garbage:line.separator")),
  });
}
