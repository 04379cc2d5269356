/**
 * Birth dates as cities write them in roster CSVs: western (1960-01-01, 1960/1/1, 19600101,
 * 1960年1月1日) or Japanese era (昭和35年1月1日, S35.1.1, 平成元年1月8日, the 7-digit era code
 * 3350101 of municipal systems). Pure and strict: a date that does not exist, or that lies outside
 * its era (昭和64年1月8日 is 平成元年), is refused with a Japanese reason rather than guessed.
 *
 * The era table is written out here (unlike app/lib/japan-time.ts, which formats through Intl): parsing
 * needs each era's exact first and last day to refuse out-of-range input, which Intl does not expose.
 * A new era is one line in ERAS.
 */

export type BirthDateResult = { ok: true; date: string } | { ok: false; reason: string };

type Era = { name: string; start: string; aliases: string[] };

/** Gregorian first day of each era. Meiji counts from 1868-01-25 (慶応4年1月1日), as the law back-dated it. */
export const ERAS: readonly Era[] = [
  { name: "明治", start: "1868-01-25", aliases: ["明治", "明", "M"] },
  { name: "大正", start: "1912-07-30", aliases: ["大正", "大", "T"] },
  { name: "昭和", start: "1926-12-25", aliases: ["昭和", "昭", "S"] },
  { name: "平成", start: "1989-01-08", aliases: ["平成", "平", "H"] },
  { name: "令和", start: "2019-05-01", aliases: ["令和", "令", "R"] },
];

export const BIRTH_DATE_EXAMPLES = "1960-01-01、1960/1/1、19600101、昭和35年1月1日、S35.1.1";

const SEP = "[-/.]";
const WESTERN = [
  new RegExp(`^(\\d{4})${SEP}(\\d{1,2})${SEP}(\\d{1,2})$`),
  /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];
const ERA_ALIASES = ERAS.flatMap((e) => e.aliases).sort((a, b) => b.length - a.length);
const ERA_DATE = new RegExp(
  `^(${ERA_ALIASES.join("|")})(\\d{1,2}|元)(?:年|${SEP})(\\d{1,2})(?:月|${SEP})(\\d{1,2})日?$`,
);
const ERA_YEAR_ONLY = new RegExp(`^(${ERA_ALIASES.join("|")})(\\d{1,2}|元)年?$`);
/** 1 明治 … 5 令和, then YYMMDD: the era code used by 住民基本台帳 systems. */
const ERA_CODE = /^([1-5])(\d{2})(\d{2})(\d{2})$/;

export function parseBirthDate(raw: string): BirthDateResult {
  const input = normalise(raw);
  if (!input) return fail("生年月日が入力されていません。");

  for (const pattern of WESTERN) {
    const m = pattern.exec(input);
    if (m) return western(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  const era = ERA_DATE.exec(input);
  if (era) return japanese(eraByAlias(era[1]!), era[2] === "元" ? 1 : Number(era[2]), Number(era[3]), Number(era[4]));
  const code = ERA_CODE.exec(input);
  if (code) return japanese(ERAS[Number(code[1]) - 1]!, Number(code[2]), Number(code[3]), Number(code[4]));
  if (ERA_YEAR_ONLY.test(input)) return fail("生年月日に月と日がありません。");
  return fail(`生年月日の形式を読み取れません（例: ${BIRTH_DATE_EXAMPLES}）。`);
}

/**
 * NFKC turns full-width digits and letters into ASCII and the square era signs (㍼ ㍻ ㋿) into
 * 昭和/平成/令和; dash look-alikes become "-". Spreadsheets often append a time ("1960/1/1 0:00"),
 * which is dropped when it is midnight — any other time means the column is not a birth date.
 */
function normalise(raw: string): string {
  return raw
    .normalize("NFKC")
    .trim()
    .replace(/\s+0{1,2}:00(:00)?$/, "")
    .replace(/[‐‑‒–—―−ー]/g, "-")
    .replace(/\s+/g, "")
    .toUpperCase();
}

function eraByAlias(alias: string): Era {
  return ERAS.find((e) => e.aliases.includes(alias))!;
}

function western(year: number, month: number, day: number): BirthDateResult {
  const date = isoDate(year, month, day);
  return date ? { ok: true, date } : fail(impossible(month, day));
}

function japanese(era: Era, eraYear: number, month: number, day: number): BirthDateResult {
  const label = `${era.name}${eraYear === 1 ? "元" : eraYear}年${month}月${day}日`;
  if (eraYear < 1) return fail(`${era.name}${eraYear}年という年はありません。`);
  const year = Number(era.start.slice(0, 4)) + eraYear - 1;
  const date = isoDate(year, month, day);
  if (!date) return fail(impossible(month, day));
  const end = eraEnd(era);
  // ISO dates of four-digit years compare correctly as strings.
  if (date < era.start) return fail(`${label}は${era.name}の期間外です（${era.name}は${jaDate(era.start)}から）。`);
  if (end && date > end) return fail(`${label}は${era.name}の期間外です（${era.name}は${jaDate(end)}まで）。`);
  return { ok: true, date };
}

function eraEnd(era: Era): string | null {
  const next = ERAS[ERAS.indexOf(era) + 1];
  if (!next) return null;
  const d = utcDate(next.start);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** "YYYY-MM-DD" when the day exists in the Gregorian calendar, else null (2月30日, 13月1日, 平年の2月29日). */
export function isoDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0–99 to 1900–1999
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

function utcDate(iso: string) {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date;
}

function jaDate(iso: string) {
  const [y, m, d] = iso.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

function impossible(month: number, day: number) {
  if (month < 1 || month > 12) return `${month}月という月はありません。`;
  return `${month}月${day}日は存在しない日付です。`;
}

function fail(reason: string): BirthDateResult {
  return { ok: false, reason };
}
