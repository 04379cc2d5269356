import { describe, expect, it } from "vitest";
import { isCalendarDate, tokyoDateOf, tokyoDayRange } from "./tokyo-day";

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
});
