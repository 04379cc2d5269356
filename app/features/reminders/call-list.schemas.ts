import { z } from "zod";
import { isCalendarDate } from "~/lib/japan-time";

const date = z
  .string({ error: "日付を選択してください。" })
  .trim()
  .refine(isCalendarDate, "日付を正しく選択してください。");
const id = (message: string) => z.string({ error: message }).pipe(z.uuid(message));

/** ?date= of the call-list page. */
export const callListQuerySchema = z.object({ date });

/** One row's 電話済み button (or its undo). */
export const callMarkSchema = z.object({
  date,
  reservationId: id("予約を選択してください。"),
  slotId: id("予約を選択してください。"),
  rule: z
    .string({ error: "リマインダーを選択してください。" })
    .regex(/^(d\d{1,2}-\d{4}|h\d{1,2})$/, "リマインダーを選択してください。"),
  intent: z.enum(["called", "undo"], { error: "操作を選択してください。" }),
});
