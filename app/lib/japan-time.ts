/**
 * Japan time, in one place (ADR 035): every wall-clock reading, calendar day and Japanese date label
 * in the app comes from here. Nothing else adds a +9h offset, writes "+09:00" or builds its own
 * `Intl.DateTimeFormat` for Asia/Tokyo (ESLint forbids it outside this module).
 *
 * Everything is shown in Asia/Tokyo whatever the server's or the browser's time zone: the servers
 * run in UTC, and a resident's phone abroad must still see the session time of the venue in Japan.
 * Zone arithmetic is `@date-fns/tz` (the IANA database through Intl, so the 1948–51 summer-time
 * years are right too); calendar arithmetic (weekday, era, 元年) is left to Intl / ICU rather than
 * hand-written era tables, so a future era arrives with a runtime update instead of a code change.
 * Safe for the browser bundle.
 */
import { tz, TZDate } from "@date-fns/tz";
import { format, startOfDay } from "date-fns";

export const TOKYO_TIME_ZONE = "Asia/Tokyo";

/** The date-fns context for Japan time: `format(d, "HH:mm", { in: tokyo })`. */
export const tokyo = tz(TOKYO_TIME_ZONE);

const DAY_MS = 24 * 3600 * 1000;
const CALENDAR_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A plain Date (not a TZDate), so toISOString() and the database driver see an ordinary instant. */
const plain = (d: Date) => new Date(d.getTime());

/** Any date-fns pattern, read in Japan time: `formatTokyo(at, "yyyy/MM/dd HH:mm:ss")`. */
export function formatTokyo(input: Date | number, pattern: string): string {
  return format(input, pattern, { in: tokyo });
}

/** True for a real calendar date written "YYYY-MM-DD" (rejects 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const m = CALENDAR_DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The calendar date in Japan of an instant ("2026-12-01"). */
export function tokyoDateOf(instant: Date | number): string {
  return format(instant, "yyyy-MM-dd", { in: tokyo });
}

/** "HH:MM" of an instant in Japan time (zero-padded, as <input type="time"> wants it). */
export function tokyoTimeOf(instant: Date | number): string {
  return format(instant, "HH:mm", { in: tokyo });
}

/** The year in Japan of an instant. */
export function tokyoYearOf(instant: Date | number): number {
  return new TZDate(+instant, TOKYO_TIME_ZONE).getFullYear();
}

/** The first day ("YYYY-MM-01") of the calendar month in Japan containing an instant. */
export function tokyoMonthOf(instant: Date | number): string {
  return format(instant, "yyyy-MM-01", { in: tokyo });
}

/** The instant of a Japan wall-clock reading: date "YYYY-MM-DD", time "HH:MM" (default midnight). */
export function tokyoInstant(date: string, time = "00:00"): Date {
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const [h, mi] = time.split(":").map(Number) as [number, number];
  return plain(new TZDate(y, mo - 1, d, h, mi, TOKYO_TIME_ZONE));
}

/** 00:00 in Japan of the Japanese calendar day containing an instant. */
export function tokyoMidnight(instant: Date | number): Date {
  return plain(startOfDay(instant, { in: tokyo }));
}

/** The start (inclusive) and end (exclusive) instants of a calendar day in Japan. */
export function tokyoDayRange(date: string): { from: Date; to: Date } {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return { from: tokyoInstant(date), to: tokyoInstant(addDays(date, 1)) };
}

/**
 * "2026-05-01T09:00" (or "2026-05-01 09:00[:ss]") typed in Japan time, as <input type="datetime-local">
 * sends it → the instant; null when it is not a real date-time (2026-02-30, 24:00).
 */
export function parseTokyoLocal(local: string): Date | null {
  const m = LOCAL_DATE_TIME_RE.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  if (h > 23 || mi > 59 || !isCalendarDate(`${m[1]}-${m[2]}-${m[3]}`)) return null;
  return plain(new TZDate(y, mo - 1, d, h, mi, TOKYO_TIME_ZONE));
}

/** An instant as ISO 8601 with Japan's offset, "2026-05-01T09:00:00+09:00": unambiguous and readable. */
export function toTokyoIso(instant: Date | number): string {
  return format(instant, "yyyy-MM-dd'T'HH:mm:ssxxx", { in: tokyo });
}

