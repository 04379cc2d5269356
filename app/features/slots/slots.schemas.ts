import { z } from "zod";
import { calendarDate, checkbox, intInRange, requiredText, uuidField } from "~/lib/zod-fields";
import { daysBetween } from "~/lib/japan-time";
import { firstOverlappingRange, minutesOf, type TimeRange } from "./calendar";
import { MAX_CAPACITY, MAX_PATTERN_DAYS } from "./limits";
import type { SlotPattern } from "./pattern";

/** Opening-hour rows on the generation form (morning, afternoon, evening). */
export const RANGE_ROWS = 3;
/** Weekday checkboxes in the order Japanese office calendars print them: 月 … 日. */
export const WEEKDAY_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

const venueId = uuidField("会場を選択してください。");
const serviceId = uuidField("サービスを選択してください。");
const capacity = (label: string) => intInRange(label, 0, MAX_CAPACITY, "人");

type Issue = { path: string; message: string };

const str = (rec: Record<string, unknown>, k: string) =>
  (typeof rec[k] === "string" ? (rec[k] as string) : "").normalize("NFKC").trim();
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The filled opening-hour rows, or what is wrong with each; `interval` (when valid) must fit in every row. */
export function readRangeRows(
  rec: Record<string, unknown>,
  interval: number | null,
): { ranges: TimeRange[]; issues: Issue[] } {
  const ranges: TimeRange[] = [];
  const rowOf: number[] = [];
  const issues: Issue[] = [];
  for (let i = 0; i < RANGE_ROWS; i++) {
    const start = str(rec, `range${i}Start`);
    const end = str(rec, `range${i}End`);
    if (start === "" && end === "") continue;
    const startOk = TIME.test(start);
    const endOk = TIME.test(end);
    if (!startOk)
      issues.push({
        path: `range${i}Start`,
        message: start === "" ? "開始時刻を入力してください。" : "開始時刻は「09:00」の形で入力してください。",
      });
    if (!endOk)
      issues.push({
        path: `range${i}End`,
        message: end === "" ? "終了時刻を入力してください。" : "終了時刻は「12:00」の形で入力してください。",
      });
    if (!startOk || !endOk) continue;
    if (minutesOf(end) <= minutesOf(start))
      issues.push({ path: `range${i}End`, message: "終了時刻は開始時刻より後にしてください。" });
    else if (interval !== null && minutesOf(end) - minutesOf(start) < interval)
      issues.push({
        path: `range${i}End`,
        message: `この時間帯は枠の長さ（${interval}分）より短いため、枠ができません。`,
      });
    else {
      ranges.push({ start, end });
      rowOf.push(i);
    }
  }
  const overlap = firstOverlappingRange(ranges);
  if (overlap >= 0) issues.push({ path: `range${rowOf[overlap]}Start`, message: "ほかの時間帯と重なっています。" });
  if (ranges.length === 0 && issues.length === 0)
    issues.push({ path: "range0Start", message: "受付時間を1つ以上入力してください（例: 09:00〜12:00）。" });
  return { ranges, issues };
}

const optionalString = z.string().optional();
const rowFields = Object.fromEntries(
  [
    ...Array.from({ length: RANGE_ROWS }, (_, i) => [`range${i}Start`, `range${i}End`]).flat(),
    ...WEEKDAY_ORDER.map((d) => `wd${d}`),
  ].map((k) => [k, optionalString]),
) as Record<string, typeof optionalString>;

export const generateSchema = z
  .object({
    venueId,
    serviceId,
    dateFrom: calendarDate("開始日"),
    dateTo: calendarDate("終了日"),
    intervalMinutes: intInRange("枠の長さ", 5, 240, "分"),
    webCapacity: capacity("1枠あたりのWeb枠"),
    phoneCapacity: capacity("1枠あたりの電話枠"),
    skipHolidays: checkbox(),
    previewKey: z.string().optional(),
    ...rowFields,
  })
  // `when`: report the rows and weekdays even when another field failed, so one round trip shows all.
  .superRefine(
    (v, ctx) => {
      const add = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
      const rec = v as Record<string, unknown>;
      if (!WEEKDAY_ORDER.some((d) => rec[`wd${d}`] === "on")) add("weekdays", "曜日を1つ以上選んでください。");
      const interval = typeof v.intervalMinutes === "number" ? v.intervalMinutes : null;
      for (const issue of readRangeRows(rec, interval).issues) add(issue.path, issue.message);
      if (typeof v.dateFrom === "string" && typeof v.dateTo === "string") {
        const span = daysBetween(v.dateFrom, v.dateTo);
        if (span < 0) add("dateTo", "終了日は開始日以降の日付にしてください。");
        else if (span >= MAX_PATTERN_DAYS) add("dateTo", `一度に作れるのは${MAX_PATTERN_DAYS}日分までです。`);
      }
      if (v.webCapacity === 0 && v.phoneCapacity === 0) add("webCapacity", "Web枠と電話枠の両方を0にはできません。");
    },
    { when: () => true },
  )
  .transform((v) => {
    const pattern: SlotPattern = {
      dateFrom: v.dateFrom,
      dateTo: v.dateTo,
      weekdays: WEEKDAY_ORDER.filter((d) => (v as Record<string, unknown>)[`wd${d}`] === "on"),
      ranges: readRangeRows(v, v.intervalMinutes).ranges,
      intervalMinutes: v.intervalMinutes,
      skipHolidays: v.skipHolidays,
    };
    return {
      venueId: v.venueId,
      serviceId: v.serviceId,
      pattern,
      webCapacity: v.webCapacity,
      phoneCapacity: v.phoneCapacity,
      previewKey: v.previewKey ?? "",
    };
  });

export type GenerateInput = z.infer<typeof generateSchema>;

export const capacitySchema = z.object({ webCapacity: capacity("Web枠"), phoneCapacity: capacity("電話枠") });

export const closeSlotSchema = z.object({ reason: requiredText("休止の理由", 200) });

export const closeDaySchema = z.object({
  venueId,
  date: calendarDate("日付"),
  reason: requiredText("休止の理由", 200),
});

export const importSchema = z.object({ serviceId });

export const reopenSlotSchema = z.object({ reason: requiredText("再開の理由", 200) });
