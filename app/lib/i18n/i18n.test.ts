import { describe, expect, it } from "vitest";
import { buildCatalogue, leafKeys, REFERENCE_LANGUAGE, type Messages } from "./catalogue";
import { catalogue, resolveLanguage, t, tPlain } from "./index";
import { parseRuby, rubyToParentheses, stripRuby } from "./ruby";
import { createTranslator } from "./translator";

const shipped = import.meta.glob("../../locales/*/*.json", { eager: true, import: "default" });
// A stub language that exists only for tests: adding a language is a folder of JSON files.
const stub = import.meta.glob("../../../tests/fixtures/locales/*/*.json", { eager: true, import: "default" });

describe("the shipped catalogue", () => {
  it("ships Japanese, やさしい日本語 and English, Japanese first, discovered from the folders", () => {
    expect(catalogue.languages).toEqual([
      { code: "ja", name: "日本語", htmlLang: "ja" },
      { code: "en", name: "English", htmlLang: "en" },
      { code: "ja-x-easy", name: "やさしい にほんご", htmlLang: "ja" },
    ]);
  });

  // The completeness gate: a key that Japanese (the reference) has must exist in every shipped
  // language, and no language may carry keys Japanese does not have (a typo would never be shown).
  const ja = catalogue.resources[REFERENCE_LANGUAGE]!;
  const base = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, "");
  for (const { code } of catalogue.languages.filter((l) => l.code !== REFERENCE_LANGUAGE)) {
    for (const ns of Object.keys(ja)) {
      it(`${code}/${ns}.json has every key of ja/${ns}.json and no other`, () => {
        const own = new Set(leafKeys(catalogue.resources[code]?.[ns] ?? {}).map(base));
        const ref = new Set(leafKeys(ja[ns]!).map(base));
        expect(
          [...ref].filter((k) => !own.has(k)),
          "missing",
        ).toEqual([]);
        expect(
          [...own].filter((k) => !ref.has(k)),
          "unknown",
        ).toEqual([]);
      });
    }
  }

  it("every message is non-empty, and its {{placeholders}} and ruby markup are well formed", () => {
    for (const [lang, namespaces] of Object.entries(catalogue.resources))
      for (const [ns, messages] of Object.entries(namespaces)) {
        const jaNs = catalogue.resources.ja![ns]!;
        for (const key of leafKeys(messages)) {
          const value = key.split(".").reduce<Messages | string>((m, p) => (m as Messages)[p]!, messages) as string;
          expect(value.trim(), `${lang}/${ns}:${key}`).not.toBe("");
          // Braces left after ruby and placeholders are removed mean broken markup.
          expect(stripRuby(value).replace(/\{\{\w+\}\}/g, ""), `${lang}/${ns}:${key}`).not.toMatch(/[{}|]/);
          const jaValue = key
            .replace(/_(one|other)$/, "")
            .split(".")
            .reduce<Messages | string | undefined>((m, p) => (m as Messages | undefined)?.[p], jaNs);
          const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
          if (typeof jaValue === "string")
            expect(vars(value), `${lang}/${ns}:${key} placeholders`).toEqual(vars(jaValue));
        }
      }
  });
});

describe("t", () => {
  it("renders a message with its variables; furigana as parentheses in plain text, or dropped", () => {
    expect(t("ja", "city.title", { city: "紀ノ川デモ市" })).toBe("紀ノ川デモ市 オンライン窓口");
    expect(t("en", "city.title", { city: "Kinokawa" })).toBe("Kinokawa Online Services");
    expect(t("ja-x-easy", "home.reserve.link")).toBe("予約（よやく）する");
    expect(tPlain("ja-x-easy", "home.reserve.link")).toBe("予約する");
    expect(t("en", "line:gender.female")).toBe("Female");
  });

  it("uses plurals where a language has them", () => {
    expect(t("en", "waiting.ahead", { count: 1 })).toBe("About 1 person is ahead of you");
    expect(t("en", "waiting.ahead", { count: 4 })).toBe("About 4 people are ahead of you");
    expect(t("ja", "waiting.ahead", { count: 4 })).toBe("あなたの前に約4人");
  });

  it("an unknown or hostile language falls back to Japanese", () => {
    for (const lang of ["xx", "", "EN", "../ja", "ja-x-easy-ish", "__proto__"]) {
      expect(resolveLanguage(lang)).toBe("ja");
      expect(t(lang, "layout.language")).toBe("言語");
    }
    expect(resolveLanguage(null)).toBe("ja");
  });

  it("a key missing everywhere is empty text and logged once, never the raw key", () => {
    const missing: string[] = [];
    const tr = createTranslator(buildCatalogue(shipped), { onMissing: (k) => missing.push(k), onFallback: () => {} });
    expect(tr.raw("en", "home.noSuchKey")).toBe("");
    expect(tr.raw("ja", "home.noSuchKey")).toBe("");
    expect(missing).toEqual(["home.noSuchKey"]);
  });
});

describe("a language added as a folder (the test-only stub `de`)", () => {
  const fallbacks: string[] = [];
  const tr = createTranslator(buildCatalogue({ ...shipped, ...stub }), {
    onFallback: (lang, key) => fallbacks.push(`${lang} ${key}`),
  });

  it("is discovered with its own name and html lang, and no code", () => {
    expect(tr.languages.map((l) => l.code)).toEqual(["ja", "de", "en", "ja-x-easy"]);
    expect(tr.info("de")).toEqual({ code: "de", name: "Deutsch", htmlLang: "de" });
  });

  it("shows its own messages and falls back to Japanese key by key, logging each key once", () => {
    expect(tr.raw("de", "city.title", { city: "Kinokawa" })).toBe("Kinokawa Online-Dienste");
    expect(tr.raw("de", "layout.language")).toBe("Sprache");
    expect(tr.raw("de", "layout.textLarge")).toBe("文字を大きく");
    expect(tr.raw("de", "layout.textLarge")).toBe("文字を大きく");
    expect(tr.raw("de", "line:settings.title")).toBe("受信設定");
    expect(fallbacks).toEqual(["de layout.textLarge", "de line:settings.title"]);
  });
});

describe("ruby markup", () => {
  it("parses {漢字|かんじ} into base and reading, leaving other text alone", () => {
    expect(parseRuby("{予約|よやく}を {見|み}る")).toEqual([
      { text: "予約", reading: "よやく" },
      { text: "を " },
      { text: "見", reading: "み" },
      { text: "る" },
    ]);
    expect(parseRuby("{{city}} と {壊れた")).toEqual([{ text: "{{city}} と {壊れた" }]);
    expect(rubyToParentheses("{窓口|まどぐち}へ")).toBe("窓口（まどぐち）へ");
  });
});
