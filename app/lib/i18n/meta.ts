import { resolveLanguage, tPlain } from "./index";

type Match = { loaderData?: unknown } | undefined;

/** The page's language in a `meta` function: the root loader's choice (ADR 039). */
export function metaLanguage(matches: readonly Match[]): string {
  return resolveLanguage((matches[0]?.loaderData as { lang?: string } | undefined)?.lang);
}

/** 「予約：本人確認 | 紀ノ川デモ市 オンライン窓口」 in the page's language, for <title>. */
export function residentTitle(matches: readonly Match[], pageKey: string, city: string | undefined): string {
  const lang = metaLanguage(matches);
  return `${tPlain(lang, pageKey)} | ${tPlain(lang, "city.title", { city: city ?? "" })}`;
}
