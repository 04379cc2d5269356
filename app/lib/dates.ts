/**
 * Japanese date formatting for every page, e-mail and LINE message.
 *
 * Everything is shown in Asia/Tokyo whatever the server's or the browser's time zone: the servers
 * run in UTC, and a resident's phone abroad must still see the session time of the venue in Japan.
 * Calendar arithmetic (weekday, era, 元年) is left to Intl / ICU rather than hand-written era tables,
 * so a future era arrives with a runtime update instead of a code change.
 */

export const TOKYO_TIME_ZONE = "Asia/Tokyo";

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
