import type { BroadcastContent, BroadcastTextVersion, BroadcastVersions } from "#db/schema/index";
import { LANGUAGES, REFERENCE_LANGUAGE } from "~/lib/i18n";
import type { LanguageInfo } from "~/lib/i18n/catalogue";
import { rubyToParentheses } from "~/lib/i18n/ruby";

/**
 * Broadcasts in several languages (ADR 046). The Japanese message is the broadcast's `content`;
 * staff may add a version per other shipped language (やさしい日本語, English, and whatever folder
 * comes next) for what carries text — a text message, a card's title, body and button label. A
 * friend whose language has a version gets it; everyone else, Japanese. Pure and client-safe.
 */
export const VERSION_LANGUAGES: LanguageInfo[] = LANGUAGES.filter((l) => l.code !== REFERENCE_LANGUAGE);

/** The form field of a version: `text.en`, `cardTitle.ja-x-easy`; Japanese keeps the plain name. */
export const versionField = (field: string, lang: string) => (lang === REFERENCE_LANGUAGE ? field : `${field}.${lang}`);

/**
 * The content as a friend of `lang` receives it: the version's texts over the Japanese ones. A
 * version may carry the catalogue's furigana markup (`{漢字|かんじ}`, handy for やさしい日本語): LINE
 * cannot show ruby, so it goes out as 漢字（かんじ）, as the catalogue's own messages do (ADR 038).
 */
export function localizedContent(
  content: BroadcastContent,
  versions: BroadcastVersions,
  lang: string,
): BroadcastContent {
  const raw = versions[lang];
  if (!raw) return content;
  const v: BroadcastTextVersion = Object.fromEntries(
    Object.entries(raw).map(([k, text]) => [k, text ? rubyToParentheses(text) : text]),
  );
  if (content.kind === "text") return v.text ? { ...content, text: v.text } : content;
  if (content.kind === "flex")
    return {
      ...content,
      ...(v.title ? { title: v.title } : {}),
      ...(v.body ? { body: v.body } : {}),
      ...(v.buttonLabel && content.buttonLabel ? { buttonLabel: v.buttonLabel } : {}),
    };
  return content;
}

/** The languages that have a version: the ones delivery groups friends by (the rest get Japanese). */
export const versionLanguages = (versions: BroadcastVersions) =>
  Object.entries(versions)
    .filter(([lang, v]) => lang !== REFERENCE_LANGUAGE && v && Object.values(v).some(Boolean))
    .map(([lang]) => lang);

/** Which version a friend of language `friendLang` (null = not chosen) receives. */
export function versionFor(friendLang: string | null, versions: BroadcastVersions): string {
  return friendLang && versionLanguages(versions).includes(friendLang) ? friendLang : REFERENCE_LANGUAGE;
}

export type { BroadcastContent, BroadcastTextVersion, BroadcastVersions };
