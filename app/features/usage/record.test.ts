import { describe, expect, it } from "vitest";
import { usageMonth } from "./record.server";

describe("usageMonth", () => {
  it("bills by the Japan-time calendar month, not UTC", () => {
    // 2026-11-30 15:00 UTC is already 12/1 00:00 in Japan.
    expect(usageMonth(new Date("2026-11-30T14:59:59Z"))).toBe("2026-11-01");
    expect(usageMonth(new Date("2026-11-30T15:00:00Z"))).toBe("2026-12-01");
    expect(usageMonth(new Date("2026-12-31T15:00:00Z"))).toBe("2027-01-01");
  });
});
