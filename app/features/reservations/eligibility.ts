import type { EligibilityPhase } from "#db/schema/reservations";

/** Age in whole years on a date (birthday rule: you are a year older on your birthday). */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number];
  const [y, m, d] = on.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * Whether a resident may book now, by the service's phased opening (e.g. 65+ from one date and time,
 * everyone from a later one). No phases means open to all. Returns when they may book if not yet.
 */
export function eligibility(
  phases: EligibilityPhase[],
  birthDate: string,
  ageReferenceDate: string,
  now: Date,
): { ok: true } | { ok: false; opensAt: Date | null } {
  if (phases.length === 0) return { ok: true };
  const age = ageOn(birthDate, ageReferenceDate);
  const mine = phases.filter((p) => age >= p.minAge).map((p) => new Date(p.opensAt));
  if (mine.length === 0) return { ok: false, opensAt: null };
  const earliest = new Date(Math.min(...mine.map((d) => d.getTime())));
  return earliest <= now ? { ok: true } : { ok: false, opensAt: earliest };
}

/** The earliest moment dose `dose` may be given, given the previous dose's slot start. */
export function earliestNextDose(previousDoseAt: Date, minIntervalDays: number): Date {
  return new Date(previousDoseAt.getTime() + minIntervalDays * 24 * 3600 * 1000);
}

/** Change/cancel cut-off: true while the slot is more than `cutoffHours` away. */
export function beforeCutoff(slotStartsAt: Date, cutoffHours: number, now: Date) {
  return slotStartsAt.getTime() - now.getTime() > cutoffHours * 3600 * 1000;
}

/** Confirmation codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L). */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export function confirmationCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
}
