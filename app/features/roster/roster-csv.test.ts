import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import {
  checkRow,
  decodeCsv,
  ENCODING_ERROR,
  findColumns,
  maskTicket,
  readCsvRecords,
  RosterFileError,
} from "./roster-csv";

async function* chunks(buf: Buffer, size: number) {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
async function collect<T>(it: AsyncIterable<T>) {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
const text = async (buf: Buffer, size = 7) => (await collect(decodeCsv(chunks(buf, size)))).join("");
const records = async (s: string) => collect(readCsvRecords(decodeCsv(chunks(Buffer.from(s, "utf8"), 5))));

const SAMPLE = "氏名,接種券番号,生年月日\r\n紀ノ川 花子,１２３４５６７８９０,昭和35年1月1日\r\n";

describe("encoding", () => {
  it("decodes UTF-8 with and without BOM and CP932, across chunk boundaries that split characters", async () => {
    expect(await text(Buffer.from(SAMPLE, "utf8"))).toBe(SAMPLE);
    expect(await text(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE, "utf8")]))).toBe(SAMPLE);
    expect(await text(iconv.encode(SAMPLE, "cp932"), 3)).toBe(SAMPLE);
    // CP932-only characters (NEC special, IBM extension) survive.
    expect(await text(iconv.encode("髙橋①,㈱", "cp932"))).toBe("髙橋①,㈱");
  });

  it("decides on the first 64 KiB and refuses a file that stops being UTF-8 later", async () => {
    const body = Buffer.concat([
      Buffer.from("接種券番号,生年月日\n" + "1234567890,1960-01-01\n".repeat(4000), "utf8"),
      iconv.encode("髙橋\n", "cp932"),
    ]);
    await expect(text(body, 4096)).rejects.toThrow(new RosterFileError(ENCODING_ERROR));
  });
});

describe("readCsvRecords", () => {
  it("numbers records by the line they start on, skipping blank lines, with CRLF, LF or CR", async () => {
    const r = await records('a,b\r\n1,2\n\n3,"x\ny"\r4,5');
    expect(r).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["1", "2"] },
      { line: 4, fields: ["3", "x\ny"] },
      { line: 6, fields: ["4", "5"] },
    ]);
  });

  it("reports a broken quote as a file error", async () => {
    await expect(records('a,b\n1,"2\n3,4\n')).rejects.toBeInstanceOf(RosterFileError);
  });
});

describe("findColumns", () => {
  it("finds the two columns among others, with common header variants", () => {
    expect(findColumns(["氏名", "接種券番号", "生年月日"])).toEqual({ ok: true, columns: { ticket: 1, birth: 2 } });
    expect(findColumns(["生年月日(西暦)", "住所", " 券番号 "])).toEqual({ ok: true, columns: { ticket: 2, birth: 0 } });
    expect(findColumns(["接種券番号（10桁）", "生年月日【和暦】"])).toEqual({
      ok: true,
      columns: { ticket: 0, birth: 1 },
    });
    expect(findColumns(["接種券ＮＯ", "誕生日"])).toEqual({ ok: true, columns: { ticket: 0, birth: 1 } });
  });

  it("explains a missing or doubled column", () => {
    const missing = findColumns(["氏名", "生年月日"]);
    expect(missing.ok || missing.reason).toBe(
      "1行目（見出し）に「接種券番号」の列がありません。見出しの行を確認してください。",
    );
    const none = findColumns(["1234567890", "1960-01-01"]);
    expect(none.ok || none.reason).toContain("「接種券番号」「生年月日」");
    const doubled = findColumns(["接種券番号", "券番号", "生年月日"]);
    expect(doubled.ok || doubled.reason).toContain("複数");
  });
});

describe("checkRow", () => {
  const cols = { ticket: 0, birth: 1 };
  const today = "2026-11-21";

  it("normalises full-width digits and hyphens and parses era dates", () => {
    expect(checkRow(["１２３４－５６７８９０", "S35.1.1"], cols, today)).toEqual({
      ok: true,
      ticket: "1234567890",
      birthDate: "1960-01-01",
    });
    expect(checkRow([" 0000000001 ", "2019/5/1"], cols, today)).toEqual({
      ok: true,
      ticket: "0000000001",
      birthDate: "2019-05-01",
    });
  });

  it("gives every reason of a bad row and never the whole ticket number", () => {
    const r = checkRow(["123456789", "昭和64年1月8日"], cols, today);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe(
      "接種券番号は10桁の数字にしてください（入力: *****6789、9文字）。 昭和64年1月8日は昭和の期間外です（昭和は1989年1月7日まで）。",
    );
    expect(r.reason).not.toContain("123456789");
    const long = checkRow(["12345678901", "1960-01-01"], cols, today);
    expect(!long.ok && long.reason).not.toContain("12345678901");
  });

  it("refuses empty cells, short rows, future and implausibly old dates", () => {
    expect(checkRow(["", ""], cols, today)).toEqual({
      ok: false,
      reason: "接種券番号が入力されていません。 生年月日が入力されていません。",
    });
    expect(checkRow(["1234567890"], cols, today)).toEqual({ ok: false, reason: "生年月日が入力されていません。" });
    expect(checkRow(["1234567890", "2026-11-22"], cols, today)).toEqual({
      ok: false,
      reason: "生年月日が未来の日付になっています。",
    });
    expect(checkRow(["1234567890", "1899-12-31"], cols, today)).toEqual({
      ok: false,
      reason: "生年月日が1900年より前になっています。",
    });
  });
});

describe("maskTicket", () => {
  it("keeps only the last four characters", () => {
    expect(maskTicket("1234567890")).toBe("******7890");
    expect(maskTicket("123")).toBe("***");
  });
});
