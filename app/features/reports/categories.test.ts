import { describe, expect, it } from "vitest";
import { cityCategories, distanceMetres, EMERGENCY_CATEGORY, insideBounds, newReportNumber } from "./categories";

describe("report categories and places", () => {
  it("puts the emergency category first in every city's list", () => {
    expect(cityCategories(null)[0]).toBe(EMERGENCY_CATEGORY);
    expect(cityCategories(["側溝"])).toEqual([EMERGENCY_CATEGORY, "側溝"]);
  });
  it("measures about 50 m and checks the city's box", () => {
    const a = { latitude: 34.2, longitude: 135.2 };
    const d = distanceMetres(a, { latitude: 34.20045, longitude: 135.2 });
    expect(d).toBeGreaterThan(45);
    expect(d).toBeLessThan(55);
    const box = { south: 34.1, west: 135.1, north: 34.3, east: 135.3 };
    expect(insideBounds(a, box)).toBe(true);
    expect(insideBounds({ latitude: 35.68, longitude: 139.76 }, box)).toBe(false);
    expect(insideBounds({ latitude: 0, longitude: 0 }, null)).toBe(false);
  });
  it("makes readable 受付番号", () => {
    expect(newReportNumber(() => new Uint8Array([0, 1, 2, 3, 4, 5, 30]))).toBe("R-234567Z");
  });
});
