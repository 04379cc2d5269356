import i18next from "i18next";
import { REFERENCE_LANGUAGE, type Catalogue, type LanguageInfo } from "./catalogue";

export type Vars = Record<string, string | number>;
export type TranslatorEvents = {
  /** A key missing in `lang` was taken from Japanese. Called once per language and key. */
  onFallback?: (lang: string, key: string) => void;
  /** A key missing even in Japanese: the text is empty, never the raw key. Once per key. */
  onMissing?: (key: string) => void;
};

export type Translator = {
  languages: LanguageInfo[];
  /** The language itself when shipped, else null (callers then fall back to Japanese). */
  known(code: string | null | undefined): string | null;
  info(code: string): LanguageInfo;
  /** The message with its ruby markup left in (pages render it with <RubyText>). */
  raw(lang: string, key: string, vars?: Vars): string;
};

// This module also runs in the browser, where console is the only logger; the server's pino logger
// (~/lib/log.server) cannot be imported here.
/* eslint-disable no-console */
const defaultEvents: Required<TranslatorEvents> = {
  onFallback: (lang, key) => console.warn(`[i18n] ${lang}: "${key}" is missing, shown in Japanese`),
  onMissing: (key) => console.error(`[i18n] "${key}" is missing in Japanese too; shown as empty text`),
};
/* eslint-enable no-console */

/**
 * i18next does the lookup, interpolation (`{{name}}`) and plurals (`key_one` / `key_other`); this
 * wrapper decides the language per key, so a key missing in one language falls back to Japanese
 * for that key alone, logged once, and a key missing everywhere is an empty string, never the key.
 */
export function createTranslator(catalogue: Catalogue, events: TranslatorEvents = {}): Translator {
  const on = { ...defaultEvents, ...events };
  const codes = catalogue.languages.map((l) => l.code);
  const namespaces = [...new Set(Object.values(catalogue.resources).flatMap((r) => Object.keys(r)))];
  const inst = i18next.createInstance();
  void inst.init({
    resources: catalogue.resources,
    lng: REFERENCE_LANGUAGE,
    fallbackLng: false,
    supportedLngs: codes,
    // Codes are folder names used as they are (`ja-x-easy` must not be read as Japanese + region).
    load: "currentOnly",
    cleanCode: false,
    ns: namespaces,
    defaultNS: "common",
    initAsync: false,
    returnEmptyString: false,
    // React escapes on pages, LINE is plain text and e-mails are rendered by React too.
    interpolation: { escapeValue: false },
  });
  const seen = new Set<string>();
  const once = (id: string, f: () => void) => {
    if (!seen.has(id)) {
      seen.add(id);
      f();
    }
  };
  const has = (lang: string, fullKey: string) => {
    const [ns, key] = fullKey.includes(":") ? (fullKey.split(":", 2) as [string, string]) : ["common", fullKey];
    return (
      typeof inst.getResource(lang, ns, key) === "string" ||
      typeof inst.getResource(lang, ns, `${key}_other`) === "string"
    );
  };
  const known = (code: string | null | undefined) => (code && codes.includes(code) ? code : null);
  return {
    languages: catalogue.languages,
    known,
    info: (code) => catalogue.languages.find((l) => l.code === code) ?? catalogue.languages[0]!,
    raw(lang, key, vars) {
      let use = known(lang) ?? REFERENCE_LANGUAGE;
      if (use !== REFERENCE_LANGUAGE && !has(use, key)) {
        once(`${use}\u0000${key}`, () => on.onFallback(use, key));
        use = REFERENCE_LANGUAGE;
      }
      if (!has(use, key)) {
        once(`\u0000${key}`, () => on.onMissing(key));
        return "";
      }
      return inst.t(key, { ...vars, lng: use }) as string;
    },
  };
}
