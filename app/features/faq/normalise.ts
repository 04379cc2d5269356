import { isKanji, toHiragana } from "wanakana";

/**
 * Folding for FAQ matching (ADR 048): the same question written with another width, script or
 * spelling folds to the same string, so 「ぺっとぼとる」「ﾍﾟｯﾄﾎﾞﾄﾙ」「ペットボトル」 are equal and
 * 「マイナカード 受取」 meets 「マイナンバーカードの受け取り」 on most of its pieces. Pure, no I/O.
 *
 * 1. NFKC: half-width kana and full-width letters/digits become their usual forms.
 * 2. Okurigana: a run of at most two hiragana right after a kanji is dropped (受け取り → 受取,
 *    申し込み → 申込), done before katakana is folded so a katakana word after a kanji keeps its start.
 * 3. The long-vowel mark and its look-alikes go (コンピューター = コンピュータ), then katakana becomes
 *    hiragana with wanakana; Latin letters are lower-cased.
 * 4. Only letters and digits stay: spaces and punctuation split the text into segments, emoji vanish;
 *    how a question ends (〜したい, 〜ですか) and a particle before a word (を, で, の…) split or go too.
 */
const OKURIGANA = /([\p{Script=Han}々])[\u3041-\u3096]{1,2}(?=[\p{Script=Han}々]|[^\u3041-\u3096]|$)/gu;
// A particle right before a kanji or katakana word splits the text there (粗大ごみを出す → 粗大ごみ 出す).
const PARTICLE = /([^\s])[をはがでにへとのもや](?=[\p{Script=Han}\p{Script=Katakana}])/gu;
// How questions end, not what they are about: dropped from the end of each piece (repeatedly).
const ENDING =
  /(について|を?教えて|を?おしえて|を?知りたい|ありますか|できますか|でしょうか|ですか|ますか|ですが|ください|したい|たい|です|ます|か)$/u;

function stripEndings(piece: string): string {
  let p = piece;
  for (let i = 0; i < 4; i++) {
    const next = p.replace(ENDING, "");
    if (next === p || !next) break;
    p = next;
  }
  return p;
}

export function foldSegments(input: string): string[] {
  const pieces = input
    .normalize("NFKC")
    .slice(0, 2000)
    .split(/[^\p{L}\p{N}ー]+/u)
    .filter(Boolean);
  return pieces
    .map(stripEndings)
    .join(" ")
    .replace(PARTICLE, "$1 ")
    .replace(OKURIGANA, "$1")
    .replace(/ー/g, "")
    .split(" ")
    .map((s) => toHiragana(s, { passRomaji: true }).toLowerCase().trim())
    .filter((s) => s.length > 0);
}

/** The folded text as one string (segments joined by a space): 未回答 keys and equality checks. */
export function foldText(input: string): string {
  return foldSegments(input).join(" ");
}

/**
 * Terms: character bigrams of each segment (a one-character segment is its own term). `kanji`: also
 * every kanji on its own — for indexing, so a one-kanji question (「犬」) still finds its entries.
 */
export function terms(input: string, opts: { kanji?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const seg of foldSegments(input)) {
    const chars = Array.from(seg);
    if (chars.length === 1) out.push(chars[0]!);
    else if (opts.kanji) for (const c of chars) if (isKanji(c)) out.push(c);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return out;
}
