import { leafKeys, REFERENCE_LANGUAGE, type Messages } from "./catalogue";
import { catalogue, i18n, t } from "./index";

/**
 * Messages that features hand to pages (validation, refusals, rate limits) travel as their Japanese
 * text, taken from the catalogue (`ja(key)`) — staff pages, logs and tests read that text as it is
 * (ADR 043). A resident page shows the same message in its own language with `localizeMessage`:
 * the Japanese text is looked up among the catalogue's Japanese messages and the key's text in the
 * page's language is returned. A text that is not in the catalogue (a city's own words) is shown as
 * it came.
 */

let reverse: Map<string, string> | null = null;

function reverseIndex(): Map<string, string> {
  if (reverse) return reverse;
  reverse = new Map();
  const ja = catalogue.resources[REFERENCE_LANGUAGE] ?? {};
  for (const [ns, messages] of Object.entries(ja))
    for (const key of leafKeys(messages)) {
      const value = key.split(".").reduce<Messages | string>((m, p) => (m as Messages)[p]!, messages);
      // Only whole messages without placeholders can be recognised from their text.
      if (typeof value === "string" && !value.includes("{{") && !reverse.has(value)) reverse.set(value, `${ns}:${key}`);
    }
  return reverse;
}

/** The Japanese text of a catalogue key, for features and schemas (the reference language). */
export function ja(key: string, vars?: Record<string, string | number>): string {
  return t(REFERENCE_LANGUAGE, key, vars);
}

/** The catalogue key a Japanese message came from, or null for text that is not in the catalogue. */
export function messageKey(message: string): string | null {
  return reverseIndex().get(message) ?? null;
}

/** A feature's message in `lang`, with its ruby markup left in (pages render it with <RubyText>). */
export function localizeMessage(lang: string, message: string): string {
  const key = messageKey(message);
  return key ? i18n.raw(lang, key) : message;
}
