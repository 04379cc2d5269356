import { z } from "zod";

/**
 * zod builders for the admin forms' plain fields, with the Japanese messages staff see next to each
 * field. Input is NFKC-normalised first, because staff type on Japanese IMEs and "２０" or "３４．２"
 * must mean the same as "20" and "34.2".
 */

const nfkc = (v: string) => v.normalize("NFKC").trim();

export function requiredText(label: string, max: number) {
  return z
    .string({ error: `${label}を入力してください。` })
    .trim()
    .min(1, `${label}を入力してください。`)
    .max(max, `${label}は${max}文字以内で入力してください。`);
}

/** A text that may be left empty (or absent from the form): "" then. */
export function optionalText(label: string, max: number) {
  return z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .pipe(z.string().max(max, `${label}は${max}文字以内で入力してください。`));
}

/** A whole number in [min, max]; the message names the range so staff know what is allowed. */
export function intInRange(label: string, min: number, max: number, unit = "") {
  const range = `${label}は${min}〜${max}${unit}の整数で入力してください。`;
  return z
    .string({ error: `${label}を入力してください。` })
    .transform(nfkc)
    .pipe(z.string().min(1, `${label}を入力してください。`).regex(/^\d+$/, range))
    .transform(Number)
    .pipe(z.number().min(min, range).max(max, range));
}

/** An HTML checkbox: present ("on") when ticked, absent when not. */
export function checkbox() {
  return z
    .string()
    .optional()
    .transform((v) => v === "on");
}

/** A calendar date "YYYY-MM-DD" as <input type="date"> sends it; impossible dates (2月30日) refused. */
export function calendarDate(label: string) {
  return z
    .string({ error: `${label}を入力してください。` })
    .transform(nfkc)
    .pipe(
      z
        .string()
        .min(1, `${label}を入力してください。`)
        .regex(/^\d{4}-\d{2}-\d{2}$/, `${label}は「2026-12-01」の形で入力してください。`),
    )
    .refine(
      (v) => new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v,
      `${label}に存在しない日付が入力されています。`,
    );
}

/** "HH:MM" on a 24-hour clock, as <input type="time"> sends it. */
export function clockTime(label: string) {
  return z
    .string({ error: `${label}を入力してください。` })
    .transform(nfkc)
    .pipe(
      z
        .string()
        .min(1, `${label}を入力してください。`)
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${label}は「09:00」のように24時間表記で入力してください。`),
    );
}

/** An optional decimal in [min, max]; null when left empty. */
export function optionalDecimal(label: string, min: number, max: number, hint: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = nfkc(v ?? "");
      if (s === "") return null;
      const n = /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
      if (Number.isNaN(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `${label}は${min}〜${max}の数値で入力してください${hint}。` });
        return z.NEVER;
      }
      return n;
    });
}

export const uuidField = (message: string) => z.string({ error: message }).trim().pipe(z.uuid(message));
