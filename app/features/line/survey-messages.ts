import type { messagingApi } from "@line/bot-sdk";
import type { LineAgeBand, LineGender, TenantTopic } from "#db/schema/index";

/**
 * The friend survey as LINE messages: each question is a text message with quick-reply buttons
 * whose postback data (`survey=<question>&v=<value>`) comes back as a webhook event. Pure
 * functions, no I/O, so the wording and the limits below are easy to test.
 */
type Message = messagingApi.Message;
type QuickReplyItem = messagingApi.QuickReplyItem;

// LINE limits: 13 quick-reply items per message, 20 characters per label, 300 per postback data.
export const QUICK_REPLY_MAX = 13;
const LABEL_MAX = 20;
const AREA_PAGE_SIZE = 11; // + 「次へ」 + 「回答しない」 = 13

export const GENDER_OPTIONS: { value: LineGender; label: string }[] = [
  { value: "female", label: "女性" },
  { value: "male", label: "男性" },
  { value: "other", label: "その他" },
  { value: "no_answer", label: "回答しない" },
];

export const AGE_OPTIONS: { value: LineAgeBand; label: string }[] = [
  { value: "under20", label: "20歳未満" },
  { value: "20s", label: "20代" },
  { value: "30s", label: "30代" },
  { value: "40s", label: "40代" },
  { value: "50s", label: "50代" },
  { value: "60s", label: "60代" },
  { value: "70plus", label: "70歳以上" },
  { value: "no_answer", label: "回答しない" },
];

export type SurveyPostback =
  | { kind: "gender"; value: string }
  | { kind: "age"; value: string }
  | { kind: "area"; value: string }
  | { kind: "area-page"; page: number }
  | { kind: "topic"; value: string }
  | { kind: "done" };

/** The area answer meaning 回答しない (area names are free text, so a reserved token is needed). */
export const AREA_NONE = "__none__";

export function surveyData(kind: "gender" | "age" | "area" | "topic", value: string): string;
export function surveyData(kind: "area-page", page: number): string;
export function surveyData(kind: "done"): string;
export function surveyData(kind: string, value?: string | number): string {
  const p = new URLSearchParams({ survey: kind });
  if (value !== undefined) p.set(kind === "area-page" ? "p" : "v", String(value));
  return p.toString();
}

/** null for postbacks that are not survey answers (e.g. a future rich-menu button). */
export function parseSurveyPostback(data: string): SurveyPostback | null {
  if (data.length > 300) return null;
  const p = new URLSearchParams(data);
  const kind = p.get("survey");
  const v = p.get("v") ?? "";
  switch (kind) {
    case "gender":
    case "age":
    case "area":
    case "topic":
      return { kind, value: v };
    case "area-page": {
      const page = Number(p.get("p"));
      return Number.isInteger(page) && page >= 0 && page < 100 ? { kind, page } : null;
    }
    case "done":
      return { kind };
    default:
      return null;
  }
}

const label = (s: string) => (s.length > LABEL_MAX ? `${s.slice(0, LABEL_MAX - 1)}…` : s);

function item(text: string, data: string, displayText = text): QuickReplyItem {
  return {
    type: "action",
    action: { type: "postback", label: label(text), data, displayText } as messagingApi.PostbackAction,
  };
}

function question(text: string, items: QuickReplyItem[]): Message {
  return { type: "text", text, quickReply: { items: items.slice(0, QUICK_REPLY_MAX) } } as messagingApi.TextMessage;
}

export function greetingMessage(cityName: string): Message {
  return {
    type: "text",
    text: `${cityName}の公式アカウントを友だち追加していただき、ありがとうございます。\n予約のご案内や、お選びいただいた分野のお知らせをこのトークでお届けします。\n\nお知らせをお届けするために、かんたんな質問に3つ〜4つお答えください（どの質問も「回答しない」を選べます）。`,
  } as messagingApi.TextMessage;
}

export function genderQuestion(): Message {
  return question(
    "【質問1】性別を教えてください。",
    GENDER_OPTIONS.map((o) => item(o.label, surveyData("gender", o.value))),
  );
}

export function ageQuestion(): Message {
  return question(
    "【質問2】年代を教えてください。",
    AGE_OPTIONS.map((o) => item(o.label, surveyData("age", o.value))),
  );
}

/** Cities with many districts get pages: 11 areas, 「次へ」, 「回答しない」. */
export function areaQuestion(areas: readonly string[], page = 0): Message {
  const fitsOnOne = areas.length <= QUICK_REPLY_MAX - 1;
  const shown = fitsOnOne ? areas : areas.slice(page * AREA_PAGE_SIZE, (page + 1) * AREA_PAGE_SIZE);
  const items = shown.map((a) => item(a, surveyData("area", a)));
  if (!fitsOnOne) {
    const hasMore = (page + 1) * AREA_PAGE_SIZE < areas.length;
    items.push(
      item(
        hasMore ? "次へ" : "最初に戻る",
        surveyData("area-page", hasMore ? page + 1 : 0),
        hasMore ? "ほかの地区を見る" : "最初の地区に戻る",
      ),
    );
  }
  items.push(item("回答しない", surveyData("area", AREA_NONE)));
  return question("【質問3】お住まいの地区を教えてください。", items);
}

export function topicsQuestion(topics: readonly TenantTopic[], selected: readonly string[]): Message {
  const chosen = topics.filter((t) => selected.includes(t.key)).map((t) => t.label);
  const shown = topics.slice(0, QUICK_REPLY_MAX - 1);
  const items = shown.map((t) =>
    selected.includes(t.key)
      ? item(`✓${t.label}`, surveyData("topic", t.key), `${t.label}をやめる`)
      : item(t.label, surveyData("topic", t.key)),
  );
  items.push(item("完了", surveyData("done")));
  return question(
    `【受信設定】受け取りたいお知らせを選んでください（複数選べます）。もう一度押すと選択を外せます。選び終わったら「完了」を押してください。\n\n現在の選択：${chosen.length ? chosen.join("、") : "なし"}`,
    items,
  );
}

export function thanksMessage(topics: readonly TenantTopic[], selected: readonly string[]): Message {
  const chosen = topics.filter((t) => selected.includes(t.key)).map((t) => t.label);
  const what = chosen.length
    ? `「${chosen.join("」「")}」のお知らせをお届けします。`
    : "分野別のお知らせは選ばれていません。緊急のお知らせはすべての方にお届けします。";
  return {
    type: "text",
    text: `ご回答ありがとうございました。${what}\n受け取るお知らせは、このトークで「受信設定」と送るといつでも変更できます。`,
  } as messagingApi.TextMessage;
}
