import iconv from "iconv-lite";
import { formatTimeJa } from "~/lib/japan-time";
import { CHANNEL_LABELS, doseLabel, STATUS_LABELS } from "./labels";

/**
 * CSV that city staff open by double-clicking in Excel on Windows. Excel guesses the encoding:
 * UTF-8 only with a BOM (without it, Japanese turns into mojibake), Shift_JIS (CP932) for older
 * Excel and for the ledger systems many cities still feed. RFC 4180 otherwise: CRLF line ends,
 * fields with a comma, quote or line break in double quotes, quotes doubled.
 */

export type CsvEncoding = "utf-8" | "shift_jis";
export type CsvCell = string | number | null | undefined;

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
// A cell starting with one of these is run as a formula by Excel ("CSV injection"): a resident could
// type "=HYPERLINK(…)" as their name. A leading apostrophe makes Excel keep it as text.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to CSV text, every line (the last one too) ending in CRLF. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => row.map(csvField).join(",") + "\r\n").join("");
}

// Characters people type on Macs and phones that CP932 spells with a different code point: the
// classic "wave dash problem". Mapping them keeps 〜 and − readable instead of turning into 〓.
const CP932_EQUIVALENTS: Record<string, string> = {
  "\u301C": "\uFF5E", // 〜 → ～
  "\u2212": "\uFF0D", // − → －
  "\u2014": "\u2015", // — → ―
  "\u2016": "\u2225", // ‖ → ∥
  "\u00A2": "\uFFE0", // ¢ → ￠
  "\u00A3": "\uFFE1", // £ → ￡
  "\u00AC": "\uFFE2", // ¬ → ￢
  "\u00A0": " ", // no-break space
};

/** Shown in place of a character Shift_JIS cannot hold (e.g. 𠮷, é): the geta mark used in Japanese print for a missing glyph. */
export const SJIS_REPLACEMENT = "〓";

const cp932Cache = new Map<string, boolean>();
function fitsCp932(ch: string): boolean {
  let fits = cp932Cache.get(ch);
  if (fits === undefined) {
    // iconv-lite writes "?" for what it cannot encode.
    const bytes = iconv.encode(ch, "cp932");
    fits = !(bytes.length === 1 && bytes[0] === 0x3f);
    cp932Cache.set(ch, fits);
  }
  return fits;
}

/** Makes text encodable in CP932; returns it with the number of characters that had to be replaced. */
export function toCp932Safe(text: string): { text: string; replaced: number } {
  let replaced = 0;
  let out = "";
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) {
      out += ch;
      continue;
    }
    const mapped = CP932_EQUIVALENTS[ch] ?? ch;
    if (fitsCp932(mapped)) out += mapped;
    else {
      out += SJIS_REPLACEMENT;
      replaced++;
    }
  }
  return { text: out, replaced };
}

/** The bytes of the file: UTF-8 with a BOM, or CP932 (what Windows calls Shift_JIS). */
export function encodeCsv(text: string, encoding: CsvEncoding): { bytes: Buffer; replaced: number } {
  if (encoding === "utf-8") return { bytes: Buffer.concat([UTF8_BOM, Buffer.from(text, "utf8")]), replaced: 0 };
  const safe = toCp932Safe(text);
  return { bytes: iconv.encode(safe.text, "cp932"), replaced: safe.replaced };
}

export function csvContentType(encoding: CsvEncoding): string {
  return encoding === "utf-8" ? "text/csv; charset=utf-8" : "text/csv; charset=Shift_JIS";
}

/**
 * Content-Disposition with a Japanese file name: `filename*` (RFC 5987/6266, UTF-8, percent-encoded)
 * for every current browser, and a plain ASCII `filename` for anything older. encodeURIComponent
 * leaves ' ( ) * ! alone, which RFC 5987's attr-char does not allow, so they are encoded too.
 */
export function contentDisposition(filename: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(filename).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  const fallback = asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A file name safe on Windows: no \ / : * ? " < > | and no control characters. */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, "_").trim() || "export";
}

export type VenueDayCsvRow = {
  startsAt: Date;
  endsAt: Date;
  contactName: string;
  contactPhone: string;
  dose: number;
  channel: keyof typeof CHANNEL_LABELS;
  status: keyof typeof STATUS_LABELS;
  confirmationCode: string;
  proxyNote: string | null;
  serviceName: string;
};

/** The venue-day list as a spreadsheet: one header row, then one row per reservation, in list order. */
export function venueDayCsv(venueName: string, date: string, rows: readonly VenueDayCsvRow[]): string {
  const header = [
    "日付",
    "開始",
    "終了",
    "会場",
    "サービス",
    "氏名",
    "電話番号",
    "接種回数",
    "受付経路",
    "状態",
    "予約番号",
    "代理予約メモ",
  ];
  return toCsv([
    header,
    ...rows.map((r) => [
      date,
      formatTimeJa(r.startsAt),
      formatTimeJa(r.endsAt),
      venueName,
      r.serviceName,
      r.contactName,
      r.contactPhone,
      doseLabel(r.dose),
      CHANNEL_LABELS[r.channel],
      STATUS_LABELS[r.status],
      r.confirmationCode,
      r.proxyNote ?? "",
    ]),
  ]);
}

/** "当日の予約一覧_市民会館_2026-12-01.csv", with an ASCII fallback for old clients. */
export function venueDayFileNames(venueName: string, date: string) {
  return { filename: safeFileName(`当日の予約一覧_${venueName}_${date}.csv`), ascii: `venue-day_${date}.csv` };
}
