import { describe, expect, it } from "vitest";
import type { GarbageDataset } from "./dataset";
import { parseRule, ruleMatches } from "./rules";
import { collectionsOn, monthCalendar, nextDates, type ScheduleData } from "./schedule";

const rule = (cell: string) => {
  const r = parseRule(cell);
  if (!r.ok) throw new Error(r.error);
  return r.rule;
};

describe("parseRule (5374 area_days cells)", () => {
  it("reads weekly, nth-weekday, dated, month-limited and remark tokens", () => {
    expect(rule("月 木").tokens).toEqual([
      { kind: "weekly", weekday: 1 },
      { kind: "weekly", weekday: 4 },
    ]);
    expect(rule("水2 水4").tokens).toEqual([
      { kind: "nth", weekday: 3, nth: 2 },
      { kind: "nth", weekday: 3, nth: 4 },
    ]);
    expect(rule("金4:4 6 8")).toEqual({
      tokens: [{ kind: "nth", weekday: 5, nth: 4 }],
      months: [4, 6, 8],
      remarks: [],
    });
    expect(rule("20270105").tokens).toEqual([{ kind: "date", date: "2027-01-05" }]);
    expect(rule("月 *1").remarks).toEqual(["1"]);
    // Full-width space and digits (Excel users type them) and 「2土」 order.
    expect(rule("火　水２").tokens).toEqual([
      { kind: "weekly", weekday: 2 },
      { kind: "nth", weekday: 3, nth: 2 },
    ]);
    expect(rule("2土").tokens).toEqual([{ kind: "nth", weekday: 6, nth: 2 }]);
    expect(rule("").tokens).toEqual([]);
  });

  it("refuses unknown weekday codes, impossible dates and bad month lists", () => {
    for (const bad of ["管路", "月曜", "水6", "X2", "20270230", "19990101", "金4:13", "金4:", ":4 5", "2027-01-05"])
      expect(parseRule(bad).ok, bad).toBe(false);
  });
});

describe("ruleMatches", () => {
  it("nth weekday counts weeks from the 1st; the 5th exists only in some months", () => {
    // December 2026: Wednesdays 2, 9, 16, 23, 30.
    const r = rule("水2 水4");
    expect(["2026-12-09", "2026-12-23"].every((d) => ruleMatches(r, d))).toBe(true);
    expect(["2026-12-02", "2026-12-16", "2026-12-30"].some((d) => ruleMatches(r, d))).toBe(false);
    const fifth = rule("水5");
    expect(ruleMatches(fifth, "2026-12-30")).toBe(true);
    // February 2027 has four Wednesdays (3, 10, 17, 24): no 5th-Wednesday collection at all.
    const feb = Array.from({ length: 28 }, (_, i) => `2027-02-${String(i + 1).padStart(2, "0")}`);
    expect(feb.filter((d) => ruleMatches(fifth, d))).toEqual([]);
  });

  it("month-limited rules collect only in the listed months; dated tokens ignore the limit", () => {
    const r = rule("金4 20270305:4 6 8");
    expect(ruleMatches(r, "2027-04-23")).toBe(true); // 4th Friday of April 2027
    expect(ruleMatches(r, "2027-05-28")).toBe(false); // 4th Friday of May: not listed
    expect(ruleMatches(r, "2027-03-05")).toBe(true);
  });
});

const data = (over: Partial<GarbageDataset> = {}, exceptions: ScheduleData["exceptions"] = []): ScheduleData => ({
  dataset: {
    categories: [
      { label: "燃やすごみ", sublabel: "", description: "", color: "#ea3b13", skipHolidays: false },
      { label: "燃やさないごみ", sublabel: "", description: "", color: null, skipHolidays: true },
      { label: "資源", sublabel: "", description: "", color: null, skipHolidays: false },
    ],
    areas: [
      { name: "北地区", center: "東部センター", rules: { 燃やすごみ: "月 金", 燃やさないごみ: "月2", 資源: "水2 *1" } },
    ],
    centers: [{ name: "東部センター", from: "2026-12-29", to: "2027-01-03" }],
    remarks: { "1": "年末は休みです" },
    items: [],
    ...over,
  },
  exceptions,
});

describe("schedule with exceptions", () => {
  it("the center's year-end closure moves the next date past it", () => {
    const d = data();
    const area = d.dataset.areas[0]!;
    // Mon 2026-12-28 is collected; Fri 1/1 and the 12/29–1/3 closure are not; next is Mon 1/4.
    expect(collectionsOn(d, area, "2026-12-28").map((c) => c.label)).toEqual(["燃やすごみ"]);
    const next = nextDates(d, area, "2026-12-29");
    expect(next.find((n) => n.category.label === "燃やすごみ")?.date).toBe("2027-01-04");
    expect(next.find((n) => n.category.label === "資源")?.remarks).toEqual(["年末は休みです"]);
  });

  it("a category marked 祝日は収集しない skips national holidays; others still collect", () => {
    const d = data();
    const area = d.dataset.areas[0]!;
    // Mon 2027-01-11 is 成人の日 and the 2nd Monday.
    const day = monthCalendar(d, area, "2027-01").find((x) => x.date === "2027-01-11")!;
    expect(day.holiday).toBe("成人の日");
    expect(day.categories.map((c) => c.label)).toEqual(["燃やすごみ"]);
    expect(day.cancelled).toEqual([{ category: d.dataset.categories[1], why: "holiday" }]);
  });

  it("staff exceptions cancel one category or all of them on a date", () => {
    const d = data({}, [
      { date: "2026-12-11", category: null, note: "臨時休止" },
      { date: "2026-12-14", category: "燃やさないごみ", note: "" },
    ]);
    const area = d.dataset.areas[0]!;
    expect(collectionsOn(d, area, "2026-12-11")).toEqual([]);
    expect(collectionsOn(d, area, "2026-12-14").map((c) => c.label)).toEqual(["燃やすごみ"]);
    // 12/14 is excepted, 1/11 is a holiday for this category: the next 2nd Monday is 2/8.
    expect(nextDates(d, area, "2026-12-08").find((n) => n.category.label === "燃やさないごみ")?.date).toBe(
      "2027-02-08",
    );
  });

  it("a month calendar lists every day of the month", () => {
    const d = data();
    const days = monthCalendar(d, d.dataset.areas[0]!, "2027-02");
    expect(days).toHaveLength(28);
    expect(days[0]).toMatchObject({ date: "2027-02-01", weekday: 1 });
  });
});
