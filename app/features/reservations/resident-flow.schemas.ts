import { z } from "zod";
import { TOKYO_TIME_ZONE, yearOptionsWithEra } from "~/lib/dates";

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

const birthPart = (label: string, max: number) =>
  z
    .string({ error: `生まれた${label}を選択してください。` })
    .regex(/^\d{1,4}$/, `生まれた${label}を選択してください。`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `生まれた${label}を選択してください。`);

/** "YYYY-MM-DD" when the three selects make a real calendar date, else null. */
export function composeBirthDate(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(2000, month - 1, day));
  d.setUTCFullYear(year);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export const identitySchema = z
  .object({
    ticketNumber: ticketNumberSchema,
    birthYear: birthPart("年", 9999),
    birthMonth: birthPart("月", 12),
    birthDay: birthPart("日", 31),
    serviceId: z.string().optional(),
    channel: z.string().optional(),
  })
  .transform((v, ctx) => {
    const birthDate = composeBirthDate(v.birthYear, v.birthMonth, v.birthDay);
    if (!birthDate) {
      ctx.addIssue({
        code: "custom",
        path: ["birthDay"],
        message: "生年月日が正しくありません。日付をご確認ください。",
      });
      return z.NEVER;
    }
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

export const contactSchema = z
  .object({
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
          .regex(
            /^(0\d{9,10})?$/,
            "電話番号は0から始まる10桁または11桁の数字で入力してください（例：090-1234-5678）。",
          ),
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
  })
  .superRefine((v, ctx) => {
    if (!v.phone && !v.email)
      ctx.addIssue({
        code: "custom",
        path: ["phone"],
        message: "電話番号かメールアドレスの、少なくともどちらか一つを入力してください。",
      });
  });

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

const tokyoYear = new Intl.DateTimeFormat("en-u-nu-latn", { timeZone: TOKYO_TIME_ZONE, year: "numeric" });

/** Birth-year choices, newest first, back to 1900, each with its era ("1960年（昭和35年）"). */
export function birthYearOptions(now = new Date()) {
  return yearOptionsWithEra(Number(tokyoYear.format(now)), 1900);
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
