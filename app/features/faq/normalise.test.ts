import { describe, expect, it } from "vitest";
import { foldText, terms } from "./normalise";

describe("FAQ folding", () => {
  it("width, script and long-vowel variants fold to one string", () => {
    const forms = ["ぺっとぼとる", "ﾍﾟｯﾄﾎﾞﾄﾙ", "ペットボトル", "ペットボトル"];
    expect(new Set(forms.map(foldText)).size).toBe(1);
    expect(foldText("コンピューター")).toBe(foldText("コンピュータ"));
    expect(foldText("ＡＢＣ　１２３")).toBe("abc 123");
  });

  it("okurigana after a kanji is dropped, katakana after a kanji is kept", () => {
    expect(foldText("受け取り")).toBe(foldText("受取"));
    expect(foldText("申し込み")).toBe(foldText("申込"));
    expect(foldText("新型コロナ")).toBe("新型ころな");
  });

  it("emoji, punctuation and control characters vanish", () => {
    expect(foldText("👍🎉")).toBe("");
    expect(foldText("\u0000\u0007？！")).toBe("");
    expect(terms("住民票")).toEqual(["住民", "民票"]);
  });
});
