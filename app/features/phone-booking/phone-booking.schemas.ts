import { z } from "zod";
import { birthDateFields, birthDateOf } from "~/lib/birth-year";

/**
 * Inputs of the phone-booking page. Staff type what a caller reads out, often in full-width digits
 * from a Japanese IME, so numbers are NFKC-normalised before they are checked.
 */

const uuid = (message: string) => z.string({ error: message }).trim().pipe(z.uuid(message));

const nfkc = (v: string) => v.normalize("NFKC").trim();

export const ticketNumberSchema = z
  .string({ error: "接種券番号を入力してください。" })
  .transform((v) => nfkc(v).replace(/[\s\-‐‑‒–—―ー－]/g, ""))
  .pipe(
    z
      .string()
      .min(1, "接種券番号を入力してください。")
      .regex(/^\d{10}$/, "接種券番号は10桁の数字で入力してください（例：1000000001）。"),
  );

export const lookupSchema = z.object({ ticketNumber: ticketNumberSchema, ...birthDateFields }).transform((v, ctx) => {
  // Callers say "昭和35年" as often as "1960": staff type what they hear (~/lib/birth-year).
  const birthDate = birthDateOf(v, ctx);
  if (!birthDate) return z.NEVER;
  return { ticketNumber: v.ticketNumber, birthDate };
});

export const nameSearchSchema = z
  .object({
    name: z
      .string({ error: "お名前を入力してください。" })
      .transform(nfkc)
      .pipe(z.string().min(1, "お名前を入力してください。").max(60, "お名前は60文字以内で入力してください。")),
    ...birthDateFields,
  })
  .transform((v, ctx) => {
    const birthDate = birthDateOf(v, ctx);
    if (!birthDate) return z.NEVER;
    return { name: v.name, birthDate };
  });

// Phone numbers as callers say them: 073-123-4567, 09012345678, +81 90 …; stored as typed (normalised).
const phoneSchema = z
  .string({ error: "電話番号を入力してください。" })
  .transform((v) => nfkc(v).replace(/[‐‑‒–—―ー－]/g, "-"))
  .pipe(
    z
      .string()
      .min(1, "電話番号を入力してください。")
      .regex(/^\+?[\d\-() ]+$/, "電話番号は数字とハイフンで入力してください（例：073-123-4567）。")
      .refine((v) => {
        const digits = v.replace(/\D/g, "").length;
        return digits >= 10 && digits <= 13;
      }, "電話番号の桁数が正しくありません（例：073-123-4567）。"),
  );

const optionalEmail = z
  .string()
  .optional()
  .transform((v) => nfkc(v ?? "").toLowerCase())
  .pipe(
    z.union([
      z.literal(""),
      z
        .email("メールアドレスの形式が正しくありません（例：taro@example.jp）。")
        .max(254, "メールアドレスが長すぎます。"),
    ]),
  );

export const bookSchema = z.object({
  holderId: uuid("対象の方をもう一度検索してください。"),
  slotId: uuid("予約する日時を選択してください。"),
  name: z
    .string({ error: "お名前を入力してください。" })
    .transform(nfkc)
    .pipe(z.string().min(1, "お名前を入力してください。").max(60, "お名前は60文字以内で入力してください。")),
  phone: phoneSchema,
  email: optionalEmail,
  proxyNote: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .pipe(z.string().max(200, "代理予約のメモは200文字以内で入力してください。")),
  idempotencyKey: z
    .string({ error: "画面を読み込み直してください。" })
    .regex(/^[0-9a-f-]{36}$/i, "画面を読み込み直してください。"),
});

export const changeSchema = z.object({
  holderId: uuid("対象の方をもう一度検索してください。"),
  reservationId: uuid("変更する予約を選択してください。"),
  slotId: uuid("変更後の日時を選択してください。"),
});

export const cancelSchema = z.object({
  holderId: uuid("対象の方をもう一度検索してください。"),
  reservationId: uuid("キャンセルする予約を選択してください。"),
});

/** The page state in the URL; anything malformed is simply ignored (a stale bookmark, a hand-edited link). */
export const pickerSchema = z.object({
  holder: z.uuid().optional().catch(undefined),
  venue: z.uuid().optional().catch(undefined),
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
  change: z.uuid().optional().catch(undefined),
  /** Which search is on screen before a holder is chosen: ticket number (default) or name. */
  by: z.enum(["name"]).optional().catch(undefined),
  cancel: z.uuid().optional().catch(undefined),
  done: z.enum(["changed", "cancelled"]).optional().catch(undefined),
});
export type Picker = z.infer<typeof pickerSchema>;
