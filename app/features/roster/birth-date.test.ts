import { describe, expect, it } from "vitest";
import { formatEraYear } from "~/lib/japan-time";
import { ERAS, isoDate, parseBirthDate } from "./birth-date";

const ok = (input: string) => {
  const r = parseBirthDate(input);
  if (!r.ok) throw new Error(`${input}: ${r.reason}`);
  return r.date;
};
const reason = (input: string) => {
  const r = parseBirthDate(input);
  if (r.ok) throw new Error(`${input} was accepted as ${r.date}`);
  return r.reason;
};

describe("parseBirthDate: western dates", () => {
  it.each([
    ["1960-01-01", "1960-01-01"],
    ["1960/1/1", "1960-01-01"],
    ["1960.1.1", "1960-01-01"],
    ["19600101", "1960-01-01"],
    ["1960年1月1日", "1960-01-01"],
    ["１９６０／０１／０１", "1960-01-01"], // full-width
    ["1960－01－01", "1960-01-01"],
    [" 1960/1/1 0:00 ", "1960-01-01"], // spreadsheet export with midnight
    ["1960/01/01 00:00:00", "1960-01-01"],
    ["2000-02-29", "2000-02-29"],
  ])("%s → %s", (input, expected) => expect(ok(input)).toBe(expected));

  it("refuses impossible days and months", () => {
    expect(reason("1960-02-30")).toBe("2月30日は存在しない日付です。");
    expect(reason("1961/2/29")).toBe("2月29日は存在しない日付です。");
    expect(reason("1900-02-29")).toBe("2月29日は存在しない日付です。"); // not a leap year
    expect(reason("19601301")).toBe("13月という月はありません。");
    expect(reason("1960-04-31")).toBe("4月31日は存在しない日付です。");
  });

  it("refuses what is not a date, and an empty cell", () => {
    expect(reason("")).toBe("生年月日が入力されていません。");
    expect(reason("   ")).toBe("生年月日が入力されていません。");
    for (const s of ["60/1/1", "1960-1", "abc", "1960/1/1 9:30", "196001011"])
      expect(reason(s)).toMatch(/^生年月日の形式を読み取れません/);
  });
});

describe("parseBirthDate: Japanese eras", () => {
  it.each([
    ["昭和35年1月1日", "1960-01-01"],
    ["S35.1.1", "1960-01-01"],
    ["s35/01/01", "1960-01-01"],
    ["S35-1-1", "1960-01-01"],
    ["昭35.1.1", "1960-01-01"],
    ["Ｓ３５．１．１", "1960-01-01"],
    ["㍼35年1月1日", "1960-01-01"], // square era sign
    ["昭和 35年 1月 1日", "1960-01-01"],
    ["H1.1.8", "1989-01-08"],
    ["平成元年1月8日", "1989-01-08"],
    ["R1.5.1", "2019-05-01"],
    ["令和元年5月1日", "2019-05-01"],
    ["令和2年2月29日", "2020-02-29"],
    ["T1.7.30", "1912-07-30"],
    ["明治45年7月29日", "1912-07-29"],
    ["M33.1.1", "1900-01-01"],
    ["3350101", "1960-01-01"], // era code: 3 = 昭和
    ["4010108", "1989-01-08"],
    ["5010501", "2019-05-01"],
  ])("%s → %s", (input, expected) => expect(ok(input)).toBe(expected));

  it("accepts each era's first and last day and refuses the days around them", () => {
    expect(ok("大正15年12月24日")).toBe("1926-12-24");
    expect(reason("大正15年12月25日")).toBe("大正15年12月25日は大正の期間外です（大正は1926年12月24日まで）。");
    expect(ok("昭和元年12月25日")).toBe("1926-12-25");
    expect(reason("昭和元年12月24日")).toBe("昭和元年12月24日は昭和の期間外です（昭和は1926年12月25日から）。");
    expect(ok("昭和64年1月7日")).toBe("1989-01-07");
    expect(reason("昭和64年1月8日")).toBe("昭和64年1月8日は昭和の期間外です（昭和は1989年1月7日まで）。");
    expect(reason("平成元年1月7日")).toBe("平成元年1月7日は平成の期間外です（平成は1989年1月8日から）。");
    expect(ok("平成31年4月30日")).toBe("2019-04-30");
    expect(reason("H31.5.1")).toMatch(/平成の期間外/);
    expect(reason("R1.4.30")).toMatch(/令和の期間外/);
    expect(reason("大正元年7月29日")).toMatch(/大正の期間外/);
    expect(reason("昭和65年1月1日")).toMatch(/昭和の期間外/);
  });

  it("refuses impossible era dates and a year without month and day", () => {
    expect(reason("昭和35年2月30日")).toBe("2月30日は存在しない日付です。");
    expect(reason("H3.2.29")).toBe("2月29日は存在しない日付です。"); // 1991
    expect(reason("昭和0年1月1日")).toBe("昭和0年という年はありません。");
    expect(reason("令和元年")).toBe("生年月日に月と日がありません。");
    expect(reason("昭和35年")).toBe("生年月日に月と日がありません。");
    expect(reason("X35.1.1")).toMatch(/^生年月日の形式を読み取れません/);
    expect(reason("6010101")).toMatch(/^生年月日の形式を読み取れません/); // no era 6 yet
  });

  it("agrees with Intl's era formatting on every era boundary", () => {
    for (const era of ERAS.slice(1)) {
      const r = parseBirthDate(era.start);
      expect(r.ok && formatEraYear(r.date)).toBe(`${era.name}元年`);
    }
  });
});

describe("isoDate", () => {
  it("validates the Gregorian calendar, including years below 100", () => {
    expect(isoDate(2024, 2, 29)).toBe("2024-02-29");
    expect(isoDate(2023, 2, 29)).toBeNull();
    expect(isoDate(50, 1, 1)).toBe("0050-01-01");
    expect(isoDate(1960, 0, 1)).toBeNull();
  });
});
