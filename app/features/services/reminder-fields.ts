import { DEFAULT_REMINDER_RULES, type ReminderRule } from "#db/schema/reminder-rules";
import { normaliseRules, ruleKey } from "~/features/reminders/rules";

/**
 * The service form's reminder rows: each row is a kind ("" = unused, 前日など N日前の指定時刻, N時間前)
 * with its numbers. Three rows cover what cities ask for (e.g. 3日前・前日・2時間前); no rows at all
 * means the service sends no reminders.
 */
export const REMINDER_ROWS = 3;
export const REMINDER_LIMITS = { days: [1, 14], hours: [1, 72] } as const;

export const REMINDER_KIND_OPTIONS = [
  { value: "", label: "使わない" },
  { value: "days-before", label: "◯日前の指定時刻" },
  { value: "hours-before", label: "開始の◯時間前" },
] as const;

type Issue = { path: string; message: string };

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

export function readReminderRows(rec: Record<string, unknown>): { rules: ReminderRule[]; issues: Issue[] } {
  const str = (k: string) => (typeof rec[k] === "string" ? (rec[k] as string) : "").normalize("NFKC").trim();
  const rules: ReminderRule[] = [];
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < REMINDER_ROWS; i++) {
    const kind = str(`reminderKind${i}`);
    if (kind === "") continue;
    let rule: ReminderRule | null = null;
    if (kind === "days-before") {
      const days = str(`reminderDays${i}`);
      const at = str(`reminderAt${i}`).replace(/^(\d):/, "0$1:");
      const [min, max] = REMINDER_LIMITS.days;
      const daysOk = /^\d{1,2}$/.test(days) && Number(days) >= min && Number(days) <= max;
      if (!daysOk)
        issues.push({
          path: `reminderDays${i}`,
          message:
            days === ""
              ? "何日前に送るかを入力してください（前日なら 1）。"
              : `何日前かは${min}〜${max}の整数で入力してください。`,
        });
      if (!CLOCK.test(at))
        issues.push({
          path: `reminderAt${i}`,
          message:
            at === "" ? "送る時刻を入力してください。" : "送る時刻は「10:00」のように24時間表記で入力してください。",
        });
      if (daysOk && CLOCK.test(at)) rule = { kind, days: Number(days), at };
    } else if (kind === "hours-before") {
      const hours = str(`reminderHours${i}`);
      const [min, max] = REMINDER_LIMITS.hours;
      if (/^\d{1,2}$/.test(hours) && Number(hours) >= min && Number(hours) <= max)
        rule = { kind, hours: Number(hours) };
      else
        issues.push({
          path: `reminderHours${i}`,
          message:
            hours === ""
              ? "開始の何時間前に送るかを入力してください。"
              : `何時間前かは${min}〜${max}の整数で入力してください。`,
        });
    } else {
      issues.push({ path: `reminderKind${i}`, message: "リマインダーの種類を選択してください。" });
    }
    if (!rule) continue;
    if (seen.has(ruleKey(rule))) {
      issues.push({ path: `reminderKind${i}`, message: "同じリマインダーがほかの行にあります。" });
      continue;
    }
    seen.add(ruleKey(rule));
    rules.push(rule);
  }
  return { rules: normaliseRules(rules), issues };
}

/** Stored rules as the form's string values. */
export function reminderFormValues(rules: readonly ReminderRule[]): Record<string, string> {
  const values: Record<string, string> = {};
  rules.slice(0, REMINDER_ROWS).forEach((r, i) => {
    values[`reminderKind${i}`] = r.kind;
    if (r.kind === "days-before") {
      values[`reminderDays${i}`] = String(r.days);
      values[`reminderAt${i}`] = r.at;
    } else values[`reminderHours${i}`] = String(r.hours);
  });
  return values;
}

/** The reminder fields of a new service's form: the product's default rules (the day before at 10:00, 2 hours before). */
export function defaultReminderFormValues() {
  return reminderFormValues(DEFAULT_REMINDER_RULES);
}
