import { describe, expect, it } from "vitest";
import { isoToJstLocal, jstLocalToIso, serviceFormValues, serviceSchema } from "./services.schemas";

const valid = {
  name: " 新型コロナワクチン接種 ",
  description: "",
  doses: "２",
  minIntervalDays: "21",
  ageReferenceDate: "2027-03-31",
  bookingWindowDays: "30",
  changeCutoffHours: "24",
  whatToBring: "接種券",
  active: "on",
};

describe("Japan-time phase openings", () => {
  it("stores what staff type as Japan time with an explicit +09:00", () => {
    expect(jstLocalToIso("2026-05-01T09:00")).toBe("2026-05-01T09:00:00+09:00");
    expect(jstLocalToIso("2026-05-01 09:00")).toBe("2026-05-01T09:00:00+09:00");
    expect(new Date(jstLocalToIso("2026-05-01T09:00")!).toISOString()).toBe("2026-05-01T00:00:00.000Z");
    expect(jstLocalToIso("2026-02-30T09:00")).toBeNull();
    expect(jstLocalToIso("2026-05-01")).toBeNull();
  });
  it("shows a stored instant back in Japan time, whatever offset it was stored with", () => {
    expect(isoToJstLocal("2026-05-01T09:00:00+09:00")).toBe("2026-05-01T09:00");
    expect(isoToJstLocal("2026-04-30T15:00:00Z")).toBe("2026-05-01T00:00");
  });
});

describe("serviceSchema", () => {
  it("parses a service with phases in opening order and ignores empty rows", () => {
    const r = serviceSchema.safeParse({ ...valid, phaseMinAge0: "0", phaseOpensAt0: "2026-06-01T09:00", phaseMinAge2: "65", phaseOpensAt2: "2026-05-01T09:00" });
    expect(r.success && r.data).toEqual({
      name: "新型コロナワクチン接種",
      description: "",
      doses: 2,
      minIntervalDays: 21,
      ageReferenceDate: "2027-03-31",
      bookingWindowDays: 30,
      changeCutoffHours: 24,
      whatToBring: "接種券",
      active: true,
      phases: [
        { minAge: 65, opensAt: "2026-05-01T09:00:00+09:00" },
        { minAge: 0, opensAt: "2026-06-01T09:00:00+09:00" },
      ],
    });
  });

  it("reports phase problems together with other fields' problems, each on its own field", () => {
    const r = serviceSchema.safeParse({ ...valid, name: "", doses: "11", active: undefined, phaseMinAge0: "65", phaseOpensAt1: "2026-06-01T09:00", phaseMinAge2: "65", phaseOpensAt2: "2026-06-31T09:00" });
    expect(r.success).toBe(false);
    const errors = Object.fromEntries((r.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
    expect(errors).toEqual({
      name: "サービス名を入力してください。",
      doses: "接種回数は1〜10回の整数で入力してください。",
      phaseOpensAt0: "受付開始日時を入力してください。",
      phaseMinAge1: "年齢を入力してください（全員が対象なら 0）。",
      phaseMinAge2: "同じ年齢の段階がほかの行にあります。",
      phaseOpensAt2: "受付開始日時は「2026-05-01 09:00」の形で入力してください。",
    });
  });

  it("round-trips a stored service through the form values", () => {
    const parsed = serviceSchema.parse({ ...valid, phaseMinAge0: "65", phaseOpensAt0: "2026-05-01T09:00" });
    const again = serviceSchema.parse(serviceFormValues(parsed));
    expect(again).toEqual(parsed);
    expect(serviceSchema.parse({ ...serviceFormValues(parsed), active: undefined }).active).toBe(false);
  });
});
