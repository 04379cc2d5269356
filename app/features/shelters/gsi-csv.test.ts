import { describe, expect, it } from "vitest";
import { formatDistance, walkingMinutes } from "./distance";
import { flagOf, readGsiCsv } from "./gsi-csv";

const HEAD =
  "共通ID,施設・場所名,住所,洪水,崖崩れ、土石流及び地滑り,高潮,地震,津波,大規模な火事,内水氾濫,火山現象,指定避難所との住所同一,緯度,経度,備考";

describe("readGsiCsv", () => {
  it("reads the GSI layout: the eight hazards, 指定避難所 from 住所同一, the municipality from the 共通ID", () => {
    const out = readGsiCsv(
      [HEAD, "30208-0001,A小学校,住所,1,,,1,1,,,,1,34.27,135.36,", "30209-0001,隣の市,住所,1,,,,,,,,,34.2,135.3,"].join(
        "\n",
      ),
      "302082",
    );
    expect(out).toMatchObject({
      ok: true,
      otherMunicipality: 1,
      shelters: [
        { gsiId: "30208-0001", hazards: ["flood", "earthquake", "tsunami"], designatedShelter: true, welfare: null },
      ],
    });
  });

  it("names missing headings and refuses an empty or foreign file", () => {
    expect(readGsiCsv("名前,住所\nA,B", "30208")).toMatchObject({ ok: false });
    expect(JSON.stringify(readGsiCsv("名前,住所\nA,B", "30208"))).toContain("共通ID、施設・場所名、緯度、経度");
    expect(readGsiCsv("", "30208")).toMatchObject({ ok: false });
  });

  it("accepts ○ and ◎ as flags, refuses anything else", () => {
    expect([flagOf("1"), flagOf("○"), flagOf("◎"), flagOf(""), flagOf("0"), flagOf("たぶん")]).toEqual([
      true,
      true,
      true,
      false,
      false,
      null,
    ]);
  });
});

describe("distance", () => {
  it("shows metres under 1 km, kilometres above; walking minutes at 80 m/min, rounded up", () => {
    expect(formatDistance(3)).toBe("10 m");
    expect(formatDistance(434)).toBe("430 m");
    expect(formatDistance(1_250)).toBe("1.3 km");
    expect(formatDistance(23_400)).toBe("23 km");
    expect(walkingMinutes(81)).toBe(2);
    expect(walkingMinutes(0)).toBe(1);
  });
});
