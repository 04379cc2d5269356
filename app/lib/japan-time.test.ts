import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  formatTokyo,
  isCalendarDate,
  parseTokyoLocal,
  tokyoDateOf,
  tokyoDayRange,
  tokyoInstant,
  tokyoMidnight,
  tokyoMonthOf,
  tokyoTimeOf,
  tokyoYearOf,
  toTokyoIso,
  toTokyoLocal,
  weekdayOf,
  formatBirthDateWithEra,
  formatDateJa,
  formatDateTimeJa,
  formatEraYear,
  formatTimeJa,
  toInstant,
  yearOptionsWithEra,
} from "./japan-time";

// Run under a zone far from Japan so a formatter that silently used the process zone would fail.
const originalTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = "America/Los_Angeles";
});
afterAll(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe("formatDateJa / formatDateTimeJa / formatTimeJa", () => {
  it("formats a day with its weekday", () => {
    expect(formatDateJa(new Date("2026-11-21T05:30:00Z"))).toBe("2026年11月21日(土)");
    expect(formatDateJa("2026-11-21")).toBe("2026年11月21日(土)");
  });

  it("formats date and time in Asia/Tokyo", () => {
    expect(formatDateTimeJa(new Date("2026-11-21T05:30:00Z"))).toBe("2026年11月21日(土) 14:30");
  });

  it("moves a UTC instant just before midnight UTC to the next day in Tokyo", () => {
    // 15:00 UTC is midnight in Tokyo: Saturday in UTC (and in Los Angeles), Sunday in Japan.
    const instant = new Date("2026-11-21T15:30:00Z");
    expect(instant.getDate()).toBe(21); // the process zone still says Saturday
    expect(formatDateJa(instant)).toBe("2026年11月22日(日)");
    expect(formatDateTimeJa(instant)).toBe("2026年11月22日(日) 0:30");
  });

  it("keeps the Tokyo day one second before Tokyo midnight", () => {
    expect(formatDateTimeJa("2026-11-21T14:59:59Z")).toBe("2026年11月21日(土) 23:59");
    expect(formatDateTimeJa("2026-11-21T15:00:00Z")).toBe("2026年11月22日(日) 0:00");
  });

  it("accepts epoch milliseconds and offset strings", () => {
    expect(formatDateTimeJa(Date.UTC(2026, 10, 21, 5, 30))).toBe("2026年11月21日(土) 14:30");
    expect(formatDateTimeJa("2026-11-21T14:30:00+09:00")).toBe("2026年11月21日(土) 14:30");
  });

  it("does not pad the hour but pads minutes", () => {
    expect(formatTimeJa("2026-11-21T00:05:00Z")).toBe("9:05");
  });

  it("rejects values that are not dates", () => {
    expect(() => formatDateJa("2026-02-30")).toThrow(RangeError);
    expect(() => formatDateJa("not a date")).toThrow(RangeError);
    expect(() => formatDateJa(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe("toInstant", () => {
  it("places a calendar date on that day in Japan", () => {
    expect(toInstant("1960-01-01").toISOString()).toBe("1960-01-01T00:00:00.000Z");
  });
});

describe("formatBirthDateWithEra", () => {
  it("writes the Gregorian year with the era year in full-width brackets", () => {
    expect(formatBirthDateWithEra("1960-01-01")).toBe("1960年（昭和35年）1月1日");
    expect(formatBirthDateWithEra(new Date("1960-01-01T00:00:00+09:00"))).toBe("1960年（昭和35年）1月1日");
  });

  it("writes the first year of an era as 元年", () => {
    expect(formatBirthDateWithEra("2019-05-01")).toBe("2019年（令和元年）5月1日");
    expect(formatBirthDateWithEra("2019-04-30")).toBe("2019年（平成31年）4月30日");
    expect(formatBirthDateWithEra("1989-01-08")).toBe("1989年（平成元年）1月8日");
    expect(formatBirthDateWithEra("1926-12-25")).toBe("1926年（昭和元年）12月25日");
  });

  it("keeps dates before 1989-01-08 in 昭和", () => {
    expect(formatBirthDateWithEra("1989-01-07")).toBe("1989年（昭和64年）1月7日");
    expect(formatBirthDateWithEra("1945-08-15")).toBe("1945年（昭和20年）8月15日");
  });

  it("handles 大正 and 明治 for the oldest residents", () => {
    expect(formatBirthDateWithEra("1926-12-24")).toBe("1926年（大正15年）12月24日");
    expect(formatBirthDateWithEra("1912-07-29")).toBe("1912年（明治45年）7月29日");
  });

  it("uses the day in Japan for an instant near the era change", () => {
    // 2019-04-30T15:00Z is 2019-05-01 00:00 in Tokyo: already 令和.
    expect(formatBirthDateWithEra(new Date("2019-04-30T15:00:00Z"))).toBe("2019年（令和元年）5月1日");
    expect(formatBirthDateWithEra(new Date("2019-04-30T14:59:59Z"))).toBe("2019年（平成31年）4月30日");
  });
});

describe("formatEraYear", () => {
  it("gives the era and era year alone", () => {
    expect(formatEraYear("2026-11-21")).toBe("令和8年");
  });
});

describe("yearOptionsWithEra", () => {
  it("labels each year with its era year", () => {
    expect(yearOptionsWithEra(1960, 1962)).toEqual([
      { value: 1960, label: "1960年（昭和35年）" },
      { value: 1961, label: "1961年（昭和36年）" },
      { value: 1962, label: "1962年（昭和37年）" },
    ]);
  });

  it("names both eras in a year when the era changed, earlier first", () => {
    const [y1989] = yearOptionsWithEra(1989, 1989);
    expect(y1989).toEqual({ value: 1989, label: "1989年（昭和64年／平成元年）" });
    expect(yearOptionsWithEra(2019, 2020)).toEqual([
      { value: 2019, label: "2019年（平成31年／令和元年）" },
      { value: 2020, label: "2020年（令和2年）" },
    ]);
  });

  it("counts down when fromYear is after toYear, as a newest-first picker wants", () => {
    expect(yearOptionsWithEra(2026, 2024).map((o) => o.value)).toEqual([2026, 2025, 2024]);
  });

  it("covers a full birth-year range", () => {
    const options = yearOptionsWithEra(1900, 2026);
    expect(options).toHaveLength(127);
    expect(options[0]).toEqual({ value: 1900, label: "1900年（明治33年）" });
    expect(options.at(-1)).toEqual({ value: 2026, label: "2026年（令和8年）" });
  });

  it("rejects non-integer years", () => {
    expect(() => yearOptionsWithEra(1960.5, 1970)).toThrow(RangeError);
  });
});

describe("calendar days in Japan", () => {
  it("accepts only real calendar dates", () => {
    expect(isCalendarDate("2026-12-01")).toBe(true);
    expect(isCalendarDate("2028-02-29")).toBe(true);
    expect(isCalendarDate("2026-02-29")).toBe(false);
    expect(isCalendarDate("2026-13-01")).toBe(false);
    expect(isCalendarDate("2026-1-1")).toBe(false);
    expect(isCalendarDate("")).toBe(false);
  });

  it("a day in Japan starts at 15:00 UTC the evening before", () => {
    const { from, to } = tokyoDayRange("2026-12-01");
    expect(from.toISOString()).toBe("2026-11-30T15:00:00.000Z");
    expect(to.toISOString()).toBe("2026-12-01T15:00:00.000Z");
    expect(() => tokyoDayRange("2026-02-30")).toThrow(RangeError);
  });

  it("gives the Japanese calendar date of an instant, whatever the server's zone", () => {
    expect(tokyoDateOf(new Date("2026-11-30T14:59:59Z"))).toBe("2026-11-30");
    expect(tokyoDateOf(new Date("2026-11-30T15:00:00Z"))).toBe("2026-12-01");
  });

  it("turns the day over at 15:00Z for the date, the month and the year", () => {
    expect(tokyoDateOf(new Date("2026-12-31T14:59:59.999Z"))).toBe("2026-12-31");
    expect(tokyoDateOf(new Date("2026-12-31T15:00:00Z"))).toBe("2027-01-01");
    expect(tokyoMonthOf(new Date("2026-11-30T14:59:59Z"))).toBe("2026-11-01");
    expect(tokyoMonthOf(new Date("2026-11-30T15:00:00Z"))).toBe("2026-12-01");
    expect(tokyoYearOf(new Date("2026-12-31T14:59:59Z"))).toBe(2026);
    expect(tokyoYearOf(new Date("2026-12-31T15:00:00Z"))).toBe(2027);
    expect(tokyoMidnight(new Date("2026-12-01T14:59:59Z")).toISOString()).toBe("2026-11-30T15:00:00.000Z");
    expect(tokyoMidnight(new Date("2026-12-01T15:00:00Z")).toISOString()).toBe("2026-12-01T15:00:00.000Z");
  });

  it("reads wall-clock times as Japan time and returns plain Dates", () => {
    const at = tokyoInstant("2026-11-16", "09:00");
    expect(at.constructor).toBe(Date);
    expect(at.toISOString()).toBe("2026-11-16T00:00:00.000Z");
    expect(tokyoTimeOf(at)).toBe("09:00");
    expect(formatTokyo(at, "yyyy/MM/dd HH:mm:ss")).toBe("2026/11/16 09:00:00");
  });

  it("parses datetime-local input as Japan time and rejects impossible ones", () => {
    expect(parseTokyoLocal("2026-05-01T09:00")?.toISOString()).toBe("2026-05-01T00:00:00.000Z");
    expect(parseTokyoLocal("2026-02-30T09:00")).toBeNull();
    expect(parseTokyoLocal("2026-05-01T24:00")).toBeNull();
    expect(parseTokyoLocal("2026-05-01")).toBeNull();
    expect(toTokyoIso(new Date("2026-04-30T15:00:00Z"))).toBe("2026-05-01T00:00:00+09:00");
    expect(toTokyoLocal(new Date("2026-04-30T15:00:00Z"))).toBe("2026-05-01T00:00");
  });

  it("has no daylight saving: every modern day is 24 hours, with the offset +09:00 all year", () => {
    for (const date of ["2026-03-08", "2026-03-29", "2026-10-25", "2026-11-01", "2027-06-30"]) {
      const { from, to } = tokyoDayRange(date);
      expect(to.getTime() - from.getTime()).toBe(24 * 3600_000);
      expect(toTokyoIso(from)).toBe(`${date}T00:00:00+09:00`);
    }
  });

  it("does calendar arithmetic on dates, across months, leap days and years", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(daysBetween("2026-12-25", "2027-01-05")).toBe(11);
    expect(weekdayOf("2026-11-21")).toBe(6);
  });

  it("dates the era change in Japan time: 平成 begins at 15:00Z on 1989-01-07", () => {
    expect(formatEraYear(new Date("1989-01-07T14:59:59Z"))).toBe("昭和64年");
    expect(formatEraYear(new Date("1989-01-07T15:00:00Z"))).toBe("平成元年");
    expect(formatEraYear(new Date("2019-04-30T15:00:00Z"))).toBe("令和元年");
  });
});
