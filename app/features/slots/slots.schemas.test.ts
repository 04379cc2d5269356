import { describe, expect, it } from "vitest";
import { generateSchema } from "./slots.schemas";

const form = {
  venueId: "0b9b6f39-3a52-4f2e-9a53-6d2b1d7c9e10",
  serviceId: "1c9b6f39-3a52-4f2e-9a53-6d2b1d7c9e10",
  dateFrom: "2026-12-01",
  dateTo: "2026-12-14",
  wd1: "on",
  wd3: "on",
  range0Start: "13:00",
  range0End: "16:00",
  range1Start: "09:00",
  range1End: "12:00",
  intervalMinutes: "30",
  webCapacity: "20",
  phoneCapacity: "10",
  skipHolidays: "on",
};
const errorsOf = (input: Record<string, string | undefined>) => {
  const r = generateSchema.safeParse(input);
  return Object.fromEntries((r.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
};

describe("generateSchema", () => {
  it("turns the form into a pattern", () => {
    expect(generateSchema.parse(form)).toEqual({
      venueId: form.venueId,
      serviceId: form.serviceId,
      webCapacity: 20,
      phoneCapacity: 10,
      previewKey: "",
      pattern: {
        dateFrom: "2026-12-01",
        dateTo: "2026-12-14",
        weekdays: [1, 3],
        ranges: [
          { start: "13:00", end: "16:00" },
          { start: "09:00", end: "12:00" },
        ],
        intervalMinutes: 30,
        skipHolidays: true,
      },
    });
  });

  it("explains each wrong row, weekday and date on its own field, all at once", () => {
    expect(
      errorsOf({
        ...form,
        venueId: "",
        wd1: undefined,
        wd3: undefined,
        dateTo: "2026-11-30",
        range0End: "16:30",
        range1End: "",
        range2Start: "17:00",
        range2End: "17:10",
        webCapacity: "0",
        phoneCapacity: "0",
      }),
    ).toEqual({
      venueId: "会場を選択してください。",
      weekdays: "曜日を1つ以上選んでください。",
      range1End: "終了時刻を入力してください。",
      range2End: "この時間帯は枠の長さ（30分）より短いため、枠ができません。",
      dateTo: "終了日は開始日以降の日付にしてください。",
      webCapacity: "Web枠と電話枠の両方を0にはできません。",
    });
  });

  it("refuses overlapping hours, empty hours and over-long periods", () => {
    expect(errorsOf({ ...form, range1End: "13:30" })).toEqual({ range1Start: "ほかの時間帯と重なっています。" });
    expect(errorsOf({ ...form, range0Start: "", range0End: "", range1Start: "", range1End: "" })).toEqual({
      range0Start: "受付時間を1つ以上入力してください（例: 09:00〜12:00）。",
    });
    expect(errorsOf({ ...form, dateTo: "2027-12-01" })).toEqual({}); // 366 days inclusive
    expect(errorsOf({ ...form, dateTo: "2027-12-02" })).toEqual({ dateTo: "一度に作れるのは366日分までです。" });
    expect(errorsOf({ ...form, intervalMinutes: "1" })).toEqual({
      intervalMinutes: "枠の長さは5〜240分の整数で入力してください。",
    });
  });
});
