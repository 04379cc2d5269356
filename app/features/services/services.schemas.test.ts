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
    const r = serviceSchema.safeParse({
      ...valid,
      phaseMinAge0: "0",
      phaseOpensAt0: "2026-06-01T09:00",
      phaseMinAge2: "65",
      phaseOpensAt2: "2026-05-01T09:00",
    });
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
      // No reminder row chosen: the service sends no reminders.
      reminders: [],
    });
  });

  it("reports phase problems together with other fields' problems, each on its own field", () => {
    const r = serviceSchema.safeParse({
      ...valid,
      name: "",
      doses: "11",
      active: undefined,
      phaseMinAge0: "65",
      phaseOpensAt1: "2026-06-01T09:00",
      phaseMinAge2: "65",
      phaseOpensAt2: "2026-06-31T09:00",
    });
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
    const parsed = serviceSchema.parse({
      ...valid,
      phaseMinAge0: "65",
      phaseOpensAt0: "2026-05-01T09:00",
      reminderKind0: "hours-before",
      reminderHours0: "2",
      reminderKind2: "days-before",
      reminderDays2: "1",
      reminderAt2: "10:00",
    });
    expect(parsed.reminders).toEqual([
      { kind: "days-before", days: 1, at: "10:00" },
      { kind: "hours-before", hours: 2 },
    ]);
    const again = serviceSchema.parse(serviceFormValues(parsed));
    expect(again).toEqual(parsed);
    expect(serviceSchema.parse({ ...serviceFormValues(parsed), active: undefined }).active).toBe(false);
  });
});

describe("reminder rows", () => {
  const errorsOf = (extra: Record<string, string>) => {
    const r = serviceSchema.safeParse({ ...valid, ...extra });
    return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [String(i.path[0]), i.message]));
  };

  it("reads full-width digits and a 9:00 without its leading zero; ignores the numbers of an unused row", () => {
    const r = serviceSchema.parse({
      ...valid,
      reminderKind0: "days-before",
      reminderDays0: "３",
      reminderAt0: "9:00",
      reminderKind1: "",
      reminderHours1: "5",
      reminderKind2: "hours-before",
      reminderHours2: "２４",
    });
    expect(r.reminders).toEqual([
      { kind: "days-before", days: 3, at: "09:00" },
      { kind: "hours-before", hours: 24 },
    ]);
  });

  it("refuses each wrong row on its own field, in Japanese", () => {
    expect(
      errorsOf({
        reminderKind0: "days-before",
        reminderDays0: "",
        reminderAt0: "25:00",
        reminderKind1: "hours-before",
        reminderHours1: "0",
        reminderKind2: "weekly",
      }),
    ).toEqual({
      reminderDays0: "何日前に送るかを入力してください（前日なら 1）。",
      reminderAt0: "送る時刻は「10:00」のように24時間表記で入力してください。",
      reminderHours1: "何時間前かは1〜72の整数で入力してください。",
      reminderKind2: "リマインダーの種類を選択してください。",
    });
    expect(errorsOf({ reminderKind0: "days-before", reminderDays0: "15", reminderAt0: "" })).toEqual({
      reminderDays0: "何日前かは1〜14の整数で入力してください。",
      reminderAt0: "送る時刻を入力してください。",
    });
    expect(errorsOf({ reminderKind0: "hours-before", reminderHours0: "" })).toEqual({
      reminderHours0: "開始の何時間前に送るかを入力してください。",
    });
  });

  it("refuses the same reminder twice", () => {
    expect(
      errorsOf({
        reminderKind0: "hours-before",
        reminderHours0: "2",
        reminderKind1: "hours-before",
        reminderHours1: "２",
      }),
    ).toEqual({ reminderKind1: "同じリマインダーがほかの行にあります。" });
  });
});
