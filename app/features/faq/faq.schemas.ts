import { z } from "zod";
import { checkbox, optionalText, requiredText } from "~/lib/zod-fields";

/**
 * An FAQ entry as staff write it (form or CSV row). Variants are one per line (or 「;」-separated in
 * the CSV): other ways residents ask, abbreviations and old names. Answers may carry https links.
 */
export const MAX_VARIANTS = 20;

/** 未回答 questions not asked again for this many days are deleted (ADR 048). */
export const UNANSWERED_DAYS = 90;

export function splitVariants(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(/[\n;；]/)
        .map((v) => v.normalize("NFKC").trim())
        .filter(Boolean),
    ),
  ];
}

export const faqEntrySchema = z.object({
  question: requiredText("質問", 200),
  answer: requiredText("回答", 2000),
  category: requiredText("分野", 40),
  variants: optionalText("言いかえ", 2000)
    .transform(splitVariants)
    .refine((v) => v.length <= MAX_VARIANTS, `言いかえは${MAX_VARIANTS}個までにしてください。`)
    .refine((v) => v.every((x) => x.length <= 100), "言いかえは1つ100文字以内にしてください。"),
  published: checkbox(),
});

export type FaqEntryInput = z.infer<typeof faqEntrySchema>;

export const faqFormValues = (e: FaqEntryInput): Record<string, string> => ({
  question: e.question,
  answer: e.answer,
  category: e.category,
  variants: e.variants.join("\n"),
  published: e.published ? "on" : "",
});
