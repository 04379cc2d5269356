import { describe, expect, it } from "vitest";
import { buildFaqIndex } from "./match";

const entries = [
  { id: "1", question: "マイナンバーカードの受け取り", variants: ["マイナカード 交付"] },
  { id: "2", question: "マイナンバーカードの申請方法", variants: [] },
  { id: "3", question: "マイナンバーカードの暗証番号を忘れた", variants: [] },
  { id: "4", question: "ペットボトルの出し方", variants: ["ペットボトル 捨て方"] },
  { id: "5", question: "住民票の写しの取り方", variants: ["住民票 取得", "住民票 コンビニ"] },
];
const index = buildFaqIndex(entries);
const ids = (text: string) => {
  const m = index.search(text);
  return m.kind === "one" ? [m.entry.id] : m.kind === "several" ? m.entries.map((e) => e.id) : [];
};

describe("FAQ matching", () => {
  it("a variant of a question finds it outright", () => {
    expect(index.search("マイナカード 受取")).toMatchObject({ kind: "one", entry: { id: "1" } });
    for (const q of ["ぺっとぼとる", "ﾍﾟｯﾄﾎﾞﾄﾙ", "ペットボトル"])
      expect(index.search(q)).toMatchObject({ kind: "one", entry: { id: "4" } });
    expect(index.search("住民票をコンビニで")).toMatchObject({ kind: "one", entry: { id: "5" } });
  });

  it("a question several entries cover offers up to three", () => {
    const m = index.search("マイナンバーカード");
    expect(m.kind).toBe("several");
    expect(ids("マイナンバーカード").sort()).toEqual(["1", "2", "3"]);
  });

  it("nothing registered: none, also for emoji and empty text", () => {
    for (const q of ["犬の登録", "👍", "", "。。。"]) expect(index.search(q)).toEqual({ kind: "none" });
    expect(buildFaqIndex([]).search("住民票")).toEqual({ kind: "none" });
  });
});