/** The datetime-local value ("2026-05-01T09:00") of an instant in Japan time. */
export function toTokyoLocal(instant: Date | number): string {
  return format(instant, "yyyy-MM-dd'T'HH:mm", { in: tokyo });
}

/** Calendar arithmetic on "YYYY-MM-DD": the date `days` later (or earlier when negative). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 0 (Sunday) … 6 (Saturday) of a calendar date. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * A point in time (Date, epoch milliseconds, ISO 8601 string with offset) or a calendar date
 * "YYYY-MM-DD" (what a Postgres `date` column and <input type="date"> give). A calendar date is
 * taken as that day in Japan, so a birth date never shifts by a day because of a time zone.
 */
export type DateInput = Date | number | string;

export type YearOption = { value: number; label: string };

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Built once: constructing Intl formatters is far more expensive than using them.
// "-u-ca-gregory-nu-latn" pins the calendar and digits in case a runtime's ja-JP default differs.
const gregorian = new Intl.DateTimeFormat("ja-JP-u-ca-gregory-nu-latn", {
  timeZone: TOKYO_TIME_ZONE,
  year: "numeric",
  month: "numeric",
  day: "numeric",
  weekday: "short",
  hour: "numeric",
  minute: "2-digit",
  hourCycle: "h23",
});

const japaneseEra = new Intl.DateTimeFormat("ja-JP-u-ca-japanese-nu-latn", {
  timeZone: TOKYO_TIME_ZONE,
  era: "long",
  year: "numeric",
});

/** Turns any accepted input into an instant; throws RangeError on anything that is not a date. */
export function toInstant(input: DateInput): Date {
  if (input instanceof Date || typeof input === "number") {
    const date = new Date(input);
    if (Number.isNaN(date.getTime())) throw new RangeError("日付が正しくありません。");
    return date;
  }
  const calendar = CALENDAR_DATE.exec(input);
  if (calendar) {
    const [year, month, day] = [Number(calendar[1]), Number(calendar[2]), Number(calendar[3])];
    // 00:00 UTC is 09:00 in Tokyo (10:00 in the 1948–51 summer-time years): always the same
    // calendar day there. setUTCFullYear, because Date.UTC maps years 0–99 to 1900–1999.
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      throw new RangeError("日付が正しくありません。");
    }
    return date;
  }
  const date = new Date(input);
  if (Number.isNaN(date.getTime())) throw new RangeError("日付が正しくありません。");
  return date;
}

type TokyoParts = { year: string; month: string; day: string; weekday: string; hour: string; minute: string };

// Assembled from parts rather than using format(): ICU versions differ in the literals they put
// between fields ("2026/11/21(土)" vs "2026年11月21日(土)"), and pages, e-mails and tests need one
// stable spelling.
function tokyoParts(input: DateInput): TokyoParts {
  const parts: TokyoParts = { year: "", month: "", day: "", weekday: "", hour: "", minute: "" };
  for (const part of gregorian.formatToParts(toInstant(input))) {
    if (part.type in parts) parts[part.type as keyof TokyoParts] = part.value;
  }
  return parts;
}

/** "2026年11月21日(土)", the day in Japan. */
export function formatDateJa(input: DateInput): string {
  const p = tokyoParts(input);
  return `${p.year}年${p.month}月${p.day}日(${p.weekday})`;
}

/** "14:30" / "9:05" in Japan. The hour is not zero-padded, as in Japanese print. */
export function formatTimeJa(input: DateInput): string {
  const p = tokyoParts(input);
  return `${p.hour}:${p.minute.padStart(2, "0")}`;
}

/** "2026年11月21日(土) 14:30" in Japan. */
export function formatDateTimeJa(input: DateInput): string {
  return `${formatDateJa(input)} ${formatTimeJa(input)}`;
}

/**
 * "昭和35年", "令和元年": the era and era year of a day in Japan. The first year of an era is
 * written 元年; ICU already does so for ja, but some engines print "1年", so "1" is normalised.
 * Before Meiji (1868) ICU continues with the older eras (e.g. 寛政); no birth date goes back that far.
 */
