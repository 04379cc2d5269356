import { describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  isCalendarDate,
  tokyoDateOf,
  tokyoInstant,
  tokyoTimeOf,
  weekdayOf,
} from "~/lib/japan-time";
import { firstOverlappingRange } from "./calendar";
import { closedDayName, expandPattern, holidayName, type SlotPattern } from "./pattern";

const base: SlotPattern = {
  dateFrom: "2026-11-16",
  dateTo: "2026-11-29",
  weekdays: [1, 2, 3, 4, 5],
  ranges: [
    { start: "09:00", end: "12:00" },
    { start: "13:00", end: "16:00" },
  ],
  intervalMinutes: 30,
  skipHolidays: true,
};

describe("Japan-time helpers", () => {
  it("reads wall clock times as Japan time, whatever the server's zone", () => {
    expect(tokyoInstant("2026-11-16", "09:00").toISOString()).toBe("2026-11-16T00:00:00.000Z");
    expect(tokyoInstant("2026-11-16", "08:59").toISOString()).toBe("2026-11-15T23:59:00.000Z");
    expect(tokyoDateOf(new Date("2026-11-15T15:00:00Z"))).toBe("2026-11-16");
    expect(tokyoDateOf(new Date("2026-11-15T14:59:59Z"))).toBe("2026-11-15");
    expect(tokyoTimeOf(new Date("2026-11-16T04:30:00Z"))).toBe("13:30");
  });

  it("does calendar arithmetic on date strings", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(daysBetween("2026-11-16", "2026-11-29")).toBe(13);
    expect(weekdayOf("2026-11-23")).toBe(1); // Monday
    expect(isCalendarDate("2026-02-29")).toBe(false);
    expect(isCalendarDate("2028-02-29")).toBe(true);
    expect(isCalendarDate("2026-1-5")).toBe(false);
  });

  it("counts the year-end break (12/29–1/3) as closed days, naming 元日 as the holiday it is", () => {
    expect(closedDayName("2026-12-28")).toBeNull();
    expect(closedDayName("2026-12-29")).toBe("年末年始（閉庁日）");
    expect(closedDayName("2026-12-31")).toBe("年末年始（閉庁日）");
    expect(closedDayName("2027-01-01")).toBe("元日");
    expect(closedDayName("2027-01-03")).toBe("年末年始（閉庁日）");
    expect(closedDayName("2027-01-04")).toBeNull();
    const { slots, skippedHolidays } = expandPattern({
      dateFrom: "2026-12-28",
      dateTo: "2027-01-05",
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      ranges: [{ start: "09:00", end: "10:00" }],
      intervalMinutes: 60,
      skipHolidays: true,
    });
    expect(slots.map((s) => s.date)).toEqual(["2026-12-28", "2027-01-04", "2027-01-05"]);
    expect(skippedHolidays).toHaveLength(6);
  });

  it("knows Japanese public holidays, including substitute holidays", () => {
    expect(holidayName("2026-11-23")).toBe("勤労感謝の日");
    expect(holidayName("2026-11-24")).toBeNull();
    expect(holidayName("2027-01-01")).toBe("元日");
    expect(holidayName("2026-05-06")).toContain("振替休日"); // 憲法記念日 on a Sunday
  });

  it("finds overlapping opening hours but lets ranges touch", () => {
    expect(firstOverlappingRange(base.ranges)).toBe(-1);
    expect(
      firstOverlappingRange([
        { start: "09:00", end: "12:00" },
        { start: "12:00", end: "13:00" },
      ]),
    ).toBe(-1);
    expect(
      firstOverlappingRange([
        { start: "09:00", end: "12:00" },
        { start: "11:30", end: "13:00" },
      ]),
    ).toBe(1);
    expect(
      firstOverlappingRange([
        { start: "13:00", end: "16:00" },
        { start: "08:00", end: "17:00" },
      ]),
    ).toBe(1);
  });
});

describe("expandPattern", () => {
  it("makes slots on the chosen weekdays within the opening hours, and skips holidays", () => {
    const { slots, skippedHolidays } = expandPattern(base);
    // 10 weekdays, minus 勤労感謝の日 (Mon 23 Nov), 12 slots each.
    expect(skippedHolidays).toEqual([{ date: "2026-11-23", name: "勤労感謝の日" }]);
    expect(slots).toHaveLength(9 * 12);
    expect(slots.some((s) => s.date === "2026-11-23")).toBe(false);
    expect(slots.some((s) => weekdayOf(s.date) === 0 || weekdayOf(s.date) === 6)).toBe(false);
    const first = slots[0]!;
    expect(first.startsAt.toISOString()).toBe("2026-11-16T00:00:00.000Z");
    expect(first.endsAt.toISOString()).toBe("2026-11-16T00:30:00.000Z");
    const day = slots.filter((s) => s.date === "2026-11-16").map((s) => tokyoTimeOf(s.startsAt));
    expect(day).toEqual([
      "09:00",
      "09:30",
      "10:00",
      "10:30",
      "11:00",
      "11:30",
      "13:00",
      "13:30",
      "14:00",
      "14:30",
      "15:00",
      "15:30",
    ]);
  });

  it("keeps holidays when asked to", () => {
    const { slots, skippedHolidays } = expandPattern({ ...base, skipHolidays: false });
    expect(skippedHolidays).toEqual([]);
    expect(slots).toHaveLength(10 * 12);
  });

  it("never lets a slot run past the closing time", () => {
    const { slots } = expandPattern({
      ...base,
      dateTo: base.dateFrom,
      ranges: [{ start: "09:00", end: "10:00" }],
      intervalMinutes: 25,
    });
    expect(slots.map((s) => `${tokyoTimeOf(s.startsAt)}-${tokyoTimeOf(s.endsAt)}`)).toEqual([
      "09:00-09:25",
      "09:25-09:50",
    ]);
  });

  it("sorts ranges entered out of order", () => {
    const { slots } = expandPattern({ ...base, dateTo: base.dateFrom, ranges: [...base.ranges].reverse() });
    const starts = slots.map((s) => s.startsAt.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it("gives nothing when no weekday is in the range", () => {
    expect(expandPattern({ ...base, dateFrom: "2026-11-21", dateTo: "2026-11-22" }).slots).toEqual([]);
  });
});
