import { z } from "zod";
import { isCalendarDate } from "~/lib/japan-time";

const date = z
  .string({ error: "日付を選択してください。" })
  .trim()
  .refine(isCalendarDate, "日付を正しく選択してください。");
const venue = z.string({ error: "会場を選択してください。" }).trim().pipe(z.uuid("会場を選択してください。"));

/** The ?venue=&date= of the page and of the export link. */
export const venueDaySchema = z.object({ venue, date });

export const exportSchema = venueDaySchema.extend({
  // UTF-8 with BOM is the default: it holds every name. Shift_JIS is for older Excel and ledger systems.
  encoding: z.enum(["utf-8", "shift_jis"]).catch("utf-8"),
});

export const attendanceSchema = venueDaySchema.extend({
  reservationId: z.string().pipe(z.uuid("予約を選択してください。")),
  mark: z.enum(["attended", "no_show", "booked"], { error: "操作を選択してください。" }),
});
