import type { LookupStatus } from "#db/schema/index";

/**
 * The pure rules of a status lookup (issue 19): how a key is normalised and checked, how a status
 * is matched from a CSV cell, and how its resident text is filled. No database, no secrets.
 */

/** 申請番号 as residents type them: full-width digits/letters, hyphens and spaces removed, upper case. */
export function normaliseKey(input: string): string {
  return input
    .normalize("NFKC")
    .replace(/[\s\-‐‑‒–—―ー－]/g, "")
    .toUpperCase();
}

/** The stored pattern of a lookup's key: `digits:<n>` → exactly n digits, otherwise an anchored regex. */
export function keyPatternOf(format: { kind: "digits"; length: number } | { kind: "regex"; source: string }): string {
  return format.kind === "digits" ? `^\\d{${format.length}}$` : `^(?:${format.source})$`;
}

export function keyMatches(pattern: string, normalised: string): boolean {
  try {
    return new RegExp(pattern, "u").test(normalised);
  } catch {
    return false;
  }
}

/** Whether a staff-written regular expression compiles (the form refuses one that does not). */
export function isValidPattern(source: string): boolean {
  try {
    new RegExp(`^(?:${source})$`, "u");
    return true;
  } catch {
    return false;
  }
}

const fold = (s: string) => s.normalize("NFKC").replace(/\s+/g, "").toLowerCase();

/** A CSV cell → the lookup's status, by its code or its label (either as staff wrote it). */
export function findStatus(statuses: readonly LookupStatus[], cell: string): LookupStatus | null {
  const c = fold(cell);
  if (!c) return null;
  return statuses.find((s) => fold(s.code) === c || fold(s.label) === c) ?? null;
}

/** Whether a status's text shows a date (振込予定日 {{date}}): then each row needs one. */
export const needsDate = (s: LookupStatus) => s.text.includes("{{date}}");

/** The resident-facing text with its date filled in (already formatted for the reader's language). */
export function statusText(s: LookupStatus, dateText: string | null): string {
  return s.text.replaceAll("{{date}}", dateText ?? "");
}

/** "受付済み=書類を受け付けました。" lines (the staff form) ↔ statuses. Codes are s1, s2… in order. */
export function parseStatusLines(raw: string): LookupStatus[] | string {
  const lines = raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) return "状況を1つ以上入力してください。";
  if (lines.length > 20) return "状況は20個までにしてください。";
  const out: LookupStatus[] = [];
  for (const [i, line] of lines.entries()) {
    const at = line.search(/[=＝]/);
    if (at <= 0) return `状況の${i + 1}行目は「状況名=住民に見せる文」の形で書いてください。`;
    const label = line.slice(0, at).trim();
    const text = line.slice(at + 1).trim();
    if (!label || !text) return `状況の${i + 1}行目の状況名か文が空です。`;
    if (label.length > 30) return `状況の${i + 1}行目の状況名は30文字以内にしてください。`;
    if (text.length > 500) return `状況の${i + 1}行目の文は500文字以内にしてください。`;
    if (out.some((s) => fold(s.label) === fold(label))) return `状況「${label}」が重複しています。`;
    out.push({ code: `s${i + 1}`, label, text });
  }
  return out;
}

export const statusLines = (statuses: readonly LookupStatus[]) =>
  statuses.map((s) => `${s.label}=${s.text}`).join("\n");

/** open → the lookup answers; before/after its dates it says so. Dates are Japan-time calendar days. */
export function lookupPhase(l: { opensOn: string; closesOn: string }, today: string): "before" | "open" | "closed" {
  if (today < l.opensOn) return "before";
  if (today > l.closesOn) return "closed";
  return "open";
}

/** A stored pattern back into the form's fields. */
export function keyFormatOf(pattern: string): { keyFormat: "digits" | "regex"; keyDigits: string; keyRegex: string } {
  const digits = /^\^\\d\{(\d+)\}\$$/.exec(pattern);
  if (digits) return { keyFormat: "digits", keyDigits: digits[1]!, keyRegex: "" };
  return { keyFormat: "regex", keyDigits: "", keyRegex: pattern.replace(/^\^\(\?:/, "").replace(/\)\$$/, "") };
}
