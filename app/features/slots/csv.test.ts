import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeCsvBytes } from "~/lib/csv.server";
import { normaliseCsvDate, normaliseCsvTime, parseSlotCsv } from "./csv";

const now = new Date("2026-11-21T03:00:00Z");
const header = "会場名,日付,開始,終了,Web枠,電話枠";

describe("decodeCsvBytes", () => {
  const text = `${header}\n市民会館（南）①,2026/12/01,9:00,9:30,20,10\n`;

  it("reads UTF-8 with a BOM and strips it", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    expect(decodeCsvBytes(bytes)).toEqual({ text, encoding: "utf-8" });
  });

  it("reads UTF-8 without a BOM", () => {
    expect(decodeCsvBytes(new TextEncoder().encode(text))).toEqual({ text, encoding: "utf-8" });
  });

  it("reads Shift_JIS (CP932, as Excel saves it), including ① and 髙", () => {
    const sjis = iconv.encode(`${text}髙島会場,2026-12-02,10:00,10:30,1,1\n`, "cp932");
    const decoded = decodeCsvBytes(new Uint8Array(sjis));
    expect(decoded.encoding).toBe("shift_jis");
    expect(decoded.text).toContain("市民会館（南）①");
    expect(decoded.text).toContain("髙島会場");
  });
});

describe("cell normalisation", () => {
  it("accepts both date spellings and unpadded months", () => {
    expect(normaliseCsvDate("2026/5/1")).toBe("2026-05-01");
    expect(normaliseCsvDate("2026-12-01")).toBe("2026-12-01");
    expect(normaliseCsvDate("12/01/2026")).toBeNull();
  });
  it("accepts H:MM and refuses impossible times", () => {
    expect(normaliseCsvTime("9:05")).toBe("09:05");
    expect(normaliseCsvTime("24:00")).toBeNull();
    expect(normaliseCsvTime("9時")).toBeNull();
  });
});

describe("parseSlotCsv", () => {
  it("parses good rows with line numbers, Japan time and full-width digits", () => {
    const csv = `${header}\n市民会館,2026/12/01,９：００,9:30,２０,10\n\n市民会館,2026-12-01,9:30,10:00,20,0\n`;
    const { rows, problems } = parseSlotCsv(csv, now);
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
    expect(rows[0]).toMatchObject({
      venue: { kind: "name", name: "市民会館" },
      date: "2026-12-01",
      start: "09:00",
      end: "09:30",
      webCapacity: 20,
      phoneCapacity: 10,
    });
    expect(rows[0]!.startsAt.toISOString()).toBe("2026-12-01T00:00:00.000Z");
  });

  it("takes a venue id column instead of a name", () => {
    const id = "0b9b6f39-3a52-4f2e-9a53-6d2b1d7c9e10";
    const { rows, problems } = parseSlotCsv(
      `会場ID,日付,開始,終了,web枠,電話枠\n${id.toUpperCase()},2026-12-01,10:00,10:30,5,5`,
      now,
    );
    expect(problems).toEqual([]);
    expect(rows[0]!.venue).toEqual({ kind: "id", id });
  });

  it("reports every problem of every row with its line number", () => {
    const csv = [
      header,
      "市民会館,2026/12/01,9:00,9:30,20,10",
      ",2026/13/01,9:00,8:00,abc,10",
      "市民会館,2026-02-30,25:00,9:30,20,1001",
      "市民会館,2026-11-20,9:00,9:30,1,1",
    ].join("\n");
    const { rows, problems } = parseSlotCsv(csv, now);
    expect(rows).toHaveLength(1);
    const byLine = (line: number) => problems.filter((p) => p.line === line).map((p) => p.message);
    expect(byLine(3)).toEqual([
      "会場名（または会場ID）を入力してください。",
      "存在しない日付です（「2026/13/01」）。",
      "終了は開始より後の時刻にしてください。",
      "Web枠は0〜1000の整数で入力してください（「abc」）。",
    ]);
    expect(byLine(4)).toEqual([
      "存在しない日付です（「2026-02-30」）。",
      "開始は「9:00」のように24時間表記で入力してください（「25:00」）。",
      "電話枠は0〜1000の整数で入力してください（「1001」）。",
    ]);
    expect(byLine(5)).toEqual(["過去の日時の枠は登録できません。"]);
  });

  it("names missing header columns", () => {
    const { problems } = parseSlotCsv("日付,開始,終了,Web枠\n2026-12-01,9:00,9:30,1", now);
    expect(problems).toEqual([
      { line: 1, message: "見出し行に「会場名」または「会場ID」、「電話枠」の列がありません。" },
    ]);
  });

  it("reports broken quoting and empty files", () => {
    expect(parseSlotCsv(`${header}\n"市民会館,2026-12-01,9:00,9:30,1,1\n`, now).problems[0]!.message).toContain(
      "CSVの形式",
    );
    expect(parseSlotCsv("", now).problems[0]!.message).toContain("ファイルが空です");
    expect(parseSlotCsv(`${header}\n,,,,,\n`, now).problems[0]!.message).toContain("取り込む枠がありません");
  });
});
