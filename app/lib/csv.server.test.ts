import iconv from "iconv-lite";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  contentDisposition,
  decodeCsvStream,
  detectCsvEncoding,
  csvContentType,
  csvField,
  encodeCsv,
  safeFileName,
  SJIS_REPLACEMENT,
  toCp932Safe,
  toCsv,
} from "./csv.server";

describe("CSV text", () => {
  it("ends every line, the last one too, with CRLF", () => {
    expect(
      toCsv([
        ["a", "b"],
        ["c", "d"],
      ]),
    ).toBe("a,b\r\nc,d\r\n");
  });

  it("quotes fields with commas, quotes and line breaks, doubling the quotes", () => {
    expect(csvField("山田, 太郎")).toBe('"山田, 太郎"');
    expect(csvField('通称"タロウ"')).toBe('"通称""タロウ"""');
    expect(csvField("一行目\n二行目")).toBe('"一行目\n二行目"');
    expect(csvField("a\r\nb")).toBe('"a\r\nb"');
    expect(csvField(" 前に空白")).toBe('" 前に空白"');
    expect(csvField("山田 太郎")).toBe("山田 太郎");
    expect(csvField(2)).toBe("2");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
  });

  it("keeps Excel from running a resident's input as a formula", () => {
    expect(csvField('=HYPERLINK("http://evil.example")')).toBe('"\'=HYPERLINK(""http://evil.example"")"');
    expect(csvField("+81-90-1234-5678")).toBe("'+81-90-1234-5678");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("-1")).toBe("'-1");
    expect(csvField(-1)).toBe("-1"); // numbers we write ourselves are left alone
  });

  it("round-trips through a strict RFC 4180 parser", () => {
    const rows = [
      ["氏名", "備考"],
      ['山田 "タロウ", 太郎', "代理予約: 長女が電話\n折り返し希望"],
      ["", "最後"],
    ];
    const text = toCsv(rows);
    expect(parse(text, { record_delimiter: "\r\n" })).toEqual(rows);
  });
});

describe("CSV bytes", () => {
  it("UTF-8 starts with a BOM so Excel reads Japanese correctly", () => {
    const { bytes } = encodeCsv("氏名\r\n山田\r\n", "utf-8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString("utf8")).toBe("氏名\r\n山田\r\n");
    expect(csvContentType("utf-8")).toBe("text/csv; charset=utf-8");
  });

  it("Shift_JIS (CP932) bytes round-trip through iconv-lite, without a BOM", () => {
    const text = toCsv([
      ["時刻", "氏名", "電話番号"],
      ["9:00", "髙橋 ①子", "073-123-4567"],
      ["9:30", "ｶﾀｶﾅ, 半角", "～"],
    ]);
    const { bytes, replaced } = encodeCsv(text, "shift_jis");
    expect(replaced).toBe(0);
    expect(bytes[0]).not.toBe(0xef);
    expect([...bytes.subarray(0, 4)]).toEqual([0x8e, 0x9e, 0x8d, 0x8f]); // 時刻
    expect(iconv.decode(bytes, "cp932")).toBe(text);
    expect(bytes.includes(Buffer.from("\r\n"))).toBe(true);
    expect(csvContentType("shift_jis")).toBe("text/csv; charset=Shift_JIS");
  });

  it("maps Mac/JIS look-alikes to their CP932 forms and marks what cannot be written with 〓", () => {
    expect(toCp932Safe("9:00〜10:00 −5")).toEqual({ text: "9:00～10:00 －5", replaced: 0 });
    expect(toCp932Safe("𠮷田 José")).toEqual({ text: `${SJIS_REPLACEMENT}田 Jos${SJIS_REPLACEMENT}`, replaced: 2 });
    const { bytes, replaced } = encodeCsv("𠮷田\r\n", "shift_jis");
    expect(replaced).toBe(1);
    expect(iconv.decode(bytes, "cp932")).toBe("〓田\r\n");
  });
});

describe("download headers", () => {
  it("gives a Japanese file name with RFC 5987 filename* and an ASCII fallback", () => {
    const header = contentDisposition("当日の予約一覧_市民会館(本館)_2026-12-01.csv", "venue-day-2026-12-01.csv");
    expect(header).toBe(
      "attachment; filename=\"venue-day-2026-12-01.csv\"; filename*=UTF-8''%E5%BD%93%E6%97%A5%E3%81%AE%E4%BA%88%E7%B4%84%E4%B8%80%E8%A6%A7_%E5%B8%82%E6%B0%91%E4%BC%9A%E9%A4%A8%28%E6%9C%AC%E9%A4%A8%29_2026-12-01.csv",
    );
    const encoded = header.split("filename*=UTF-8''")[1]!;
    expect(decodeURIComponent(encoded)).toBe("当日の予約一覧_市民会館(本館)_2026-12-01.csv");
    expect(encoded).not.toMatch(/[^A-Za-z0-9%._~-]/);
  });

  it("keeps the fallback ASCII and unquoted-safe", () => {
    expect(contentDisposition("a.csv", 'ven"ue\\会場.csv')).toContain('filename="ven_ue___.csv"');
  });

  it("makes names safe for Windows", () => {
    expect(safeFileName('会場: A/B "本館"')).toBe("会場_ A_B _本館_");
    expect(safeFileName("  ")).toBe("export");
  });
});

describe("reading uploads", () => {
  const SAMPLE = "氏名,接種券番号,生年月日\r\n紀ノ川 花子,１２３４５６７８９０,昭和35年1月1日\r\n";

  it("detects a BOM, plain UTF-8 and Shift_JIS", () => {
    expect(detectCsvEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toBe("utf-8");
    expect(detectCsvEncoding(Buffer.from(SAMPLE, "utf8"))).toBe("utf-8");
    expect(detectCsvEncoding(iconv.encode(SAMPLE, "cp932"))).toBe("shift_jis");
    // A UTF-8 character cut off at the end of a partial sample is still UTF-8; in a whole file it is not.
    expect(detectCsvEncoding(Buffer.from("接種券", "utf8").subarray(0, 7), { partial: true })).toBe("utf-8");
    expect(detectCsvEncoding(Buffer.from("接種券", "utf8").subarray(0, 7))).toBe("shift_jis");
  });

  it("streams CP932 across chunk boundaries, and refuses UTF-8 that goes bad later", async () => {
    async function* chunks(buf: Buffer, size: number) {
      for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
    }
    let text = "";
    for await (const t of decodeCsvStream(chunks(iconv.encode(SAMPLE, "cp932"), 3))) text += t;
    expect(text).toBe(SAMPLE);
    const bad = Buffer.concat([Buffer.from("a".repeat(70 * 1024)), Buffer.from([0xff, 0x0a])]);
    await expect(async () => {
      for await (const _ of decodeCsvStream(chunks(bad, 4096))) void _;
    }).rejects.toThrow(TypeError);
  });
});
