import { Fragment, type ReactNode } from "react";
import { useRouteLoaderData } from "react-router";
import { i18n, resolveLanguage, t as text, tPlain } from "./index";
import { localizeMessage } from "./messages";
import { parseRuby, rubyToParentheses } from "./ruby";
import type { Vars } from "./translator";

/** Catalogue text on a page: `{漢字|かんじ}` becomes <ruby>漢字<rt>かんじ</rt></ruby>. */
export function RubyText({ text: source }: { text: string }) {
  const parts = parseRuby(source);
  return (
    <>
      {parts.map((p, i) =>
        p.reading ? (
          <ruby key={i}>
            {p.text}
            <rp>（</rp>
            <rt>{p.reading}</rt>
            <rp>）</rp>
          </ruby>
        ) : (
          <Fragment key={i}>{p.text}</Fragment>
        ),
      )}
    </>
  );
}

/** The page's language, chosen by the root loader (ADR 039); Japanese before it has run. */
export function useLanguage(): string {
  const root = useRouteLoaderData("root") as { lang?: string } | undefined;
  return resolveLanguage(root?.lang);
}

export type PageT = {
  lang: string;
  /** Rich text for the page: furigana as <ruby>. */
  t: (key: string, vars?: Vars) => ReactNode;
  /** Plain text for attributes and string-only props: furigana in parentheses. */
  ts: (key: string, vars?: Vars) => string;
  /** Plain text without readings: document titles. */
  tp: (key: string, vars?: Vars) => string;
  /** The message with its ruby markup, to put inside another message's {{value}} (rendered by `t`). */
  raw: (key: string, vars?: Vars) => string;
  /** A feature's message (Japanese from the catalogue, ADR 043) in the page's language. */
  tm: (message: string) => ReactNode;
  /** The same as plain text, for attributes. */
  tms: (message: string) => string;
};

export function pageT(lang: string): PageT {
  return {
    lang,
    t: (key, vars) => <RubyText text={i18n.raw(lang, key, vars)} />,
    ts: (key, vars) => text(lang, key, vars),
    tp: (key, vars) => tPlain(lang, key, vars),
    raw: (key, vars) => i18n.raw(lang, key, vars),
    tm: (message) => <RubyText text={localizeMessage(lang, message)} />,
    tms: (message) => rubyToParentheses(localizeMessage(lang, message)),
  };
}

export function useT(): PageT {
  return pageT(useLanguage());
}
