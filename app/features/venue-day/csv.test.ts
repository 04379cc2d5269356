import iconv from "iconv-lite";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  contentDisposition,
  csvContentType,
  csvField,
  encodeCsv,
  safeFileName,
  SJIS_REPLACEMENT,
  toCp932Safe,
  toCsv,
  venueDayCsv,
  venueDayFileNames,
} from "./csv";

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

describe("the venue-day file", () => {
  it("has a Japanese header and one row per reservation, times in Japan", () => {
    const text = venueDayCsv("市民会館, 本館", "2026-12-01", [
      {
        startsAt: new Date("2026-12-01T00:00:00Z"),
        endsAt: new Date("2026-12-01T00:30:00Z"),
        contactName: '紀ノ川 "花子"',
        contactPhone: "073-123-4567",
        dose: 2,
        channel: "phone",
        status: "attended",
        confirmationCode: "ABCD2345",
        proxyNote: "代理予約: 長女が電話",
        serviceName: "新型コロナワクチン接種",
      },
    ]);
    const rows = parse(text, { record_delimiter: "\r\n" }) as string[][];
    expect(rows[0]).toEqual([
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
    ]);
    expect(rows[1]).toEqual([
      "2026-12-01",
      "9:00",
      "9:30",
      "市民会館, 本館",
      "新型コロナワクチン接種",
      '紀ノ川 "花子"',
      "073-123-4567",
      "2回目",
      "電話",
      "来場",
      "ABCD2345",
      "代理予約: 長女が電話",
    ]);
    expect(text.split("\r\n")).toHaveLength(3);
  });

  it("names the file after the venue and the day", () => {
    expect(venueDayFileNames("市民会館/本館", "2026-12-01")).toEqual({
      filename: "当日の予約一覧_市民会館_本館_2026-12-01.csv",
      ascii: "venue-day_2026-12-01.csv",
    });
  });
});
