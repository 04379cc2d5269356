import { ja } from "~/lib/i18n/messages";

/**
 * Every "no" the booking engine can give, as the Japanese text residents and staff see; the texts
 * live in the catalogue (`booking:errors.*`), and resident pages show them in the page's language.
 */
export const REFUSAL_MESSAGES = {
  full: ja("booking:errors.full"),
  closed: ja("booking:errors.closed"),
  "not-found": ja("booking:errors.notFound"),
  "outside-window": ja("booking:errors.outsideWindow"),
  "not-eligible": ja("booking:errors.notEligible"),
  "too-early-for-dose": ja("booking:errors.tooEarlyForDose"),
  "all-doses-done": ja("booking:errors.allDosesDone"),
  "already-booked": ja("booking:errors.alreadyBooked"),
  "past-cutoff": ja("booking:errors.pastCutoff"),
  "not-active": ja("booking:errors.notActive"),
} as const;

export type Refusal = keyof typeof REFUSAL_MESSAGES;