export function formatEraYear(input: DateInput): string {
  let era = "";
  let year = "";
  for (const part of japaneseEra.formatToParts(toInstant(input))) {
    if (part.type === "era") era = part.value;
    if (part.type === "year") year = part.value;
  }
  return `${era}${year === "1" ? "元" : year}年`;
}

/**
 * "1960年（昭和35年）1月1日": the form residents know from paper forms. The era is the one in force
 * on that very day, so 1989-01-07 is 昭和64年 and 1989-01-08 is 平成元年.
 */
export function formatBirthDateWithEra(input: DateInput): string {
  const p = tokyoParts(input);
  return `${p.year}年（${formatEraYear(input)}）${p.month}月${p.day}日`;
}

/**
 * Options for a birth-year <select>, from fromYear to toYear inclusive (descending when
 * fromYear > toYear). A year in which the era changed names both eras, earlier first:
 * "1989年（昭和64年／平成元年）", "2019年（平成31年／令和元年）". Showing only one would leave a
 * resident born on 1989-01-05, who knows the year as 昭和64年, unable to find it in the list.
 */
export function yearOptionsWithEra(fromYear: number, toYear: number): YearOption[] {
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear)) {
    throw new RangeError("年は整数で指定してください。");
  }
  const step = fromYear <= toYear ? 1 : -1;
  const options: YearOption[] = [];
  for (let year = fromYear; year !== toYear + step; year += step) {
    options.push({ value: year, label: `${year}年（${eraYearsOf(year).join("／")}）` });
  }
  return options;
}

function eraYearsOf(year: number): string[] {
  const padded = String(year).padStart(4, "0");
  const first = formatEraYear(`${padded}-01-01`);
  const last = formatEraYear(`${padded}-12-31`);
  // Era years turn over on 1 January, so within one era both ends of a year read the same.
  return first === last ? [first] : [first, last];
}

// ---- The same dates for a resident's language (issue 15) ----
// Japanese and やさしい日本語 keep the forms above; any other language gets its own CLDR spelling
// of the western date with the weekday ("Sat, Nov 21, 2026"), still the day and time in Japan.
const localFormatters = new Map<string, Intl.DateTimeFormat>();

function isJapaneseLang(lang: string): boolean {
  return lang === "ja" || lang.startsWith("ja-");
}

function localDate(lang: string): Intl.DateTimeFormat {
  let f = localFormatters.get(lang);
  if (!f) {
    let locale = `${lang}-u-ca-gregory-nu-latn`;
    try {
      Intl.DateTimeFormat.supportedLocalesOf(locale);
    } catch {
      locale = "en-u-ca-gregory-nu-latn";
    }
    f = new Intl.DateTimeFormat(locale, {
      timeZone: TOKYO_TIME_ZONE,
      weekday: "short",
      year: "numeric",
      month: "short",
      day: "numeric",
    });
    localFormatters.set(lang, f);
  }
  return f;
}

/** The day in Japan in a page language: "2026年11月21日(土)" (ja, ja-x-easy) or "Sat, Nov 21, 2026" (en). */
export function formatDateIn(lang: string, input: DateInput): string {
  return isJapaneseLang(lang) ? formatDateJa(input) : localDate(lang).format(toInstant(input));
}

/** The day without its year, for short buttons: "11月21日(土)" / "Sat, Nov 21". */
export function formatDayIn(lang: string, input: DateInput): string {
  if (isJapaneseLang(lang)) return formatDateJa(input).replace(/^\d{4}年/, "");
  const parts = localDate(lang).formatToParts(toInstant(input));
  // Drop the year and the separator that precedes it.
  const yearAt = parts.findIndex((p) => p.type === "year");
  const kept = parts.filter((_, i) => i !== yearAt && !(i === yearAt - 1 && parts[i]!.type === "literal"));
  return kept
    .map((p) => p.value)
    .join("")
    .trim();
}

/** Date and time in Japan in a page language; the time is 24-hour in every language ("14:30"). */
export function formatDateTimeIn(lang: string, input: DateInput): string {
  return `${formatDateIn(lang, input)} ${formatTimeJa(input)}`;
}
