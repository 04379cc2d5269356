import { z } from "zod";

/** Client-safe input schemas of the billing slice. */

export const setUpCityBillingSchema = z.object({
  tenantId: z.uuid({ message: "自治体が正しく指定されていません。" }),
  planId: z.string().regex(/^[a-z0-9_-]{1,40}$/, { message: "プランを選択してください。" }),
  billingEmail: z.email({ message: "請求書の送付先メールアドレスを正しく入力してください。" }).max(254),
  collection: z.enum(["send_invoice", "charge_automatically"], { message: "支払方法を選択してください。" }),
  daysUntilDue: z.coerce
    .number({ message: "支払期限の日数は半角数字で入力してください。" })
    .int()
    .min(1, { message: "支払期限は1〜365日で指定してください。" })
    .max(365, { message: "支払期限は1〜365日で指定してください。" })
    .optional(),
});
export type SetUpCityBillingInput = z.input<typeof setUpCityBillingSchema>;

export const suspendSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(5, { message: "停止の理由を5文字以上で入力してください。" })
    .max(500, { message: "理由は500文字以内で入力してください。" }),
  confirm: z.literal("yes", { message: "停止の内容を確認し、チェックを入れてください。" }),
});

/** "2026-11" → "2026-11-01"; anything else is refused. */
export const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: "月は YYYY-MM の形式で指定してください。" })
  .transform((m) => `${m}-01`);
