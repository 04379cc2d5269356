import type { GarbageItem } from "./dataset";

/**
 * Item search tolerant of width and kana: 「ﾍﾟｯﾄﾎﾞﾄﾙ」「ペットボトル」「ぺっとぼとる」 are the same
 * (NFKC folds half-width kana and full-width letters; katakana is folded to hiragana), spaces and
 * punctuation are ignored, and a bracketed qualifier (「体温計（水銀）」) does not stop a match on
 * the word before it. Matches come only from the city's target.csv: nothing is invented.
 */
export function fold(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
    .replace(/[\s・、。,.!?！？「」『』"'()（）［］[\]]/g, "");
}

const base = (name: string) => name.replace(/[（(].*$/, "");

/** Phrases residents wrap an item in: 「電池の出し方」「スプレー缶はどうやって捨てる？」. */
const WRAPPERS =
  /(の(出し方|だしかた|捨て方|すてかた|分け方|わけかた|分別|ぶんべつ|収集日|日)|は(何|なに)ごみ|はどうやって(捨てる|すてる|出す|だす)|はどこ|を(捨てたい|すてたい|出したい|だしたい)|ってなにごみ|ごみ)$/;

export function itemQuery(text: string): string {
  const t = fold(text);
  const stripped = t.replace(/[?？]$/, "").replace(WRAPPERS, "");
  return stripped || t;
}

/** Best matches first: exact name or reading, then the name before its bracket, then containment. */
export function searchItems(items: GarbageItem[], text: string, limit = 3): GarbageItem[] {
  const q = itemQuery(text);
  if (!q || q.length > 40) return [];
  const scored: { item: GarbageItem; score: number }[] = [];
  for (const item of items) {
    const name = fold(item.name);
    const reading = fold(item.furigana);
    let score = 0;
    if (name === q || reading === q) score = 4;
    else if (fold(base(item.name)) === q) score = 3;
    else if (name.includes(q) || (reading && reading.includes(q))) score = q.length >= 2 ? 2 : 0;
    else if (q.includes(name) && name.length >= 2) score = 1;
    if (score) scored.push({ item, score });
  }
  const top = Math.max(0, ...scored.map((s) => s.score));
  // An exact hit answers alone; otherwise the closest few are offered.
  return scored
    .filter((s) => (top >= 3 ? s.score === top : true))
    .sort((a, b) => b.score - a.score || a.item.name.length - b.item.name.length)
    .slice(0, limit)
    .map((s) => s.item);
}
