import { describe, expect, it } from "vitest";
import { broadcastMessages } from "./message";
import { parseJstLocal, readComposeForm, recipientCountLabel } from "./compose";
import { checkBroadcastImage, MEDIA_MAX_BYTES } from "./media.server";
import { localizedContent, versionLanguages } from "./versions";

const city = {
  topics: [
    { key: "garbage", label: "ごみ" },
    { key: "events", label: "イベント" },
  ],
  areas: ["北", "南"],
};
const now = new Date("2026-11-21T03:00:00Z"); // 12:00 in Japan

function form(fields: Record<string, string | string[]>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
  return f;
}
const base = { title: "お知らせ", kind: "text", text: "本文", schedule: "now" };

describe("readComposeForm", () => {
  it("reads a text broadcast with its segment, dropping values the city does not have", () => {
    const r = readComposeForm(
      form({
        ...base,
        topics: ["garbage", "nope"],
        areas: ["南", "西"],
        genders: ["female", "robot"],
        ageBands: "30s",
        match: "any",
        topicsMatch: "all",
      }),
      city,
      now,
      { hasImage: false },
    );
    expect(r).toEqual({
      ok: true,
      draft: {
        title: "お知らせ",
        kind: "text",
        text: "本文",
        versions: {},
        segment: {
          match: "any",
          topics: ["garbage"],
          topicsMatch: "all",
          genders: ["female"],
          ageBands: ["30s"],
          areas: ["南"],
        },
        schedule: { mode: "now" },
      },
    });
  });

  it("refuses an empty or too-long message with the count, and a missing title", () => {
    const empty = readComposeForm(form({ ...base, text: "   ", title: "" }), city, now, { hasImage: false });
    expect(empty).toMatchObject({
      ok: false,
      errors: {
        text: expect.stringContaining("空のメッセージは配信できません"),
        title: expect.stringContaining("件名"),
      },
    });
    const long = readComposeForm(form({ ...base, text: "あ".repeat(5001) }), city, now, { hasImage: false });
    expect(long).toMatchObject({
      ok: false,
      errors: { text: "メッセージは5,000文字以内にしてください（いま5,001文字）。LINEの上限です。" },
    });
    expect(readComposeForm(form({ ...base, text: "あ".repeat(5000) }), city, now, { hasImage: false }).ok).toBe(true);
  });

  it("refuses a schedule in the past (Japan time) and accepts one in the future", () => {
    const past = readComposeForm(form({ ...base, schedule: "once", sendAt: "2026-11-21T11:59" }), city, now, {
      hasImage: false,
    });
    expect(past).toMatchObject({
      ok: false,
      errors: { sendAt: expect.stringContaining("過去の日時は指定できません") },
    });
    const later = readComposeForm(form({ ...base, schedule: "once", sendAt: "2026-11-21T12:01" }), city, now, {
      hasImage: false,
    });
    expect(later).toMatchObject({
      ok: true,
      draft: { schedule: { mode: "once", at: new Date("2026-11-21T03:01:00Z") } },
    });
    expect(parseJstLocal("2026-02-30T10:00")).toBeNull();
  });

  it("reads recurrence rules and explains what is missing", () => {
    const weekly = readComposeForm(
      form({ ...base, schedule: "recur", freq: "weekly", weekdays: ["1", "4"], time: "08:00" }),
      city,
      now,
      { hasImage: false },
    );
    expect(weekly).toMatchObject({
      ok: true,
      draft: { schedule: { mode: "recur", rule: { freq: "weekly", weekdays: [1, 4], time: "08:00" } } },
    });
    const nth = readComposeForm(
      form({ ...base, schedule: "recur", freq: "monthly-nth", weeks: ["1", "-1"], nthWeekday: "3", time: "07:00" }),
      city,
      now,
      { hasImage: false },
    );
    expect(nth).toMatchObject({
      ok: true,
      draft: { schedule: { rule: { freq: "monthly-nth", weeks: [1, -1], weekday: 3 } } },
    });
    expect(
      readComposeForm(form({ ...base, schedule: "recur", freq: "weekly", time: "08:00" }), city, now, {
        hasImage: false,
      }),
    ).toMatchObject({ ok: false, errors: { weekdays: "曜日を1つ以上選んでください。" } });
  });

  it("an image broadcast needs its image; a card's button needs an https link", () => {
    expect(readComposeForm(form({ ...base, kind: "image" }), city, now, { hasImage: false })).toMatchObject({
      ok: false,
      errors: { image: "配信する画像を選んでください。" },
    });
    const card = readComposeForm(
      form({
        ...base,
        kind: "flex",
        cardTitle: "見出し",
        cardBody: "本文",
        buttonLabel: "詳しく",
        buttonUrl: "http://example.jp",
      }),
      city,
      now,
      { hasImage: false },
    );
    expect(card).toMatchObject({ ok: false, errors: { buttonUrl: expect.stringContaining("https://") } });
  });
});

