import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { venueDayCsv, venueDayFileNames } from "./csv";

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
