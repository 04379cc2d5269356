import { describe, expect, it } from "vitest";
import { describeRule, isValidRule, nextRunAfter } from "./recurrence";

// Instants written in Japan time, to read the expectations as a city's staff would.
const jst = (s: string) => new Date(`${s}+09:00`);

describe("nextRunAfter (Asia/Tokyo)", () => {
  it("weekly: the next matching weekday at the time, strictly after the given instant", () => {
    const rule = { freq: "weekly" as const, weekdays: [1, 4], time: "08:00" }; // Mon, Thu
    // 2026-11-23 is a Monday.
    expect(nextRunAfter(rule, jst("2026-11-23T07:59:00"))).toEqual(jst("2026-11-23T08:00:00"));
    expect(nextRunAfter(rule, jst("2026-11-23T08:00:00"))).toEqual(jst("2026-11-26T08:00:00"));
    expect(nextRunAfter(rule, jst("2026-11-27T12:00:00"))).toEqual(jst("2026-11-30T08:00:00"));
  });

  it("uses Japan's calendar day, not UTC's: 00:30 on Tuesday in Tokyo is still Monday in UTC", () => {
    const rule = { freq: "weekly" as const, weekdays: [2], time: "06:00" };
    // 2026-11-24 00:30 JST = 2026-11-23 15:30 UTC (a Monday in UTC).
    expect(nextRunAfter(rule, jst("2026-11-24T00:30:00"))).toEqual(jst("2026-11-24T06:00:00"));
  });

  it("monthly by day, falling on the last day of shorter months", () => {
    const rule = { freq: "monthly-day" as const, day: 31, time: "09:30" };
    expect(nextRunAfter(rule, jst("2026-11-01T00:00:00"))).toEqual(jst("2026-11-30T09:30:00"));
    expect(nextRunAfter(rule, jst("2026-11-30T09:30:00"))).toEqual(jst("2026-12-31T09:30:00"));
    expect(nextRunAfter(rule, jst("2027-02-01T00:00:00"))).toEqual(jst("2027-02-28T09:30:00"));
    expect(nextRunAfter({ freq: "monthly-day", day: 15, time: "10:00" }, jst("2026-12-15T10:00:01"))).toEqual(
      jst("2027-01-15T10:00:00"),
    );
  });

  it("monthly Nth weekday: the 1st and 3rd Wednesday (a typical garbage day)", () => {
    const rule = { freq: "monthly-nth" as const, weeks: [1, 3], weekday: 3, time: "07:00" };
    // December 2026: Wednesdays are 2, 9, 16, 23, 30.
    expect(nextRunAfter(rule, jst("2026-12-01T00:00:00"))).toEqual(jst("2026-12-02T07:00:00"));
    expect(nextRunAfter(rule, jst("2026-12-02T07:00:00"))).toEqual(jst("2026-12-16T07:00:00"));
    // January 2027: Wednesdays 6, 13, 20, 27.
    expect(nextRunAfter(rule, jst("2026-12-16T07:00:00"))).toEqual(jst("2027-01-06T07:00:00"));
  });

  it("monthly last weekday, and a 5th weekday that skips months without one", () => {
    const last = { freq: "monthly-nth" as const, weeks: [-1], weekday: 5, time: "12:00" }; // last Friday
    expect(nextRunAfter(last, jst("2026-11-01T00:00:00"))).toEqual(jst("2026-11-27T12:00:00"));
    const fifth = { freq: "monthly-nth" as const, weeks: [5], weekday: 0, time: "12:00" }; // 5th Sunday
    // November 2026 has Sundays 1, 8, 15, 22, 29 — the 29th is the 5th; December has only four (6…27).
    expect(nextRunAfter(fifth, jst("2026-11-01T00:00:00"))).toEqual(jst("2026-11-29T12:00:00"));
    expect(nextRunAfter(fifth, jst("2026-11-29T12:00:00"))).toEqual(jst("2027-01-31T12:00:00"));
  });

  it("crosses the year end", () => {
    expect(nextRunAfter({ freq: "weekly", weekdays: [5], time: "23:59" }, jst("2026-12-31T23:59:00"))).toEqual(
      jst("2027-01-01T23:59:00"),
    );
  });

  it("rejects invalid rules instead of looping", () => {
    expect(nextRunAfter({ freq: "weekly", weekdays: [], time: "08:00" }, new Date())).toBeNull();
    expect(nextRunAfter({ freq: "weekly", weekdays: [1], time: "24:00" }, new Date())).toBeNull();
    expect(isValidRule({ freq: "monthly-day", day: 32, time: "08:00" })).toBe(false);
    expect(isValidRule({ freq: "monthly-nth", weeks: [0], weekday: 1, time: "08:00" })).toBe(false);
  });

  it("describes rules in Japanese", () => {
    expect(describeRule({ freq: "weekly", weekdays: [4, 1], time: "08:00" })).toBe("毎週 月・木曜 8:00");
    expect(describeRule({ freq: "monthly-day", day: 15, time: "09:30" })).toBe("毎月 15日 9:30");
    expect(describeRule({ freq: "monthly-nth", weeks: [-1, 1], weekday: 3, time: "07:05" })).toBe(
      "毎月 第1・最終 水曜 7:05",
    );
  });
});