describe("images", () => {
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    Buffer.from("IHDR"),
    Buffer.from([0, 0, 4, 0, 0, 0, 3, 0]),
    Buffer.alloc(100),
  ]);
  it("accepts PNG/JPEG by their bytes and refuses other types and oversize files", () => {
    expect(checkBroadcastImage(png)).toEqual({ ok: true, type: "image/png", width: 1024, height: 768 });
    expect(checkBroadcastImage(Buffer.from("GIF89a........"))).toEqual({
      ok: false,
      message: "GIFの画像は配信できません。PNGまたはJPEG形式の画像を選んでください。",
    });
    expect(checkBroadcastImage(Buffer.from("%PDF-1.7"))).toMatchObject({
      ok: false,
      message: expect.stringContaining("PNGまたはJPEG"),
    });
    const big = Buffer.concat([png, Buffer.alloc(MEDIA_MAX_BYTES)]);
    expect(checkBroadcastImage(big)).toMatchObject({ ok: false, message: expect.stringContaining("1MB以下") });
  });
});

describe("messages and counts", () => {
  it("builds LINE messages: image URLs and a card with hero, text and button", () => {
    const url = (id: string) => `https://city.example/c/x/media/${id}`;
    expect(broadcastMessages({ kind: "image", mediaId: "m1" }, url)).toEqual([
      {
        type: "image",
        originalContentUrl: "https://city.example/c/x/media/m1",
        previewImageUrl: "https://city.example/c/x/media/m1",
      },
    ]);
    const [flex] = broadcastMessages(
      {
        kind: "flex",
        title: "防災訓練",
        body: "来月です",
        buttonLabel: "詳しく",
        buttonUrl: "https://city.example/info",
        mediaId: "m2",
      },
      url,
    ) as unknown as [
      { altText: string; contents: { hero: { url: string }; footer: { contents: { action: { uri: string } }[] } } },
    ];
    expect(flex.altText).toBe("防災訓練");
    expect(flex.contents.hero.url).toBe("https://city.example/c/x/media/m2");
    expect(flex.contents.footer.contents[0]!.action.uri).toBe("https://city.example/info");
  });

  it("never shows an exact number below 10", () => {
    expect(recipientCountLabel(0)).toBe("該当する友だちはいません");
    expect(recipientCountLabel(1)).toBe("10人未満");
    expect(recipientCountLabel(9)).toBe("10人未満");
    expect(recipientCountLabel(10)).toBe("10人");
    expect(recipientCountLabel(12345)).toBe("12,345人");
  });

  it("reads optional versions per language; empty ones are left out; each obeys LINE's limits", () => {
    const r = readComposeForm(form({ ...base, "text.en": "  Notice  ", "text.ja-x-easy": "  " }), city, now, {
      hasImage: false,
    });
    expect(r.ok && r.draft.versions).toEqual({ en: { text: "Notice" } });
    const long = readComposeForm(form({ ...base, "text.en": "a".repeat(5001) }), city, now, { hasImage: false });
    expect(long).toMatchObject({
      ok: false,
      errors: { "text.en": "メッセージ（English）は5,000文字以内にしてください（いま5,001文字）。LINEの上限です。" },
    });
  });

  it("a card's version is a whole card: title and body, and a button label when the Japanese has a button", () => {
    const card = {
      ...base,
      kind: "flex",
      cardTitle: "健診",
      cardBody: "受付中",
      buttonLabel: "詳しく",
      buttonUrl: "https://example.jp/",
    };
    const half = readComposeForm(form({ ...card, "cardTitle.en": "Health check" }), city, now, { hasImage: false });
    expect(half).toMatchObject({
      ok: false,
      errors: {
        "cardBody.en": expect.stringContaining("本文（English）を入力してください"),
        "buttonLabel.en": "ボタンの文字（English）を入力してください。",
      },
    });
    const whole = readComposeForm(
      form({ ...card, "cardTitle.en": "Health check", "cardBody.en": "Open", "buttonLabel.en": "Details" }),
      city,
      now,
      { hasImage: false },
    );
    expect(whole.ok && whole.draft.versions).toEqual({
      en: { title: "Health check", body: "Open", buttonLabel: "Details" },
    });
  });

  it("sends each language its version, readings for furigana markup, Japanese for the rest", () => {
    const content = { kind: "text" as const, text: "お知らせ" };
    const versions = { en: { text: "Notice" }, "ja-x-easy": { text: "お{知|し}らせ" } };
    expect(localizedContent(content, versions, "en")).toEqual({ kind: "text", text: "Notice" });
    expect(localizedContent(content, versions, "ja-x-easy")).toEqual({ kind: "text", text: "お知（し）らせ" });
    expect(localizedContent(content, versions, "ja")).toEqual(content);
    expect(localizedContent(content, versions, "de")).toEqual(content);
    expect(versionLanguages({ en: { text: "" }, "ja-x-easy": { text: "x" } })).toEqual(["ja-x-easy"]);
  });
});
