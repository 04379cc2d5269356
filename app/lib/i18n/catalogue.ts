/**
 * The message catalogue (ADR 038): one folder per language under app/locales, one JSON file per
 * namespace. Languages are discovered from the folders at build time, so adding one is a folder of
 * files and no code. Japanese (`ja`) is the reference every other language falls back to, key by key.
 */
export type Messages = { [key: string]: string | Messages };
export type LanguageInfo = {
  /** The folder name, used in ?lang=, the cookie and the friend's `language` column. */
  code: string;
  /** The language's own name, for the switch (`common:language.name`). */
  name: string;
  /** What <html lang> says (やさしい日本語 is still Japanese to a browser and a screen reader). */
  htmlLang: string;
};
export type Catalogue = {
  languages: LanguageInfo[];
  /** resources[lang][namespace] = messages */
  resources: Record<string, Record<string, Messages>>;
};

export const REFERENCE_LANGUAGE = "ja";
// Folder names are language tags (BCP 47 with private-use parts), never anything else.
const TAG = /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i;

/** Builds a catalogue from `{ "<dir>/<lang>/<ns>.json": messages }`, as import.meta.glob returns. */
export function buildCatalogue(files: Record<string, unknown>): Catalogue {
  const resources: Catalogue["resources"] = {};
  for (const [path, json] of Object.entries(files)) {
    const m = /\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!m || !TAG.test(m[1]!)) continue;
    const [, lang, ns] = m as unknown as [string, string, string];
    (resources[lang] ??= {})[ns] = json as Messages;
  }
  const info = (code: string): LanguageInfo => {
    const lang = (resources[code]?.common?.language ?? {}) as Messages;
    return {
      code,
      name: typeof lang.name === "string" ? lang.name : code,
      htmlLang: typeof lang.htmlLang === "string" ? lang.htmlLang : code,
    };
  };
  // Japanese first (the reference and the default), then the rest in folder order.
  const codes = Object.keys(resources).sort((a, b) =>
    a === REFERENCE_LANGUAGE ? -1 : b === REFERENCE_LANGUAGE ? 1 : a.localeCompare(b),
  );
  return { languages: codes.map(info), resources };
}

/** Every leaf key of a namespace as `a.b.c`, for the completeness test. */
export function leafKeys(messages: Messages, prefix = ""): string[] {
  return Object.entries(messages).flatMap(([k, v]) =>
    typeof v === "string" ? [`${prefix}${k}`] : leafKeys(v, `${prefix}${k}.`),
  );
}
