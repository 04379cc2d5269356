import { z } from "zod";

/**
 * A city's 問い合わせ窓口: the phone numbers residents are told to call (each with a label and its
 * hours), an optional web page, and the disaster page and number the 避難所 tile answers with until
 * shelters exist. Stored as `tenants.contact` (jsonb, null = not set yet). Client-safe: the admin
 * form, the resident component, the e-mails and the LINE replies all read this one shape (ADR 031).
 */
export type CityContactPhone = { label: string; number: string; hours: string };
export type CityContact = {
  phones: CityContactPhone[];
  webUrl: string | null;
  disasterUrl: string | null;
  disasterPhone: string | null;
};

export const MAX_PHONES = 3;

// Japanese numbers as people write them: 0 then 9–10 more digits (fixed lines, 0120/0800 free
// dial, 050 and mobile), grouped with hyphens or parentheses. Full-width forms are accepted.
const PHONE_SHAPE = /^[0-9()\-\s]+$/;

/** NFKC plus the dashes Japanese IMEs produce (ー, −, ‐ …) turned into "-", spaces squeezed. */
export function normalisePhone(input: string) {
  return input
    .normalize("NFKC")
    .replace(/[ー−‐‑–—―]/g, "-")
    .replace(/\s+/g, " ")
    .trim();
}

export function isValidPhone(input: string) {
  const v = normalisePhone(input);
  if (!PHONE_SHAPE.test(v)) return false;
  const digits = v.replace(/\D/g, "");
  return /^0\d{9,10}$/.test(digits);
}

/** `tel:` href of a number as stored ("0736-00-1234" → "tel:0736001234"). */
export function telHref(number: string) {
  return `tel:${normalisePhone(number).replace(/\D/g, "")}`;
}

const PHONE_MESSAGE = "電話番号は0から始まる10桁か11桁の番号を、数字とハイフンで入力してください（例：073-600-1234）。";

export const phoneNumberSchema = z.string().transform(normalisePhone).refine(isValidPhone, PHONE_MESSAGE);

const httpsUrl = (what: string) =>
  z
    .string()
    .trim()
    .max(500, `${what}は500文字以内で入力してください。`)
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === "https:" || u.protocol === "http:") && !!u.hostname && !/\s/.test(v);
      } catch {
        return false;
      }
    }, `${what}は https:// で始まる正しいURLを入力してください。`);

const chars = (s: string) => Array.from(s).length;
// eslint-disable-next-line no-control-regex -- control characters would break LINE texts and mails
const CONTROL = /[\u0000-\u001f\u007f]/;
const shortText = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${what}を入力してください。`)
    .refine((v) => chars(v) <= max, `${what}は${max}文字以内で入力してください。`)
    .refine((v) => !CONTROL.test(v), `${what}に改行などの制御文字は使えません。`);

/** The stored shape, validated (what the jsonb column holds and what readers may trust). */
export const cityContactSchema = z.object({
  phones: z
    .array(
      z.object({
        label: shortText("電話番号の名前", 30),
        number: phoneNumberSchema,
        hours: shortText("受付時間", 60),
      }),
    )
    .min(1, "電話番号を1件以上入力してください。")
    .max(MAX_PHONES, `電話番号は${MAX_PHONES}件まで登録できます。`),
  webUrl: httpsUrl("ホームページのURL").nullable(),
  disasterUrl: httpsUrl("防災情報のページのURL").nullable(),
  disasterPhone: phoneNumberSchema.nullable(),
});

/** Reads a stored value; anything malformed counts as "not set" rather than breaking a page. */
export function readCityContact(value: unknown): CityContact | null {
  const r = cityContactSchema.safeParse(value);
  return r.success ? r.data : null;
}

/**
 * The form's flat fields (phone1Label, phone1Number, phone1Hours … webUrl, disasterUrl,
 * disasterPhone). A row left entirely empty is skipped; a row half filled is an error on the
 * missing field. All empty = "not set" (null), allowed when `required` is false (the wizard).
 */
export const PHONE_ROWS = Array.from({ length: MAX_PHONES }, (_, i) => i + 1);
export const contactFieldNames = [
  ...PHONE_ROWS.flatMap((i) => [`phone${i}Label`, `phone${i}Number`, `phone${i}Hours`]),
  "webUrl",
  "disasterUrl",
  "disasterPhone",
] as const;

export function contactFormSchema({ required }: { required: boolean }) {
  const fields = Object.fromEntries(contactFieldNames.map((n) => [n, z.string().optional()])) as Record<
    (typeof contactFieldNames)[number],
    z.ZodOptional<z.ZodString>
  >;
  return z.object(fields).transform((raw, ctx): CityContact | null => {
    const v = (k: string) => (raw[k as keyof typeof raw] ?? "").trim();
    const phones: CityContactPhone[] = [];
    let rowTyped = false;
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    for (const i of PHONE_ROWS) {
      const row = { label: v(`phone${i}Label`), number: v(`phone${i}Number`), hours: v(`phone${i}Hours`) };
      if (!row.label && !row.number && !row.hours) continue;
      rowTyped = true;
      const parsed = cityContactSchema.shape.phones.element.safeParse(row);
      if (parsed.success) phones.push(parsed.data);
      else
        for (const e of parsed.error.issues)
          issue(`phone${i}${String(e.path[0]).replace(/^./, (c) => c.toUpperCase())}`, e.message);
    }
    const optional = <T>(name: string, schema: z.ZodType<T>): T | null => {
      if (!v(name)) return null;
      const r = schema.safeParse(v(name));
      if (r.success) return r.data;
      issue(name, r.error.issues[0]?.message ?? "入力内容を確認してください。");
      return null;
    };
    const webUrl = optional("webUrl", cityContactSchema.shape.webUrl.unwrap());
    const disasterUrl = optional("disasterUrl", cityContactSchema.shape.disasterUrl.unwrap());
    const disasterPhone = optional("disasterPhone", phoneNumberSchema);
    const anything = phones.length || webUrl || disasterUrl || disasterPhone;
    if (!phones.length && !rowTyped && (required || anything))
      issue("phone1Number", "問い合わせ先の電話番号を1件以上入力してください。");
    if (!anything && !required) return null;
    return { phones, webUrl, disasterUrl, disasterPhone };
  });
}

/** The form's initial values from a stored contact. */
export function contactFormValues(contact: CityContact | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of PHONE_ROWS) {
    const p = contact?.phones[i - 1];
    out[`phone${i}Label`] = p?.label ?? "";
    out[`phone${i}Number`] = p?.number ?? "";
    out[`phone${i}Hours`] = p?.hours ?? "";
  }
  out.webUrl = contact?.webUrl ?? "";
  out.disasterUrl = contact?.disasterUrl ?? "";
  out.disasterPhone = contact?.disasterPhone ?? "";
  return out;
}

/** Plain-text lines for LINE replies and text mails: "予約専用ダイヤル 0736-00-1234（平日 8:30〜17:15）". */
export function contactLines(contact: CityContact | null): string[] {
  if (!contact) return [];
  return [
    ...contact.phones.map((p) => `${p.label} ${p.number}（${p.hours}）`),
    ...(contact.webUrl ? [`ホームページ ${contact.webUrl}`] : []),
  ];
}
