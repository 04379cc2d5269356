import { describe, expect, it } from "vitest";
import { z } from "zod";
import { birthDateFields, birthDateOf, parseBirthYear } from "./birth-year";

const schema = z.object(birthDateFields).transform((v, ctx) => birthDateOf(v, ctx) ?? z.NEVER);

describe("parseBirthYear", () => {
  it("reads an era button plus the era year", () => {
    expect(parseBirthYear("showa", "25")).toEqual({ year: 1950, era: "showa" });
    expect(parseBirthYear("heisei", "元")).toEqual({ year: 1989, era: "heisei" });
    expect(parseBirthYear("taisho", "１４")).toEqual({ year: 1925, era: "taisho" });
  });

  it("reads the era typed in any common spelling, whatever button is pressed", () => {
    for (const typed of ["昭和35", "昭和35年", "昭和 35", "S35", "s35", "S.35", "昭35", "ｓ３５"])
      expect(parseBirthYear("heisei", typed)).toEqual({ year: 1960, era: "showa" });
    expect(parseBirthYear(undefined, "H2")).toEqual({ year: 1990, era: "heisei" });
    expect(parseBirthYear(undefined, "令和元年")).toEqual({ year: 2019, era: "reiwa" });
  });

  it("takes four digits as a western year", () => {
    expect(parseBirthYear(undefined, "1950")).toEqual({ year: 1950, era: null });
    expect(parseBirthYear("showa", "１９５０年")).toEqual({ year: 1950, era: null });
    expect(parseBirthYear("western", "1960")).toEqual({ year: 1960, era: null });
  });

  it("asks for an era when two digits come without one, and refuses what it cannot read", () => {
    expect(parseBirthYear(undefined, "35")).toEqual({ error: expect.stringContaining("元号") });
    expect(parseBirthYear("western", "35")).toEqual({ error: expect.stringContaining("西暦を4桁") });
    expect(parseBirthYear("showa", "")).toEqual({ error: expect.stringContaining("入力してください") });
    expect(parseBirthYear("showa", "abc")).toHaveProperty("error");
    expect(parseBirthYear("showa", "0")).toHaveProperty("error");
    expect(parseBirthYear(undefined, "昭和1960")).toHaveProperty("error");
  });
});

describe("birthDateOf", () => {
  it("builds the date and checks it lies in the named era (ICU decides the boundary)", () => {
    const ok = schema.safeParse({ birthEra: "showa", birthYear: "64", birthMonth: "1", birthDay: "7" });
    expect(ok.success && ok.data).toBe("1989-01-07");
    const after = schema.safeParse({ birthEra: "showa", birthYear: "64", birthMonth: "1", birthDay: "8" });
    expect(after.success).toBe(false);
    expect(after.error?.issues[0]).toMatchObject({ path: ["birthYear"], message: expect.stringContaining("元号") });
    expect(schema.safeParse({ birthEra: "showa", birthYear: "70", birthMonth: "5", birthDay: "1" }).success).toBe(
      false,
    );
  });

  it("refuses a day that does not exist, on the day field", () => {
    const r = schema.safeParse({ birthYear: "S35", birthMonth: "2", birthDay: "30" });
    expect(r.error?.issues[0]?.path).toEqual(["birthDay"]);
  });
});
