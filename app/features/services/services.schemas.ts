import { z } from "zod";
import type { EligibilityPhase } from "#db/schema/reservations";
import { calendarDate, checkbox, intInRange, optionalText, requiredText } from "~/lib/zod-fields";
import { readReminderRows, reminderFormValues, REMINDER_ROWS } from "./reminder-fields";
import { parseTokyoLocal, toTokyoIso, toTokyoLocal } from "~/lib/japan-time";

/** Rows of "N歳以上 / 受付開始日時" on the form; five cover every rollout we know of (e.g. 65+, 60+, 16+, 12+, 0+). */
export const PHASE_ROWS = 5;

const JST_LOCAL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::\d{2})?$/;

/**
 * "2026-05-01T09:00" typed in Japan time (<input type="datetime-local"> has no zone) → the stored
 * ISO string with Japan's explicit offset, so the instant is unambiguous and still reads as Japan time.
 * Null when it is not a real date-time.
 */
export function jstLocalToIso(local: string): string | null {
  const m = JST_LOCAL.exec(local.normalize("NFKC").trim());
  if (!m) return null;
  // parseTokyoLocal rejects rollovers such as 2026-02-30 that Date quietly moves to March.
  const instant = parseTokyoLocal(`${m[1]}T${m[2]}`);
  return instant ? toTokyoIso(instant) : null;
}

/** The stored instant back to the datetime-local value in Japan time, for the edit form. */
export function isoToJstLocal(iso: string): string {
  const t = new Date(iso).getTime();
  return Number.isNaN(t) ? "" : toTokyoLocal(t);
}

const phaseFields = Object.fromEntries(
  Array.from({ length: PHASE_ROWS }, (_, i) => [
    [`phaseMinAge${i}`, z.string().optional()],
    [`phaseOpensAt${i}`, z.string().optional()],
  ]).flat(),
) as Record<string, z.ZodOptional<z.ZodString>>;

const reminderFields = Object.fromEntries(
  Array.from({ length: REMINDER_ROWS }, (_, i) =>
    ["reminderKind", "reminderDays", "reminderAt", "reminderHours"].map((f) => [`${f}${i}`, z.string().optional()]),
  ).flat(),
) as Record<string, z.ZodOptional<z.ZodString>>;

type PhaseIssue = { path: string; message: string };

/** The filled rows of the phase table, or the problems of each half-filled or wrong row. */
export function readPhaseRows(rec: Record<string, unknown>): { phases: EligibilityPhase[]; issues: PhaseIssue[] } {
  const phases: EligibilityPhase[] = [];
  const issues: PhaseIssue[] = [];
  const seenAges = new Set<number>();
  const str = (k: string) => (typeof rec[k] === "string" ? (rec[k] as string) : "").normalize("NFKC").trim();
  for (let i = 0; i < PHASE_ROWS; i++) {
    const age = str(`phaseMinAge${i}`);
    const opens = str(`phaseOpensAt${i}`);
    if (age === "" && opens === "") continue; // an unused row
    const ageOk = /^\d{1,3}$/.test(age) && Number(age) <= 130;
    if (!ageOk)
      issues.push({
        path: `phaseMinAge${i}`,
        message: age === "" ? "年齢を入力してください（全員が対象なら 0）。" : "年齢は0〜130の整数で入力してください。",
      });
    else if (seenAges.has(Number(age)))
      issues.push({ path: `phaseMinAge${i}`, message: "同じ年齢の段階がほかの行にあります。" });
    const opensAt = jstLocalToIso(opens);
    if (!opensAt)
      issues.push({
        path: `phaseOpensAt${i}`,
        message:
          opens === ""
            ? "受付開始日時を入力してください。"
            : "受付開始日時は「2026-05-01 09:00」の形で入力してください。",
      });
    if (ageOk) seenAges.add(Number(age));
    if (ageOk && opensAt) phases.push({ minAge: Number(age), opensAt });
  }
  // Stored in opening order, so the resident page can read the rollout top to bottom.
  phases.sort((a, b) => Date.parse(a.opensAt) - Date.parse(b.opensAt) || b.minAge - a.minAge);
  return { phases, issues };
}

export const serviceSchema = z
  .object({
    name: requiredText("サービス名", 80),
    description: optionalText("説明", 2000),
    doses: intInRange("接種回数", 1, 10, "回"),
    minIntervalDays: intInRange("接種間隔", 0, 365, "日"),
    ageReferenceDate: calendarDate("年齢の基準日"),
    bookingWindowDays: intInRange("予約受付期間", 1, 365, "日"),
    changeCutoffHours: intInRange("変更・キャンセルの締切", 0, 720, "時間"),
    whatToBring: optionalText("持ち物", 1000),
    active: checkbox(),
    ...phaseFields,
    ...reminderFields,
  })
  // `when`: check the phase rows even when another field failed, so staff see every problem at once.
  .superRefine(
    (v, ctx) => {
      for (const issue of [...readPhaseRows(v).issues, ...readReminderRows(v).issues])
        ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
    },
    { when: () => true },
  )
  .transform((v) => ({
    name: v.name,
    description: v.description,
    doses: v.doses,
    minIntervalDays: v.minIntervalDays,
    ageReferenceDate: v.ageReferenceDate,
    bookingWindowDays: v.bookingWindowDays,
    changeCutoffHours: v.changeCutoffHours,
    whatToBring: v.whatToBring,
    active: v.active,
    phases: readPhaseRows(v).phases,
    reminders: readReminderRows(v).rules,
  }));

export type ServiceInput = z.infer<typeof serviceSchema>;

/** A stored service as the form's string values (the shape parseForm echoes back on failure). */
export function serviceFormValues(s: ServiceInput): Record<string, string> {
  const values: Record<string, string> = {
    name: s.name,
    description: s.description,
    doses: String(s.doses),
    minIntervalDays: String(s.minIntervalDays),
    ageReferenceDate: s.ageReferenceDate,
    bookingWindowDays: String(s.bookingWindowDays),
    changeCutoffHours: String(s.changeCutoffHours),
    whatToBring: s.whatToBring,
    active: s.active ? "on" : "",
  };
  s.phases.slice(0, PHASE_ROWS).forEach((p, i) => {
    values[`phaseMinAge${i}`] = String(p.minAge);
    values[`phaseOpensAt${i}`] = isoToJstLocal(p.opensAt);
  });
  return { ...values, ...reminderFormValues(s.reminders) };
}
