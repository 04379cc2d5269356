import { parse } from "csv-parse/sync";
import { decodeCsvBytes, type CsvEncoding } from "~/lib/csv.server";
import type { GarbageCategory, GarbageDataset } from "./dataset";
import { parseRule } from "./rules";

/**
 * Reading a city's 5374 CSV set (Code for Japan's format, as cities publish it) into one dataset.
 * Every file is decoded like every upload (UTF-8 with or without BOM, else Shift_JIS/CP932), every
 * row checked, and every problem reported with its file and line (the header is line 1): one bad
 * row refuses the whole set, so staff fix it all in one go and nothing half-imported is ever saved.
 */
export const FILE_NAMES = ["area_days.csv", "center.csv", "description.csv", "target.csv", "remarks.csv"] as const;
export type FileName = (typeof FILE_NAMES)[number];
export type ImportProblem = { file: FileName; line: number; message: string };

export const MAX_FILE_BYTES = 2 * 1024 * 1024;
const MAX_AREAS = 500;
const MAX_ITEMS = 10_000;

type Row = { record: string[]; info: { lines: number } };

function readRows(file: FileName, text: string, problems: ImportProblem[]): Row[] | null {
  try {
    return (
      parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as Row[]
    )
      .map((r) => ({ ...r, record: r.record.map((c) => c.replace(/\t/g, " ").trim()) }))
      .filter((r) => r.record.some((c) => c !== ""));
  } catch (e) {
    const line = typeof (e as { lines?: unknown }).lines === "number" ? (e as { lines: number }).lines : 1;
    problems.push({ file, line, message: "CSVの形式が正しくありません（引用符の閉じ忘れなど）。" });
    return null;
  }
}

