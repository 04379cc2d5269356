import { parse } from "csv-parse/sync";
import { HAZARDS, HAZARD_HEADINGS, type Hazard } from "./hazards";

/**
 * Reading the national shelter data (国土地理院 指定緊急避難場所・指定避難所 CSV, already decoded from
 * UTF-8 or Shift_JIS by app/lib/csv.server.ts). Headings are matched by name, so the GSI file and a
 * city's own export with extra columns (収容人数, 福祉避難所, 地区) both read. Rows of another
 * municipality are left out and counted; a file with none of the city's rows is refused. Any bad line
 * refuses the whole file with every problem and its line (nothing half-imported). Pure.
 */
export type GsiShelter = {
  gsiId: string;
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  hazards: Hazard[];
  evacuationSite: boolean;
  designatedShelter: boolean;
  /** Null when the file has no such column (the stored value is then kept). */
  welfare: boolean | null;
  capacity: number | null;
  /** A city's own export may name the area; it only fills an area the city has not set. */
  area: string | null;
};
export type GsiProblem = { line: number; message: string };
export type GsiResult =
  { ok: true; shelters: GsiShelter[]; otherMunicipality: number } | { ok: false; problems: GsiProblem[] };

export const MAX_GSI_ROWS = 20_000;

type Column =
  "id" | "name" | "address" | "lat" | "lon" | "code" | "sameAsShelter" | "shelter" | "welfare" | "capacity" | "area";
const HEADINGS: Record<string, Column> = {
  共通id: "id",
  "施設・場所名": "name",
  施設名: "name",
  名称: "name",
  指定避難所名: "name",
  住所: "address",
  所在地住所: "address",
  緯度: "lat",
  経度: "lon",
  市区町村コード: "code",
  全国地方公共団体コード: "code",
  指定避難所との住所同一: "sameAsShelter",
  指定避難所: "shelter",
  福祉避難所: "welfare",
  収容人数: "capacity",
  想定収容人数: "capacity",
  地区: "area",
};
const hazardOf = new Map<string, Hazard>(HAZARDS.flatMap((h) => HAZARD_HEADINGS[h].map((n) => [fold(n), h])));

function fold(s: string) {
  return s.normalize("NFKC").replace(/\s+/g, "").toLowerCase();
}

/** The national data marks a hazard with 1 (some cities' files with ○ / ◎); empty or 0 = not designated. */
export function flagOf(cell: string | undefined): boolean | null {
  const v = fold(cell ?? "");
  if (["1", "○", "◎", "●", "〇", "該当", "true", "yes", "はい"].includes(v)) return true;
  if (["", "0", "-", "×", "false", "no", "いいえ", "非該当"].includes(v)) return false;
  return null;
}

/** 5-digit municipality code (the 6-digit form ends with a check digit). */
export const municipality5 = (code: string) => code.normalize("NFKC").replace(/\D/g, "").slice(0, 5);

type Parsed = { record: string[]; info: { lines: number } };

export function readGsiCsv(text: string, municipalityCode: string): GsiResult {
  let records: Parsed[];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as Parsed[];
  } catch (e) {
    const line = typeof (e as { lines?: unknown }).lines === "number" ? (e as { lines: number }).lines : 1;
    return {
      ok: false,
      problems: [{ line, message: 'CSVの形式が正しくありません。引用符（"）の閉じ忘れなどを確認してください。' }],
    };
  }
  const [header, ...rows] = records;
  if (!header) return { ok: false, problems: [{ line: 1, message: "ファイルが空です。" }] };
  const cols = header.record.map((h) => HEADINGS[fold(h)] ?? null);
  const hazardCols = header.record.map((h) => hazardOf.get(fold(h)) ?? null);
  const missing = (["id", "name", "lat", "lon"] as const).filter((c) => !cols.includes(c));
  if (missing.length) {
    const names = { id: "共通ID", name: "施設・場所名", lat: "緯度", lon: "経度" };
    return {
      ok: false,
      problems: [
        {
          line: 1,
          message: `見出し行に${missing.map((c) => names[c]).join("、")}の列がありません。国土地理院の指定緊急避難場所データを選んでください。`,
        },
      ],
    };
  }
  if (rows.length > MAX_GSI_ROWS)
    return { ok: false, problems: [{ line: 1, message: `一度に取り込めるのは${MAX_GSI_ROWS}行までです。` }] };
  const mine = municipality5(municipalityCode);
  const problems: GsiProblem[] = [];
  const shelters: GsiShelter[] = [];
  const seen = new Map<string, number>();
  let otherMunicipality = 0;
  for (const { record, info } of rows) {
    const line = info.lines;
    const cell = (c: Column) => {
      const i = cols.indexOf(c);
      return i < 0 ? undefined : (record[i] ?? "").normalize("NFKC").trim();
    };
    const gsiId = cell("id") ?? "";
    // The municipality: its own column, else the 共通ID's first five digits (the national data's form).
    const code = cell("code") ? municipality5(cell("code")!) : municipality5(gsiId.split(/[-_]/)[0] ?? "");
    if (code.length === 5 && code !== mine) {
      otherMunicipality++;
      continue;
    }
    if (!gsiId) problems.push({ line, message: "共通IDが空です。" });
    const name = cell("name") ?? "";
    if (!name) problems.push({ line, message: "施設・場所名が空です。" });
    const latitude = Number(cell("lat"));
    const longitude = Number(cell("lon"));
    // Japan spans roughly 20–46°N, 122–154°E: anything else is a swapped or broken pair.
    if (!cell("lat") || !cell("lon") || !(latitude >= 20 && latitude <= 46) || !(longitude >= 122 && longitude <= 154))
      problems.push({
        line,
        message: `緯度・経度が正しくありません（${cell("lat") || "空"}, ${cell("lon") || "空"}）。`,
      });
    const hazards: Hazard[] = [];
    header.record.forEach((h, i) => {
      const hz = hazardCols[i];
      if (!hz) return;
      const f = flagOf(record[i]);
      if (f === null) problems.push({ line, message: `「${h}」の値は 1 か空にしてください。` });
      else if (f) hazards.push(hz);
    });
    const capText = cell("capacity");
    const capacity = capText ? Number(capText.replace(/[,人]/g, "")) : null;
    if (capacity !== null && !(Number.isInteger(capacity) && capacity >= 0))
      problems.push({ line, message: "収容人数は0以上の整数にしてください。" });
    const shelterFlag = cell("shelter") !== undefined ? flagOf(cell("shelter")) : flagOf(cell("sameAsShelter"));
    const welfare = cell("welfare") !== undefined ? flagOf(cell("welfare")) : null;
    const earlier = seen.get(gsiId);
    if (gsiId && earlier) problems.push({ line, message: `同じ共通IDが${earlier}行目にもあります。` });
    else if (gsiId) seen.set(gsiId, line);
    shelters.push({
      gsiId,
      name: name.slice(0, 200),
      address: (cell("address") ?? "").slice(0, 300),
      latitude,
      longitude,
      hazards,
      evacuationSite: hazards.length > 0 || cell("shelter") === undefined,
      designatedShelter: shelterFlag === true,
      welfare,
      capacity,
      area: cell("area") || null,
    });
  }
  if (problems.length) return { ok: false, problems };
  if (shelters.length === 0)
    return {
      ok: false,
      problems: [
        {
          line: 2,
          message:
            otherMunicipality > 0
              ? `この市区町村（${mine}）の行がありません。ほかの市区町村のデータではありませんか。`
              : "取り込む避難所がありません。",
        },
      ],
    };
  return { ok: true, shelters, otherMunicipality };
}
