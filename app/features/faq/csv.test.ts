import { describe, expect, it } from "vitest";
import { decodeCsvBytes, encodeCsv, toCsv } from "~/lib/csv.server";
import { faqCsvRows, readFaqCsv } from "./csv";

const entries = [
  {
    category: "住民票",
    question: "住民票の写しの取り方",
    answer: "市民課の窓口か、コンビニで取れます。\nhttps://example.jp/juminhyo",
    variants: ["住民票 取得", "住民票 コンビニ"],
    published: true,
  },
  { category: "ごみ", question: "粗大ごみの出し方", answer: "予約制です、電話で。", variants: [], published: false },
];

describe("FAQ CSV", () => {
  it("round-trips through UTF-8 and Shift_JIS files", () => {
    for (const encoding of ["utf-8", "shift_jis"] as const) {
      const { bytes } = encodeCsv(toCsv(faqCsvRows(entries)), encoding);
      const decoded = decodeCsvBytes(bytes);
      expect(decoded.encoding).toBe(encoding);
      expect(readFaqCsv(decoded.text)).toEqual({ ok: true, entries });
    }
  });

  it("refuses the whole file for broken quoting, with the line", () => {
    const text = '分野,質問,回答\nごみ,粗大ごみ,"予約制です\nごみ,ペットボトル,水曜日\n';
    const r = readFaqCsv(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toContain("引用符");
  });

  it("reports every bad row with its line number and imports nothing", () => {
    const text = [
      "分野,質問,回答,公開",
      "ごみ,粗大ごみ,予約制です,公開",
      ",名前なし,回答,公開",
      "ごみ,粗大ごみ,重複,たぶん",
    ].join("\n");
    const r = readFaqCsv(text);
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) {
      expect(r.problems.map((p) => p.line)).toEqual([3, 4, 4]);
      expect(r.problems.map((p) => p.message).join()).toContain("2行目");
    }
    expect(readFaqCsv("質問,回答\na,b")).toMatchObject({ ok: false, problems: [{ line: 1 }] });
    expect(readFaqCsv("")).toMatchObject({ ok: false });
  });
});
