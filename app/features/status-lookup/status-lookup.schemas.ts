import { z } from "zod";
import { calendarDate, intInRange, optionalText, requiredText } from "~/lib/zod-fields";
import { isValidPattern, keyPatternOf, parseStatusLines } from "./keys";

/**
 * A lookup as an admin writes it: the key's format is either a number of digits or a regular
 * expression; statuses are 「状況名=住民に見せる文」 one per line ({{date}} shows the row's date).
 */
export const lookupSchema = z
  .object({
    title: requiredText("名称", 100),
    keyLabel: requiredText("番号の名前", 30),
    keyFormat: z.enum(["digits", "regex"], { error: "番号の形式を選んでください。" }),
    keyDigits: z.string().optional().default(""),
    keyRegex: optionalText("番号の形式（正規表現）", 200),
    statuses: requiredText("状況", 10_000),
    note: optionalText("注意書き", 1000),
    opensOn: calendarDate("受付開始日"),
    closesOn: calendarDate("受付終了日"),
    contact: optionalText("問い合わせ先", 300),
    purgeAfterDays: intInRange("終了後の保存日数", 1, 3650, "日"),
  })
  .transform((v, ctx) => {
    const statuses = parseStatusLines(v.statuses);
    if (typeof statuses === "string") ctx.addIssue({ code: "custom", path: ["statuses"], message: statuses });
    if (v.closesOn < v.opensOn)
      ctx.addIssue({ code: "custom", path: ["closesOn"], message: "受付終了日は受付開始日より後にしてください。" });
    let keyPattern = "";
    if (v.keyFormat === "digits") {
      const n = Number(v.keyDigits.normalize("NFKC"));
      if (!Number.isInteger(n) || n < 1 || n > 30)
        ctx.addIssue({ code: "custom", path: ["keyDigits"], message: "桁数は1〜30の数字で入力してください。" });
      else keyPattern = keyPatternOf({ kind: "digits", length: n });
    } else if (!v.keyRegex || !isValidPattern(v.keyRegex))
      ctx.addIssue({ code: "custom", path: ["keyRegex"], message: "番号の形式（正規表現）が正しくありません。" });
    else keyPattern = keyPatternOf({ kind: "regex", source: v.keyRegex });
    return {
      title: v.title,
      keyLabel: v.keyLabel,
      keyPattern,
      statuses: typeof statuses === "string" ? [] : statuses,
      note: v.note,
      opensOn: v.opensOn,
      closesOn: v.closesOn,
      contact: v.contact,
      purgeAfterDays: v.purgeAfterDays,
    };
  });

export type LookupInput = z.output<typeof lookupSchema>;
