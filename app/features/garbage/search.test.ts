import { describe, expect, it } from "vitest";
import type { GarbageItem } from "./dataset";
import { fold, searchItems } from "./search";

const items: GarbageItem[] = [
  { category: "有害ごみ", name: "電池", notice: "", furigana: "でんち" },
  { category: "有害ごみ", name: "乾電池", notice: "", furigana: "かんでんち" },
  { category: "有害ごみ", name: "体温計（水銀）", notice: "", furigana: "たいおんけい" },
  { category: "資源", name: "ペットボトル", notice: "", furigana: "ぺっとぼとる" },
  { category: "燃やすごみ", name: "ペットボトルのキャップ", notice: "", furigana: "" },
  { category: "資源", name: "スプレー缶", notice: "", furigana: "すぷれーかん" },
];
const names = (q: string) => searchItems(items, q).map((i) => i.name);

describe("item search", () => {
  it("folds width and kana", () => {
    expect(fold("ﾍﾟｯﾄﾎﾞﾄﾙ")).toBe(fold("ぺっとぼとる"));
    expect(fold("ＰＥＴ ボトル")).toBe("petぼとる");
  });

  it("answers an exact name or reading alone, in any kana or width", () => {
    for (const q of ["ペットボトル", "ぺっとぼとる", "ﾍﾟｯﾄﾎﾞﾄﾙ", "ペットボトルの出し方"])
      expect(names(q), q).toEqual(["ペットボトル"]);
    expect(names("電池")).toEqual(["電池"]);
    expect(names("スプレー缶はどうやって捨てる？")).toEqual(["スプレー缶"]);
    expect(names("体温計")).toEqual(["体温計（水銀）"]);
  });

  it("offers the closest few when nothing is exact, and nothing for unrelated text", () => {
    expect(names("ペット")).toEqual(["ペットボトル", "ペットボトルのキャップ"]);
    expect(names("こんにちは")).toEqual([]);
    expect(names("😀")).toEqual([]);
  });
});
