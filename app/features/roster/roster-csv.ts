import { parse, type Info } from "csv-parse";
import { pipeline, Readable } from "node:stream";
import { isTicketNumber, normaliseTicketNumber } from "~/features/reservations/ticket.server";
import { parseBirthDate } from "./birth-date";
import { decodeCsvStream } from "~/lib/csv.server";

/**
 * Reading a city's roster CSV: encoding detection, header columns, one row's checks. No database
 * and no secrets here; the import use-case hashes what this returns. Only server code imports this
 * module (it pulls in ticket.server.ts).
 */

export type RosterColumns = { ticket: number; birth: number };
export type RosterRow = { ok: true; ticket: string; birthDate: string } | { ok: false; reason: string };
export type CsvRecord = { line: number; fields: string[] };

export const ENCODING_ERROR =
  "ファイルの文字コードを判別できません。UTF-8 または Shift_JIS（CP932）で保存したCSVファイルを選んでください。";
/** The oldest birth date the roster accepts: anything earlier is a typing or conversion error. */
export const EARLIEST_BIRTH_DATE = "1900-01-01";

/**
 * Bytes → text, chunk by chunk (~/lib/csv.server's one decoder). A file that turns out not to be
 * UTF-8 after the first 64 KiB is refused (ENCODING_ERROR) instead of importing mojibake.
 */
export async function* decodeCsv(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  try {
    yield* decodeCsvStream(bytes);
  } catch (e) {
    // TextDecoder reports invalid UTF-8 as a TypeError.
    if (e instanceof TypeError) throw new RosterFileError(ENCODING_ERROR);
    throw e;
  }
}

/** A problem with the whole file (encoding, header), not with one row. */
export class RosterFileError extends Error {}

/**
 * Records with the line on which each starts in the file (1 = header), so the report matches what
 * staff see in an editor. Blank lines are skipped; any of CRLF, LF or CR ends a record.
 */
export async function* readCsvRecords(text: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  const parser = parse({
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    record_delimiter: ["\r\n", "\n", "\r"],
  });
  // pipeline: backpressure, and an error on either side (bad encoding, early stop) ends both.
  pipeline(Readable.from(text), parser, () => {});
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      // info.lines is where the record ends; quoted fields may span lines.
      const inner = record.reduce((n, f) => n + (f.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
      yield { line: info.lines - inner, fields: record };
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code?.startsWith("CSV_"))
      throw new RosterFileError(
        `CSVの形式が正しくありません（${(e as { lines?: number }).lines ?? "?"}行目付近。引用符 " の閉じ忘れなどを確認してください）。`,
      );
    throw e;
  }
}

const TICKET_HEADERS = new Set([
  "接種券番号",
  "券番号",
  "接種券no",
  "接種券no.",
  "接種券",
  "接種券番号10桁",
  "クーポン券番号",
]);
const BIRTH_HEADERS = new Set(["生年月日", "誕生日", "生年月日西暦", "生年月日和暦"]);

/** "生年月日(西暦)", "接種券番号（10桁）", " 券番号 " → comparable keys. */
function headerKey(cell: string) {
  return cell
    .normalize("NFKC")
    .replace(/\(.*?\)|\[.*?\]|【.*?】/g, "")
    .replace(/\s+/g, "")
    .toLowerCase();
}

export function findColumns(header: string[]): { ok: true; columns: RosterColumns } | { ok: false; reason: string } {
  const keys = header.map(headerKey);
  const ticket = keys.flatMap((k, i) => (TICKET_HEADERS.has(k) ? [i] : []));
  const birth = keys.flatMap((k, i) => (BIRTH_HEADERS.has(k) ? [i] : []));
  const missing = [ticket.length ? null : "接種券番号", birth.length ? null : "生年月日"].filter(Boolean);
  if (missing.length)
    return {
      ok: false,
      reason: `1行目（見出し）に「${missing.join("」「")}」の列がありません。見出しの行を確認してください。`,
    };
  if (ticket.length > 1 || birth.length > 1)
    return {
      ok: false,
      reason: "1行目（見出し）に接種券番号または生年月日の列が複数あります。どちらか一方にしてください。",
    };
  return { ok: true, columns: { ticket: ticket[0]!, birth: birth[0]! } };
}

/** All but the last four characters hidden: reports must never carry a whole ticket number. */
export function maskTicket(normalised: string): string {
  if (normalised.length <= 4) return "*".repeat(normalised.length);
  return "*".repeat(normalised.length - 4) + normalised.slice(-4);
}

/** One data row: its ticket number (normalised, 10 digits) and birth date ("YYYY-MM-DD"), or why not. */
export function checkRow(fields: string[], columns: RosterColumns, today: string): RosterRow {
  const ticket = normaliseTicketNumber(fields[columns.ticket] ?? "");
  const reasons: string[] = [];
  if (!ticket) reasons.push("接種券番号が入力されていません。");
  else if (!isTicketNumber(ticket))
    reasons.push(`接種券番号は10桁の数字にしてください（入力: ${maskTicket(ticket)}、${ticket.length}文字）。`);
  const birth = parseBirthDate(fields[columns.birth] ?? "");
  if (!birth.ok) reasons.push(birth.reason);
  else if (birth.date < EARLIEST_BIRTH_DATE) reasons.push("生年月日が1900年より前になっています。");
  else if (birth.date > today) reasons.push("生年月日が未来の日付になっています。");
  if (reasons.length) return { ok: false, reason: reasons.join(" ") };
  return { ok: true, ticket, birthDate: (birth as { date: string }).date };
}

/**
 * Data rows, estimated by counting line feeds as the bytes go by (0x0A is never part of a Shift_JIS
 * or UTF-8 multi-byte character), so progress can show "n / total 行" from the first batch. The
 * import corrects it to the real count when the file has been read.
 */
export class RowEstimate {
  private lines = 0;
  private last = 0x0a;
  add(chunk: Buffer) {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) this.lines++;
    if (chunk.length) this.last = chunk[chunk.length - 1]!;
  }
  /** Lines minus the header; an unterminated last line counts. */
  get dataRows() {
    return Math.max(0, this.lines + (this.last !== 0x0a ? 1 : 0) - 1);
  }
}
