import {
  formatDateJa,
  formatDateTimeJa,
  formatEraYear,
  formatTimeJa,
  formatTokyo,
  toInstant,
  type DateInput,
} from "../japan-time";

/**
 * A date and time in Japan, written for a reader of `lang` (issue 15): Japanese with the era, as
 * residents know it from the city's letters ("令和8年12月2日(水) 9:30"); やさしい日本語 with the
 * western year, as the 出入国在留管理庁・文化庁 guideline advises for readers who do not know the eras
 * ("2026年12月2日(水) 9:30"); every other language western and in English word order
 * ("Wed 2 December 2026, 9:30"). Always Japan time (the session is in Japan, wherever the phone is).
 * Built on japan-time.ts, the one place that formats Japan time (ADR 035).
 */
export function formatDateTimeFor(lang: string, input: DateInput): string {
  if (lang === "ja") return `${formatDateFor(lang, input)} ${formatTimeJa(input)}`;
  if (lang === "ja-x-easy") return formatDateTimeJa(input);
  return formatTokyo(toInstant(input), "EEE d MMMM yyyy, H:mm");
}

/** The day alone, in the same three styles. */
export function formatDateFor(lang: string, input: DateInput): string {
  // formatDateJa is "2026年12月2日(水)": the western year is swapped for the era year of that very day.
  if (lang === "ja") return formatDateJa(input).replace(/^\d+年/, formatEraYear(input));
  if (lang === "ja-x-easy") return formatDateJa(input);
  return formatTokyo(toInstant(input), "EEE d MMMM yyyy");
}
