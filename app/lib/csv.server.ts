import { stringify } from "csv-stringify/sync";
import iconv from "iconv-lite";

/**
 * CSV, one way (ADR 035): every export and import goes through this module. Writing: csv-stringify
 * for the quoting, plus our layer for Excel. Reading: one encoding detection and decoder.
 *
 * CSV that city staff open by double-clicking in Excel on Windows. Excel guesses the encoding:
 * UTF-8 only with a BOM (without it, Japanese turns into mojibake), Shift_JIS (CP932) for older
 * Excel and for the ledger systems many cities still feed. RFC 4180 otherwise: CRLF line ends,
 * fields with a comma, quote or line break in double quotes, quotes doubled.
 */

export type CsvEncoding = "utf-8" | "shift_jis";
export type CsvCell = string | number | null | undefined;

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
// A cell starting with one of these is run as a formula by Excel ("CSV injection"): a resident could
// type "=HYPERLINK(…)" as their name. A leading apostrophe makes Excel keep it as text.
const FORMULA_START = /^[=+\-@\t\r]/;

const guardFormula = (value: string) => (FORMULA_START.test(value) ? `'${value}` : value);

// Quoting is csv-stringify's (delimiter, quote, the CRLF record delimiter; quotes doubled); we add
// quotes around a lone CR or LF and around leading or trailing white space, which Excel would trim.
const STRINGIFY_OPTIONS = {
  record_delimiter: "\r\n",
  quoted_match: /[\r\n]|^\s|\s$/,
  cast: { string: guardFormula, number: (n: number) => String(n) },
} as const;

/** Rows to CSV text, every line (the last one too) ending in CRLF. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return stringify(
    rows.map((row) => row.map((v) => v ?? "")),
    STRINGIFY_OPTIONS,
  );
}

/** One cell as it appears in the file. */
export function csvField(value: CsvCell): string {
  return toCsv([[value]]).slice(0, -2);
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

/**
 * Reading an uploaded CSV: Excel on Japanese Windows saves "CSV" as Shift_JIS (really CP932, which
 * adds ①, 髙 and friends) and "CSV UTF-8" with a BOM; editors save UTF-8 without one. So: a BOM →
 * UTF-8; else bytes that are valid UTF-8 → UTF-8; else CP932. `partial`: `head` is only the start of
 * the file, so a multi-byte character cut off at its end does not count against UTF-8.
 */
export function detectCsvEncoding(head: Uint8Array, opts: { partial?: boolean } = {}): CsvEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf-8";
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: opts.partial ?? false });
    return "utf-8";
  } catch {
    return "shift_jis";
  }
}

/** A whole uploaded file as text (a leading BOM dropped), with the encoding it was read as. */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const encoding = detectCsvEncoding(bytes);
  const text =
    encoding === "utf-8" ? new TextDecoder("utf-8").decode(bytes) : iconv.decode(Buffer.from(bytes), "cp932");
  return { text, encoding };
}

const DETECT_BYTES = 64 * 1024;

type Decoder = { write(chunk: Buffer): string; end(): string };

function makeDecoder(encoding: CsvEncoding): Decoder {
  if (encoding === "utf-8") {
    const d = new TextDecoder("utf-8", { fatal: true });
    return { write: (c) => d.decode(c, { stream: true }), end: () => d.decode() };
  }
  const d = iconv.getDecoder("cp932");
  return { write: (c) => d.write(c), end: () => d.end() ?? "" };
}

/**
 * A large upload as text, chunk by chunk, the encoding detected on its first 64 KiB. UTF-8 stays
 * strict to the end: a file that turns out not to be UTF-8 later throws a TypeError (TextDecoder's)
 * instead of yielding mojibake. Both decoders drop a leading BOM and keep multi-byte characters split
 * across chunks intact.
 */
export async function* decodeCsvStream(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let decoder: Decoder | undefined;
  let head: Buffer[] = [];
  let headLength = 0;
  for await (const chunk of bytes) {
    if (decoder) {
      const text = decoder.write(chunk);
      if (text) yield text;
      continue;
    }
    head.push(chunk);
    headLength += chunk.length;
    if (headLength < DETECT_BYTES) continue;
    const buffered = Buffer.concat(head);
    head = [];
    decoder = makeDecoder(detectCsvEncoding(buffered, { partial: true }));
    yield decoder.write(buffered);
  }
  if (!decoder) {
    const buffered = Buffer.concat(head);
    decoder = makeDecoder(detectCsvEncoding(buffered, { partial: true }));
    yield decoder.write(buffered);
  }
  const rest = decoder.end();
  if (rest) yield rest;
}
