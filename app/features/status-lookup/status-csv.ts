import type { LookupStatus } from "#db/schema/index";
import { parseBirthDate } from "~/features/roster/birth-date";
import { EARLIEST_BIRTH_DATE } from "~/features/roster/roster-csv";
import { findStatus, keyMatches, needsDate, normaliseKey } from "./keys";

/**
 * One status CSV's header and rows (issue 19). Reading bytes and lines is the roster import's
 * (decodeCsv, readCsvRecords: UTF-8 or Shift_JIS, line numbers as an editor shows them); this module
 * only knows this file's columns: the key (申請番号 or the lookup's own label), 生年月日, 状況 and an
 * optional 日付 (for a status whose text shows a date).
 */
export type StatusColumns = { key: number; birth: number; status: number; date: number | null };
export type StatusRow =
  | { ok: true; key: string; birthDate: string; status: string; statusDate: string | null }
  | { ok: false; reason: string };

const headerKey = (cell: string) =>
  cell
    .normalize("NFKC")
    .replace(/\(.*?\)|\[.*?\]|【.*?】/g, "")
    .replace(/\s+/g, "")
    .toLowerCase();

const KEY_HEADERS = ["申請番号", "受付番号", "番号", "key"];
const BIRTH_HEADERS = ["生年月日", "誕生日"];
const STATUS_HEADERS = ["状況", "申請状況", "ステータス", "status"];
const DATE_HEADERS = ["日付", "予定日", "振込予定日", "date"];

export function findStatusColumns(
  header: string[],
  keyLabel: string,
): { ok: true; columns: StatusColumns } | { ok: false; reason: string } {
  const keys = header.map(headerKey);
  const find = (names: string[]) => keys.flatMap((k, i) => (names.includes(k) ? [i] : []));
  const key = find([headerKey(keyLabel), ...KEY_HEADERS]);
  const birth = find(BIRTH_HEADERS);
  const status = find(STATUS_HEADERS);
  const date = find(DATE_HEADERS);
  const missing = [key.length ? null : keyLabel, birth.length ? null : "生年月日", status.length ? null : "状況"];
  const names = missing.filter(Boolean);
  if (names.length)
    return {
      ok: false,
      reason: `1行目（見出し）に「${names.join("」「")}」の列がありません。見出しの行を確認してください。`,
    };
  if (key.length > 1 || birth.length > 1 || status.length > 1 || date.length > 1)
    return { ok: false, reason: "1行目（見出し）に同じ意味の列が複数あります。1つにしてください。" };
  return { ok: true, columns: { key: key[0]!, birth: birth[0]!, status: status[0]!, date: date[0] ?? null } };
}

/** All but the last four characters hidden: a report never carries a whole key. */
export function maskKey(normalised: string): string {
  if (normalised.length <= 4) return "*".repeat(normalised.length);
  return "*".repeat(normalised.length - 4) + normalised.slice(-4);
}

export function checkStatusRow(
  fields: string[],
  columns: StatusColumns,
  lookup: { keyLabel: string; keyPattern: string; statuses: readonly LookupStatus[] },
  today: string,
): StatusRow {
  const reasons: string[] = [];
  const key = normaliseKey(fields[columns.key] ?? "");
  if (!key) reasons.push(`${lookup.keyLabel}が入力されていません。`);
  else if (!keyMatches(lookup.keyPattern, key))
    reasons.push(`${lookup.keyLabel}の形式が正しくありません（入力: ${maskKey(key)}、${key.length}文字）。`);
  const birth = parseBirthDate(fields[columns.birth] ?? "");
  if (!birth.ok) reasons.push(birth.reason);
  else if (birth.date < EARLIEST_BIRTH_DATE) reasons.push("生年月日が1900年より前になっています。");
  else if (birth.date > today) reasons.push("生年月日が未来の日付になっています。");
  const cell = (fields[columns.status] ?? "").trim();
  const status = findStatus(lookup.statuses, cell);
  if (!status)
    reasons.push(
      cell
        ? `状況「${cell.slice(0, 30)}」はこの照会の状況の一覧にありません（${lookup.statuses.map((s) => s.label).join("、")}）。`
        : "状況が入力されていません。",
    );
  let statusDate: string | null = null;
  const dateCell = columns.date === null ? "" : (fields[columns.date] ?? "").trim();
  if (dateCell) {
    // Same formats as birth dates (western or era, full-width digits).
    const d = parseBirthDate(dateCell);
    if (!d.ok) reasons.push(`日付: ${d.reason}`);
    else statusDate = d.date;
  } else if (status && needsDate(status)) reasons.push(`状況「${status.label}」には日付が必要です。`);
  if (reasons.length) return { ok: false, reason: reasons.join(" ") };
  return { ok: true, key, birthDate: (birth as { date: string }).date, status: status!.code, statusDate };
}
