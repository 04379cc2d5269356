import { z } from "zod";
import { birthDateFields, birthDateOf, composeBirthDate } from "~/lib/birth-year";

/**
 * Form schemas of the resident booking flow and "my reservation". Residents type on phones with
 * Japanese keyboards: full-width digits, hyphens and spaces are normalised (NFKC) before checking.
 */

const HYPHENS_AND_SPACES = /[\s\-‐‑‒–—―ー－]/g;

export const ticketNumberSchema = z
  .string({ error: "接種券番号を入力してください。" })
  .transform((v) => v.normalize("NFKC").replace(HYPHENS_AND_SPACES, ""))
  .pipe(
    z
      .string()
      .min(1, "接種券番号を入力してください。")
      .regex(/^\d{10}$/, "接種券番号は10桁の数字で入力してください（例：1234567890）。"),
  );

export { composeBirthDate };

export const identitySchema = z
  .object({
    ticketNumber: ticketNumberSchema,
    ...birthDateFields,
    serviceId: z.string().optional(),
    channel: z.string().optional(),
  })
  .transform((v, ctx) => {
    const birthDate = birthDateOf(v, ctx);
    if (!birthDate) return z.NEVER;
    return {
      ticketNumber: v.ticketNumber,
      birthDate,
      serviceId: v.serviceId || undefined,
      channel: v.channel === "line" ? ("line" as const) : ("web" as const),
    };
  });

/** Phone: digits only after NFKC, 10 (landline) or 11 (mobile) digits, starting with 0. */
export function normalisePhone(input: string): string {
  return input.normalize("NFKC").replace(/[\s\-‐‑‒–—―ー－()（）]/g, "");
}

const contactFields = z.object({
  name: z
    .string({ error: "お名前を入力してください。" })
    .transform((v) => v.normalize("NFKC").replace(/\s+/g, " ").trim())
    .pipe(z.string().min(1, "お名前を入力してください。").max(60, "お名前は60文字以内で入力してください。")),
  phone: z
    .string()
    .optional()
    .transform((v) => normalisePhone(v ?? ""))
    .pipe(
      z
        .string()
        .regex(/^(0\d{9,10})?$/, "電話番号は0から始まる10桁または11桁の数字で入力してください（例：090-1234-5678）。"),
    ),
  email: z
    .string()
    .optional()
    .transform((v) => (v ?? "").normalize("NFKC").trim().toLowerCase())
    .pipe(
      z.union([
        z.literal(""),
        z
          .email("メールアドレスの形式が正しくありません（例：taro@example.jp）。")
          .max(254, "メールアドレスが長すぎます。"),
      ]),
    ),
});

/** The contact step: a way to reach the resident (phone or e-mail) is required… */
export const contactSchema = contactFields.superRefine((v, ctx) => {
  if (!v.phone && !v.email)
    ctx.addIssue({
      code: "custom",
      path: ["phone"],
      message: "電話番号かメールアドレスの、少なくともどちらか一つを入力してください。",
    });
});

/**
 * …except for a booking linked to the resident's verified LINE account (issue 13.2): the notices go
 * there, so phone and e-mail are optional (still checked when typed).
 */
export const lineLinkedContactSchema = contactFields;

export type Contact = z.infer<typeof contactSchema>;

const uuid = z.uuid("選択された予約枠が見つかりません。最初からやり直してください。");

export const confirmBookingSchema = z.object({
  slot: uuid,
  idempotencyKey: z.uuid("画面の有効期限が切れました。もう一度、日時を選んでください。"),
});

export const changeSchema = z.object({ slot: uuid });

/** Query parameters that name a row: anything but a uuid is treated as "not chosen". */
export function uuidParam(value: string | null): string | null {
  return value && z.uuid().safeParse(value).success ? value : null;
}

/** The text fields of a submitted form, to put back into the form after a refusal. */
export function formStrings(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") out[k] = v;
  return out;
}

/** 「メールで予約を確認する」(ADR 027): the ticket number and the address given when booking. */
export const linkRequestSchema = z.object({
  ticketNumber: ticketNumberSchema,
  email: z
    .string({ error: "メールアドレスを入力してください。" })
    .trim()
    .min(1, "メールアドレスを入力してください。")
    .max(254, "メールアドレスが長すぎます。")
    .pipe(z.email("メールアドレスの形式が正しくありません（例：taro@example.jp）。")),
});
