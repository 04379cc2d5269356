import { describe, expect, it } from "vitest";
import { buildFaqIndex } from "../app/features/faq/match";
import { DEMO_FAQ } from "./seed-faq";

/** The demo FAQ answers the questions the demo script suggests trying (issue 16). */
const index = buildFaqIndex(DEMO_FAQ.map((e, i) => ({ ...e, id: String(i), variants: e.variants ?? [] })));
const kind = (q: string) => index.search(q).kind;
const question = (q: string) => {
  const m = index.search(q);
  return m.kind === "one" ? m.entry.question : null;
};

describe("the demo FAQ", () => {
  it("has 30+ entries over the usual categories", () => {
    expect(DEMO_FAQ.length).toBeGreaterThanOrEqual(30);
    expect(new Set(DEMO_FAQ.map((e) => e.category)).size).toBeGreaterThanOrEqual(8);
  });

  it("answers clear questions, offers choices for broad ones, and knows nothing else", () => {
    expect(question("マイナカード 受取")).toBe("マイナンバーカードの受け取りに必要なものは？");
    for (const q of ["ぺっとぼとる", "ﾍﾟｯﾄﾎﾞﾄﾙ", "ペットボトル"]) expect(question(q)).toBe("ペットボトルの出し方は？");
    expect(question("粗大ごみを出したい")).toBe("粗大ごみの出し方は？");
    expect(question("児童手当の振込日")).toBe("児童手当はいつ振り込まれますか？");
    expect(question("住民票をコンビニで取りたい")).toBe("住民票の写しの取り方は？");
    expect(kind("マイナンバーカード")).toBe("several");
    expect(kind("児童手当")).toBe("several");
    expect(kind("犬の登録")).toBe("none");
    expect(kind("図書館の休館日")).toBe("none");
  });
});
