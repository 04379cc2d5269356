import { buildCatalogue, REFERENCE_LANGUAGE } from "./catalogue";
import { rubyToParentheses, stripRuby } from "./ruby";
import { createTranslator, type Vars } from "./translator";

/**
 * The app's catalogue and `t`, the same on the server, in the browser and in the worker (ADR 038).
 * Vite (dev server, builds, Vitest) inlines the JSON files of app/locales/<lang>/ at build time. The
 * development worker runs under tsx, which has no import.meta.glob: it reads the same folders.
 */
function localeFiles(): Record<string, unknown> {
  try {
    return import.meta.glob("../../locales/*/*.json", { eager: true, import: "default" });
  } catch {
    return readLocalesFromDisk();
  }
}

function readLocalesFromDisk(): Record<string, unknown> {
  const fs = process.getBuiltinModule("node:fs");
  const dir = new URL("../../locales/", import.meta.url);
  const files: Record<string, unknown> = {};
  for (const lang of fs.readdirSync(dir)) {
    const langDir = new URL(`${lang}/`, dir);
    if (!fs.statSync(langDir).isDirectory()) continue;
    for (const f of fs.readdirSync(langDir).filter((n) => n.endsWith(".json")))
      files[`/locales/${lang}/${f}`] = JSON.parse(fs.readFileSync(new URL(f, langDir), "utf8"));
  }
  return files;
}

export const catalogue = buildCatalogue(localeFiles());
export const i18n = createTranslator(catalogue);
export const LANGUAGES = catalogue.languages;
export { REFERENCE_LANGUAGE };

/** A shipped language code, or Japanese for anything else (unknown, empty, hostile). */
export function resolveLanguage(code: string | null | undefined): string {
  return i18n.known(code) ?? REFERENCE_LANGUAGE;
}

/**
 * Plain text in a language, furigana in parentheses: LINE messages, e-mails, reminders. Phase 2
 * renders those per friend or reservation with this.
 */
export function t(lang: string, key: string, vars?: Vars): string {
  return rubyToParentheses(i18n.raw(lang, key, vars));
}

/** Plain text without readings: <title>, LINE quick-reply labels (20 characters at most). */
export function tPlain(lang: string, key: string, vars?: Vars): string {
  return stripRuby(i18n.raw(lang, key, vars));
}

/**
 * The best shipped language for a list of tags in order of preference (`ja-x-easy`, `en-GB`,
 * `zh-Hant`…), or null. An exact tag wins; otherwise the primary subtag (`en-GB` → `en`,
 * `ja-JP` → `ja`, never `ja-x-easy`, which only an exact choice selects).
 */
export function matchLanguage(tags: readonly string[]): string | null {
  const codes = LANGUAGES.map((l) => l.code.toLowerCase());
  for (const raw of tags) {
    const tag = raw.trim().toLowerCase();
    const exact = codes.indexOf(tag);
    if (exact >= 0) return LANGUAGES[exact]!.code;
    const base = codes.indexOf(tag.split("-")[0]!);
    if (base >= 0) return LANGUAGES[base]!.code;
  }
  return null;
}
