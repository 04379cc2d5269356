import { parse } from "csv-parse/sync";
import { isCalendarDate, tokyoInstant } from "~/lib/japan-time";
import { minutesOf } from "./calendar";
import { MAX_CAPACITY, MAX_CSV_ROWS } from "./limits";

/**
 * Reading a slot CSV that city staff made in Excel or a text editor. Pure: decoding and per-row
 * checks only; which venue a name means is the server's question (it needs the database).
 */

export type CsvVenueRef = { kind: "id"; id: string } | { kind: "name"; name: string };
export type CsvSlotRow = {
  line: number;
  venue: CsvVenueRef;
  date: string;
  start: string;
  end: string;
  startsAt: Date;
  endsAt: Date;
  webCapacity: number;
  phoneCapacity: number;
};
export type CsvProblem = { line: number; message: string };
export type CsvParseResult = { rows: CsvSlotRow[]; problems: CsvProblem[] };

type Column = "venueName" | "venueId" | "date" | "start" | "end" | "web" | "phone";

// Header spellings seen in practice; compared after NFKC, lower-casing and removing spaces.
const HEADER_ALIASES: Record<string, Column> = {
  会場名: "venueName",
  会場: "venueName",
  会場id: "venueId",
  venueid: "venueId",
  venue_id: "venueId",
  日付: "date",
  実施日: "date",
  開始: "start",
  開始時刻: "start",
  開始時間: "start",
  終了: "end",
  終了時刻: "end",
  終了時間: "end",
  web枠: "web",
  ウェブ枠: "web",
  web: "web",
  電話枠: "phone",
  電話: "phone",
};

const COLUMN_LABEL: Record<Exclude<Column, "venueId">, string> = {
  venueName: "会場名",
  date: "日付",
  start: "開始",
  end: "終了",
  web: "Web枠",
  phone: "電話枠",
};

const normaliseHeader = (h: string) => h.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
const normaliseCell = (v: string | undefined) => (v ?? "").normalize("NFKC").trim();

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_CELL = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;
const TIME_CELL = /^(\d{1,2}):(\d{2})$/;

/** "2026/5/1" → "2026-05-01"; null when the shape is wrong. */
export function normaliseCsvDate(cell: string): string | null {
  const m = DATE_CELL.exec(cell);
  return m ? `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}` : null;
}

/** "9:00" → "09:00"; null unless a real 24-hour time. */
export function normaliseCsvTime(cell: string): string | null {
  const m = TIME_CELL.exec(cell);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  return h <= 23 && min <= 59 ? `${String(h).padStart(2, "0")}:${m[2]}` : null;
}

function capacity(cell: string, label: string, problems: string[]): number {
  if (!/^\d{1,4}$/.test(cell) || Number(cell) > MAX_CAPACITY) {
    problems.push(`${label}は0〜${MAX_CAPACITY}の整数で入力してください（「${cell || "空欄"}」）。`);
    return 0;
  }
  return Number(cell);
}

type Parsed = { record: string[]; info: { lines: number } };

function readRecords(text: string): { records: Parsed[] } | { problem: CsvProblem } {
  try {
    const records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as Parsed[];
    return { records };
  } catch (e) {
    const line = typeof (e as { lines?: unknown }).lines === "number" ? (e as { lines: number }).lines : 1;
    return {
      problem: { line, message: 'CSVの形式が正しくありません。引用符（"）の閉じ忘れなどがないか確認してください。' },
    };
  }
}

/**
 * Every row checked, every problem reported with its line number (the header is line 1), so staff
 * can fix the whole file in one go. `now` refuses slots that have already begun.
 */
export function parseSlotCsv(text: string, now: Date): CsvParseResult {
  const read = readRecords(text);
  if ("problem" in read) return { rows: [], problems: [read.problem] };
  const [header, ...body] = read.records;
  if (!header)
    return {
      rows: [],
      problems: [{ line: 1, message: "ファイルが空です。1行目に見出し、2行目から枠を書いてください。" }],
    };

  const index: Partial<Record<Column, number>> = {};
  header.record.forEach((h, i) => {
    const column = HEADER_ALIASES[normaliseHeader(h)];
    if (column && index[column] === undefined) index[column] = i;
  });
  const missing = (["date", "start", "end", "web", "phone"] as const)
    .filter((c) => index[c] === undefined)
    .map((c) => `「${COLUMN_LABEL[c]}」`);
  if (index.venueName === undefined && index.venueId === undefined) missing.unshift("「会場名」または「会場ID」");
  if (missing.length) {
    return {
      rows: [],
      problems: [{ line: header.info.lines, message: `見出し行に${missing.join("、")}の列がありません。` }],
    };
  }
  if (body.length > MAX_CSV_ROWS) {
    return {
      rows: [],
      problems: [
        {
          line: 1,
          message: `一度に取り込める枠は${MAX_CSV_ROWS.toLocaleString("ja-JP")}行までです（${body.length.toLocaleString("ja-JP")}行あります）。ファイルを分けてください。`,
        },
      ],
    };
  }

  const rows: CsvSlotRow[] = [];
  const problems: CsvProblem[] = [];
  for (const { record, info } of body) {
    const cell = (c: Column) => (index[c] === undefined ? "" : normaliseCell(record[index[c]!]));
    if (record.every((v) => normaliseCell(v) === "")) continue; // a row of only commas, as Excel leaves behind
    const rowProblems: string[] = [];

    const venueId = cell("venueId");
    const venueName = cell("venueName");
    let venue: CsvVenueRef | null = null;
    if (venueId) {
      if (UUID_RE.test(venueId)) venue = { kind: "id", id: venueId.toLowerCase() };
      else rowProblems.push(`会場IDの形式が正しくありません（「${venueId}」）。`);
    } else if (venueName) venue = { kind: "name", name: venueName.replace(/\s+/g, " ") };
    else rowProblems.push("会場名（または会場ID）を入力してください。");

    const rawDate = cell("date");
    const date = normaliseCsvDate(rawDate);
    if (!date)
      rowProblems.push(`日付は「2026-12-01」または「2026/12/01」の形で入力してください（「${rawDate || "空欄"}」）。`);
    else if (!isCalendarDate(date)) rowProblems.push(`存在しない日付です（「${rawDate}」）。`);

    const rawStart = cell("start");
    const rawEnd = cell("end");
    const start = normaliseCsvTime(rawStart);
    const end = normaliseCsvTime(rawEnd);
    if (!start) rowProblems.push(`開始は「9:00」のように24時間表記で入力してください（「${rawStart || "空欄"}」）。`);
    if (!end) rowProblems.push(`終了は「9:30」のように24時間表記で入力してください（「${rawEnd || "空欄"}」）。`);
    if (start && end && minutesOf(end) <= minutesOf(start)) rowProblems.push("終了は開始より後の時刻にしてください。");

    const webCapacity = capacity(cell("web"), "Web枠", rowProblems);
    const phoneCapacity = capacity(cell("phone"), "電話枠", rowProblems);

    if (rowProblems.length === 0 && venue && date && start && end) {
      const startsAt = tokyoInstant(date, start);
      if (startsAt <= now) rowProblems.push("過去の日時の枠は登録できません。");
      else
        rows.push({
          line: info.lines,
          venue,
          date,
          start,
          end,
          startsAt,
          endsAt: tokyoInstant(date, end),
          webCapacity,
          phoneCapacity,
        });
    }
    for (const message of rowProblems) problems.push({ line: info.lines, message });
  }
  if (rows.length === 0 && problems.length === 0)
    problems.push({ line: 2, message: "取り込む枠がありません。2行目から枠を書いてください。" });
  return { rows, problems };
}
