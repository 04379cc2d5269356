/**
 * Furigana markup in the catalogue (ADR 038): `{漢字|かんじ}` is a word with its reading. Pages show
 * it as <ruby> (see ruby-text.tsx); LINE messages and e-mails, which cannot carry ruby, show
 * 漢字（かんじ）, the form the 出入国在留管理庁・文化庁 guideline suggests for plain text.
 */
export type RubySegment = { text: string; reading?: string };

// A base of one or more characters other than braces and the bar, then its reading.
const RUBY = /\{([^{}|]+)\|([^{}|]+)\}/g;

export function parseRuby(text: string): RubySegment[] {
  const out: RubySegment[] = [];
  let last = 0;
  for (const m of text.matchAll(RUBY)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ text: m[1]!, reading: m[2]! });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** 漢字（かんじ）: for LINE, e-mail and anything else that is plain text. */
export function rubyToParentheses(text: string): string {
  return text.replace(RUBY, "$1（$2）");
}

/** 漢字 alone: for places with tight limits or where readings would be noise (titles, labels). */
export function stripRuby(text: string): string {
  return text.replace(RUBY, "$1");
}
