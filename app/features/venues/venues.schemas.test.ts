import { describe, expect, it } from "vitest";
import { venueFormValues, venueSchema } from "./venues.schemas";

const base = { name: "市民会館", address: "本町1-1", accessNotes: "", barrierFreeNotes: "", active: "on" };
const errorsOf = (input: Record<string, string | undefined>) => {
  const r = venueSchema.safeParse(input);
  return Object.fromEntries((r.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
};

describe("venueSchema", () => {
  it("accepts a venue without coordinates, and full-width coordinates", () => {
    expect(venueSchema.parse(base)).toMatchObject({ lat: null, lng: null, active: true });
    expect(venueSchema.parse({ ...base, lat: "３４．２７３５", lng: "135.4012" })).toMatchObject({
      lat: 34.2735,
      lng: 135.4012,
    });
  });
  it("refuses swapped or half-entered coordinates", () => {
    expect(errorsOf({ ...base, lat: "135.4", lng: "34.27" })).toEqual({
      lat: "緯度は20〜46の数値で入力してください（日本国内、例: 34.2735）。",
      lng: "経度は122〜154の数値で入力してください（日本国内、例: 135.4012）。",
    });
    expect(errorsOf({ ...base, lat: "34.27" })).toEqual({ lng: "緯度を入れる場合は経度も入力してください。" });
    expect(errorsOf({ ...base, lat: "abc", lng: "135" })).toHaveProperty("lat");
  });
  it("requires a name and an address", () => {
    expect(errorsOf({ active: "on" })).toEqual({
      name: "会場名を入力してください。",
      address: "住所を入力してください。",
    });
  });
  it("round-trips through the form values", () => {
    const v = venueSchema.parse({ ...base, lat: "34.27", lng: "135.4", active: undefined });
    expect(venueSchema.parse(venueFormValues(v))).toEqual(v);
  });
});
