import { describe, expect, it } from "vitest";
import { formatDateFor, formatDateTimeFor } from "./dates";

// 2026-12-02 09:30 in Japan.
const at = new Date("2026-12-02T00:30:00Z");

describe("dates per language", () => {
  it("writes Japanese with the era, やさしい日本語 with the western year, English in English", () => {
    expect(formatDateTimeFor("ja", at)).toBe("令和8年12月2日(水) 9:30");
    expect(formatDateTimeFor("ja-x-easy", at)).toBe("2026年12月2日(水) 9:30");
    expect(formatDateTimeFor("en", at)).toBe("Wed 2 December 2026, 9:30");
  });

  it("uses the era of that very day and 元年", () => {
    expect(formatDateFor("ja", "2019-05-01")).toBe("令和元年5月1日(水)");
    expect(formatDateFor("ja", "2019-04-30")).toBe("平成31年4月30日(火)");
  });

  it("is Japan time for English too (late evening UTC is the next morning in Japan)", () => {
    expect(formatDateTimeFor("en", new Date("2026-12-01T23:00:00Z"))).toBe("Wed 2 December 2026, 8:00");
  });
});
