import { z } from "zod";

/** The garbage staff page's forms (client-safe). One intent per form. */
const date = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "日付を選んでください。")
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, "存在しない日付です。")
  .refine((v) => v >= "2000-01-01" && v <= "2100-12-31", "2000年〜2100年の日付を選んでください。");

export const garbageAdminSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("push-time"),
      pushTime: z
        .string()
        .trim()
        .regex(/^(|([01][0-9]|2[0-3]):[0-5][0-9])$/, "時刻は 18:00 のように入力してください。"),
    }),
    z.object({
      intent: z.literal("holidays"),
      category: z.string().min(1, "ごみの種類がありません。").max(200, "ごみの種類が長すぎます。"),
      skip: z.enum(["on", "off"], { error: "操作が正しくありません。" }),
    }),
    z.object({
      intent: z.literal("exception-add"),
      date,
      category: z.string().max(200, "ごみの種類が長すぎます。"),
      note: z.string().trim().max(200, "メモは200文字までです。"),
    }),
    z.object({
      intent: z.literal("exception-remove"),
      id: z.uuid({ error: "操作が正しくありません。ページを読み込み直してください。" }),
    }),
  ],
  { error: "操作が正しくありません。ページを読み込み直してください。" },
);

export type GarbageAdminInput = z.infer<typeof garbageAdminSchema>;
