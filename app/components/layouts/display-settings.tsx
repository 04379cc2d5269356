import { useLocation } from "react-router";
import { LANGUAGES } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";

/** This page's URL with one display setting changed (`?lang=` or `?text=`), the rest kept. */
function withParam(pathname: string, search: string, name: string, value: string) {
  const params = new URLSearchParams(search);
  params.set(name, value);
  return `${pathname}?${params.toString()}`;
}

/**
 * The language switch and 「文字を大きく」 on every resident page (ADR 039). Plain links: they work
 * without JavaScript, and the full page load lets the server set the cookie and <html lang>. Each
 * language's name is written in that language, and marked so screen readers say it in it.
 */
export function DisplaySettings({ largeText }: { largeText: boolean }) {
  const { lang, t, ts } = useT();
  const { pathname, search } = useLocation();
  return (
    <nav aria-label={ts("layout.settings")} className="border-b border-solid-gray-200 bg-solid-gray-50">
      <div className="mx-auto flex max-w-3xl flex-wrap items-center gap-x-6 gap-y-1 px-4 py-1">
        <div className="flex flex-wrap items-center gap-x-3">
          <span className="font-bold" id="language-switch-label">
            {t("layout.language")}
          </span>
          <ul aria-labelledby="language-switch-label" className="flex flex-wrap gap-x-3">
            {LANGUAGES.map((l) => (
              <li key={l.code}>
                <a
                  href={withParam(pathname, search, "lang", l.code)}
                  lang={l.htmlLang}
                  hrefLang={l.htmlLang}
                  aria-current={l.code === lang ? "true" : undefined}
                  className="inline-flex min-h-tap min-w-tap items-center justify-center aria-[current=true]:font-bold aria-[current=true]:no-underline"
                >
                  {l.name}
                </a>
              </li>
            ))}
          </ul>
        </div>
        <a
          href={withParam(pathname, search, "text", largeText ? "normal" : "large")}
          className="inline-flex min-h-tap min-w-tap items-center justify-center"
        >
          {largeText ? t("layout.textNormal") : t("layout.textLarge")}
        </a>
      </div>
    </nav>
  );
}