/** "2026/12/29", "2026-12-29" or "20261229" → "2026-12-29"; null when not a real date in 2000–2100. */
export function readDate(cell: string): string | null {
  const m = /^(\d{4})[/-]?(\d{1,2})[/-]?(\d{1,2})$/.exec(cell.normalize("NFKC").trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}`;
  const d = new Date(`${iso}T00:00:00Z`);
  const y = Number(m[1]);
  return y >= 2000 && y <= 2100 && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

export type ImportInput = Partial<Record<FileName, Uint8Array>>;
export type ParsedImport =
  | { ok: true; dataset: GarbageDataset; encodings: Partial<Record<FileName, CsvEncoding>> }
  | { ok: false; problems: ImportProblem[] };

/** `previous`: the categories' staff settings (祝日は収集しない) carried over by label. */
export function parse5374(files: ImportInput, previous: GarbageCategory[] = []): ParsedImport {
  const problems: ImportProblem[] = [];
  const encodings: Partial<Record<FileName, CsvEncoding>> = {};
  const rows: Partial<Record<FileName, Row[]>> = {};
  for (const name of FILE_NAMES) {
    const bytes = files[name];
    if (!bytes || bytes.length === 0) continue;
    if (bytes.length > MAX_FILE_BYTES) {
      problems.push({ file: name, line: 1, message: "ファイルが大きすぎます（2MBまで）。" });
      continue;
    }
    const { text, encoding } = decodeCsvBytes(bytes);
    encodings[name] = encoding;
    const r = readRows(name, text, problems);
    if (r) rows[name] = r;
  }
  if (!files["area_days.csv"]?.length)
    problems.push({ file: "area_days.csv", line: 1, message: "area_days.csv（地区ごとの収集日）は必須です。" });
  if (problems.length) return { ok: false, problems };

  const keep = new Map(previous.map((c) => [c.label, c.skipHolidays]));
  const categories: GarbageCategory[] = [];
  const addCategory = (label: string, extra: Partial<GarbageCategory> = {}) => {
    if (categories.some((c) => c.label === label)) return false;
    categories.push({
      label,
      sublabel: "",
      description: "",
      color: null,
      skipHolidays: keep.get(label) ?? false,
      ...extra,
    });
    return true;
  };

  // description.csv: label,sublabel,description,styles,bgcolor — the categories' order and colours.
  for (const { record, info } of (rows["description.csv"] ?? []).slice(1)) {
    const [label = "", sublabel = "", description = "", , bgcolor = ""] = record;
    if (!label) {
      problems.push({ file: "description.csv", line: info.lines, message: "ラベル（1列目）が空です。" });
      continue;
    }
    const color = /^#[0-9a-f]{6}$/i.test(bgcolor) ? bgcolor.toLowerCase() : null;
    if (bgcolor && !color)
      problems.push({
        file: "description.csv",
        line: info.lines,
        message: `色「${bgcolor}」は #rrggbb ではありません。`,
      });
    if (!addCategory(label, { sublabel, description, color }))
      problems.push({ file: "description.csv", line: info.lines, message: `「${label}」が重複しています。` });
  }

  // remarks.csv: ID,注意事項
  const remarks: Record<string, string> = {};
  for (const { record, info } of (rows["remarks.csv"] ?? []).slice(1)) {
    const [id = "", text = ""] = record;
    if (!/^\w+$/.test(id) || !text)
      problems.push({ file: "remarks.csv", line: info.lines, message: "IDと注意事項の両方が必要です。" });
    else remarks[id] = text;
  }

  // center.csv: 名称,休止開始日,休止終了日
  const centers: GarbageDataset["centers"] = [];
  // Named even when its dates are wrong: that row is reported once, not again on every area using it.
  const centerNames = new Set<string>();
  for (const { record, info } of (rows["center.csv"] ?? []).slice(1)) {
    const [name = "", fromCell = "", toCell = ""] = record;
    centerNames.add(name);
    const from = readDate(fromCell);
    const to = readDate(toCell);
    if (!name) problems.push({ file: "center.csv", line: info.lines, message: "名称が空です。" });
    else if (!from || !to)
      problems.push({
        file: "center.csv",
        line: info.lines,
        message: `休止期間「${fromCell}〜${toCell}」は日付として読めません。`,
      });
    else if (from > to)
      problems.push({ file: "center.csv", line: info.lines, message: "休止開始日が休止終了日より後です。" });
    else centers.push({ name, from, to });
  }

  // area_days.csv: 地名,センター,<category>,<category>…
  const areaRows = rows["area_days.csv"] ?? [];
  const header = areaRows[0]?.record ?? [];
  const columns = header.slice(2);
  if (columns.length === 0 || columns.some((c) => !c))
    problems.push({ file: "area_days.csv", line: 1, message: "見出し行の3列目以降にごみの種類が必要です。" });
  for (const label of columns) if (label) addCategory(label);
  const areas: GarbageDataset["areas"] = [];
  for (const { record, info } of areaRows.slice(1)) {
    const [name = "", center = "", ...cells] = record;
    const line = info.lines;
    if (!name) {
      problems.push({ file: "area_days.csv", line, message: "地名（1列目）が空です。" });
      continue;
    }
    if (areas.some((a) => a.name === name))
      problems.push({ file: "area_days.csv", line, message: `地名「${name}」が重複しています。` });
    if (center && rows["center.csv"] && !centerNames.has(center))
      problems.push({ file: "area_days.csv", line, message: `センター「${center}」が center.csv にありません。` });
    if (cells.length > columns.length)
      problems.push({ file: "area_days.csv", line, message: "見出しより列が多い行です。" });
    const rules: Record<string, string> = {};
    columns.forEach((label, i) => {
      const cell = cells[i] ?? "";
      const r = parseRule(cell);
      if (!r.ok) problems.push({ file: "area_days.csv", line, message: `${name}の「${label}」: ${r.error}` });
      else {
        for (const id of r.rule.remarks)
          if (!(id in remarks))
            problems.push({
              file: "area_days.csv",
              line,
              message: `${name}の「${label}」: 注意事項 *${id} が remarks.csv にありません。`,
            });
        if (cell) rules[label] = cell.normalize("NFKC").trim();
      }
    });
    areas.push({ name, center: center || null, rules });
  }
  if (areas.length > MAX_AREAS)
    problems.push({ file: "area_days.csv", line: 1, message: `地区が多すぎます（${MAX_AREAS}まで）。` });

  // target.csv: type,name,notice,furigana (品目 → 出し方)
  const items: GarbageDataset["items"] = [];
  for (const { record, info } of (rows["target.csv"] ?? []).slice(1)) {
    const [category = "", name = "", notice = "", furigana = ""] = record;
    if (!category || !name)
      problems.push({ file: "target.csv", line: info.lines, message: "ごみの種類と品目の両方が必要です。" });
    else items.push({ category, name, notice, furigana });
  }
  if (items.length > MAX_ITEMS)
    problems.push({ file: "target.csv", line: 1, message: `品目が多すぎます（${MAX_ITEMS}まで）。` });

  if (problems.length) return { ok: false, problems };
  return { ok: true, dataset: { categories, areas, centers, remarks, items }, encodings };
}
