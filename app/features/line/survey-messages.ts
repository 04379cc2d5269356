import type { messagingApi } from "@line/bot-sdk";
import type { LineAgeBand, LineGender, TenantTopic } from "#db/schema/index";
import { LANGUAGES, t, tPlain } from "~/lib/i18n";

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

/** Japanese labels, for the staff pages (broadcast composer, dashboard). */
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

/** The options in a resident's language, for the survey and the 受信設定 page. */
export const genderOptions = (lang: string) =>
  GENDER_OPTIONS.map((o) => ({ value: o.value, label: t(lang, `line:gender.${o.value}`) }));
export const ageOptions = (lang: string) =>
  AGE_OPTIONS.map((o) => ({ value: o.value, label: t(lang, `line:age.${o.value}`) }));

export type SurveyPostback =
  | { kind: "language"; value: string }
  | { kind: "gender"; value: string }
  | { kind: "age"; value: string }
  | { kind: "area"; value: string }
  | { kind: "area-page"; page: number }
  | { kind: "topic"; value: string }
  | { kind: "done" };

/** The area answer meaning 回答しない (area names are free text, so a reserved token is needed). */
export const AREA_NONE = "__none__";

export function surveyData(kind: "language" | "gender" | "age" | "area" | "topic", value: string): string;
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
    case "language":
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

const text = (body: string): Message => ({ type: "text", text: body }) as messagingApi.TextMessage;

export function greetingMessage(lang: string, cityName: string): Message {
  return text(t(lang, "line:survey.greeting", { city: cityName }));
}

/** The first question: each language's button in that language, so anyone can find theirs. */
export function languageQuestion(lang: string): Message {
  return question(
    t(lang, "line:survey.language"),
    LANGUAGES.map((l) => item(l.name, surveyData("language", l.code))),
  );
}

export function genderQuestion(lang: string): Message {
  return question(
    t(lang, "line:survey.gender"),
    GENDER_OPTIONS.map((o) => item(tPlain(lang, `line:gender.${o.value}`), surveyData("gender", o.value))),
  );
}

export function ageQuestion(lang: string): Message {
  return question(
    t(lang, "line:survey.age"),
    AGE_OPTIONS.map((o) => item(tPlain(lang, `line:age.${o.value}`), surveyData("age", o.value))),
  );
}

/** Cities with many districts get pages: 11 areas, 「次へ」, 「回答しない」. */
export function areaQuestion(lang: string, areas: readonly string[], page = 0): Message {
  const fitsOnOne = areas.length <= QUICK_REPLY_MAX - 1;
  const shown = fitsOnOne ? areas : areas.slice(page * AREA_PAGE_SIZE, (page + 1) * AREA_PAGE_SIZE);
  const items = shown.map((a) => item(a, surveyData("area", a)));
  if (!fitsOnOne) {
    const hasMore = (page + 1) * AREA_PAGE_SIZE < areas.length;
    items.push(
      item(
        tPlain(lang, hasMore ? "line:survey.next" : "line:survey.first"),
        surveyData("area-page", hasMore ? page + 1 : 0),
        t(lang, hasMore ? "line:survey.nextShown" : "line:survey.firstShown"),
      ),
    );
  }
  items.push(item(tPlain(lang, "line:survey.noAnswer"), surveyData("area", AREA_NONE)));
  return question(t(lang, "line:survey.area"), items);
}

// Topic labels are the city's own (Japanese) names; translating them is phase 2 (issue 15).
export function topicsQuestion(lang: string, topics: readonly TenantTopic[], selected: readonly string[]): Message {
  const chosen = topics.filter((tp) => selected.includes(tp.key)).map((tp) => tp.label);
  const shown = topics.slice(0, QUICK_REPLY_MAX - 1);
  const items = shown.map((tp) =>
    selected.includes(tp.key)
      ? item(`✓${tp.label}`, surveyData("topic", tp.key), t(lang, "line:survey.stopTopic", { topic: tp.label }))
      : item(tp.label, surveyData("topic", tp.key)),
  );
  items.push(item(tPlain(lang, "line:survey.done"), surveyData("done")));
  const list = chosen.length ? chosen.join(t(lang, "line:survey.listSeparator")) : t(lang, "line:survey.none");
  return question(t(lang, "line:survey.topics", { chosen: list }), items);
}

export function thanksMessage(lang: string, topics: readonly TenantTopic[], selected: readonly string[]): Message {
  const chosen = topics.filter((tp) => selected.includes(tp.key)).map((tp) => tp.label);
  const what = chosen.length
    ? t(lang, "line:survey.thanksChosen", { topics: chosen.join(t(lang, "line:survey.topicJoin")) })
    : t(lang, "line:survey.thanksNone");
  return text(t(lang, "line:survey.thanks", { what }));
}
