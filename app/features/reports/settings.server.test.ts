import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EMERGENCY_CATEGORY } from "./categories";
import { matchOpen311Key, parseBounds, parseCategories } from "./settings.server";

describe("report settings", () => {
  it("reads the city's box in degrees, all four or none, inside Japan, south < north, west < east", () => {
    expect(parseBounds({ south: "", west: "", north: "", east: "" })).toEqual({ ok: true, value: null });
    expect(parseBounds({ south: "３４.２", west: "135.25", north: "34.35", east: "135.5" })).toEqual({
      ok: true,
      value: { south: 34.2, west: 135.25, north: 34.35, east: 135.5 },
    });
    expect(parseBounds({ south: "34.2", west: "", north: "34.35", east: "135.5" })).toMatchObject({ ok: false });
    expect(parseBounds({ south: "34.4", west: "135.25", north: "34.35", east: "135.5" })).toMatchObject({ ok: false });
    expect(parseBounds({ south: "0", west: "0", north: "1", east: "1" })).toMatchObject({ ok: false });
  });

  it("takes one category a line, without duplicates or the emergency one, at most 12 of 20 characters", () => {
    expect(parseCategories(" 側溝 \n\n側溝\nカーブミラー\n" + EMERGENCY_CATEGORY)).toEqual({
      ok: true,
      value: ["側溝", "カーブミラー"],
    });
    expect(parseCategories("")).toEqual({ ok: true, value: null });
    expect(parseCategories(Array.from({ length: 13 }, (_, i) => `種類${i}`).join("\n"))).toMatchObject({ ok: false });
    expect(parseCategories("あ".repeat(21))).toMatchObject({ ok: false });
  });

  it("matches an Open311 key by its hash only", () => {
    const keys = [{ name: "道路", hash: createHash("sha256").update("o311_secret").digest("hex"), createdAt: "" }];
    expect(matchOpen311Key(keys, "o311_secret")).toBe("道路");
    expect(matchOpen311Key(keys, "o311_other")).toBeNull();
    expect(matchOpen311Key(keys, null)).toBeNull();
    expect(matchOpen311Key([], "o311_secret")).toBeNull();
  });
});
