import type { BroadcastSegment, RecurrenceRule, TenantTopic } from "#db/schema/index";
import { AGE_OPTIONS, GENDER_OPTIONS } from "~/features/line/survey-messages";
import { isValidRule } from "./recurrence";
import { parseTokyoLocal } from "~/lib/japan-time";

/**
 * The composer's form, read into what a broadcast stores, with a Japanese message per field for
 * everything LINE or common sense would refuse. Pure (no I/O, no clock of its own): the caller passes
 * `now`, and image bytes are checked separately (media.server.ts). Client-safe.
 */
export const TITLE_MAX = 80;
/** LINE's limit for one text message (UTF-16 code units, as String.length counts). */
export const TEXT_MAX = 5000;
export const CARD_TITLE_MAX = 40;
export const CARD_BODY_MAX = 1000;
export const BUTTON_LABEL_MAX = 20;
export const URL_MAX = 1000;
/** How far ahead a one-off broadcast may be scheduled. */
const MAX_AHEAD_MS = 366 * 24 * 3600_000;

export type MessageKind = "text" | "image" | "flex";
export type Schedule = { mode: "now" } | { mode: "once"; at: Date } | { mode: "recur"; rule: RecurrenceRule };

/** Everything but the image bytes, which the server adds as a media id. */
export type ComposedDraft = {
  title: string;
  kind: MessageKind;
  text?: string;
  card?: { title: string; body: string; buttonLabel?: string; buttonUrl?: string };
  segment: BroadcastSegment;
  schedule: Schedule;
};

export type ComposeErrors = Partial<Record<string, string>>;
export type ComposeResult = { ok: true; draft: ComposedDraft } | { ok: false; errors: ComposeErrors };

/** Reads a form's field, or its repeated values. Works on FormData and URLSearchParams alike. */
type FormLike = { get(name: string): unknown; getAll(name: string): unknown[] };
const one = (f: FormLike, k: string) => {
  const v = f.get(k);
  return typeof v === "string" ? v.trim() : "";
};
const many = (f: FormLike, k: string) => [
  ...new Set(f.getAll(k).filter((v): v is string => typeof v === "string" && v !== "")),
];

export type SegmentChoices = { topics: TenantTopic[]; areas: string[] };

/** The segment part alone: the live recipient count reads it on every change. Unknown values are dropped. */
export function readSegment(f: FormLike, city: SegmentChoices): BroadcastSegment {
  const topicKeys = new Set(city.topics.map((t) => t.key));
  const genders = new Set<string>(GENDER_OPTIONS.map((o) => o.value));
  const ages = new Set<string>(AGE_OPTIONS.map((o) => o.value));
  const areas = new Set(city.areas);
  return {
    match: one(f, "match") === "any" ? "any" : "all",
    topics: many(f, "topics").filter((t) => topicKeys.has(t)),
    topicsMatch: one(f, "topicsMatch") === "all" ? "all" : "any",
    genders: many(f, "genders").filter((g) => genders.has(g)),
    ageBands: many(f, "ageBands").filter((a) => ages.has(a)),
    areas: many(f, "areas").filter((a) => areas.has(a)),
  };
}

/** "2026-12-01T09:30" from <input type="datetime-local">, taken as Japan time. */
export function parseJstLocal(v: string): Date | null {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? parseTokyoLocal(v) : null;
}

const ints = (vals: string[]) => vals.map(Number).filter((n) => Number.isInteger(n));

function readSchedule(f: FormLike, now: Date, errors: ComposeErrors): Schedule | null {
  const mode = one(f, "schedule");
  if (mode === "now") return { mode: "now" };
  if (mode === "once") {
    const at = parseJstLocal(one(f, "sendAt"));
    if (!at) errors.sendAt = "配信する日時を選んでください。";
    else if (at.getTime() <= now.getTime())
      errors.sendAt = "過去の日時は指定できません。これから先の日時を選んでください。";
    else if (at.getTime() - now.getTime() > MAX_AHEAD_MS) errors.sendAt = "配信日時は1年以内で指定してください。";
    return at && !errors.sendAt ? { mode: "once", at } : null;
  }
  if (mode === "recur") {
    const time = one(f, "time");
    const freq = one(f, "freq");
    let rule: RecurrenceRule | null = null;
    if (freq === "weekly") rule = { freq, weekdays: ints(many(f, "weekdays")), time };
    else if (freq === "monthly-day") rule = { freq, day: Number(one(f, "day")), time };
    else if (freq === "monthly-nth")
      rule = { freq, weeks: ints(many(f, "weeks")), weekday: Number(one(f, "nthWeekday")), time };
    if (!rule) errors.freq = "繰り返し方を選んでください。";
    else if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) errors.time = "配信する時刻を選んでください。";
    else if (rule.freq === "weekly" && rule.weekdays.length === 0) errors.weekdays = "曜日を1つ以上選んでください。";
    else if (rule.freq === "monthly-nth" && rule.weeks.length === 0) errors.weeks = "第何週かを1つ以上選んでください。";
    else if (!isValidRule(rule)) errors.freq = "繰り返しの指定が正しくありません。";
    return rule && !errors.freq && !errors.time && !errors.weekdays && !errors.weeks ? { mode: "recur", rule } : null;
  }
  errors.schedule = "配信のタイミングを選んでください。";
  return null;
}

/** Validates the whole composer. `hasImage` tells whether an image file (already checked) came with it. */
export function readComposeForm(
  f: FormLike,
  city: SegmentChoices,
  now: Date,
  opts: { hasImage: boolean },
): ComposeResult {
  const errors: ComposeErrors = {};
  const title = one(f, "title");
  if (!title) errors.title = "管理用の件名を入力してください（住民には表示されません）。";
  else if (title.length > TITLE_MAX) errors.title = `件名は${TITLE_MAX}文字以内で入力してください。`;

  const kindRaw = one(f, "kind");
  const kind: MessageKind | null = kindRaw === "text" || kindRaw === "image" || kindRaw === "flex" ? kindRaw : null;
  const draft: Partial<ComposedDraft> = { title, kind: kind ?? "text" };
  if (!kind) errors.kind = "メッセージの種類を選んでください。";
  if (kind === "text") {
    // Line breaks are kept; only surrounding blank space goes.
    const text = String(f.get("text") ?? "")
      .replace(/\r\n/g, "\n")
      .trim();
    if (!text) errors.text = "メッセージを入力してください。空のメッセージは配信できません。";
    else if (text.length > TEXT_MAX)
      errors.text = `メッセージは${TEXT_MAX.toLocaleString("ja-JP")}文字以内にしてください（いま${text.length.toLocaleString("ja-JP")}文字）。LINEの上限です。`;
    draft.text = text;
  }
  if (kind === "image" && !opts.hasImage) errors.image = "配信する画像を選んでください。";
  if (kind === "flex") {
    const card = {
      title: one(f, "cardTitle"),
      body: String(f.get("cardBody") ?? "")
        .replace(/\r\n/g, "\n")
        .trim(),
      buttonLabel: one(f, "buttonLabel"),
      buttonUrl: one(f, "buttonUrl"),
    };
    if (!card.title) errors.cardTitle = "カードの見出しを入力してください。";
    else if (card.title.length > CARD_TITLE_MAX)
      errors.cardTitle = `見出しは${CARD_TITLE_MAX}文字以内で入力してください。`;
    if (!card.body) errors.cardBody = "カードの本文を入力してください。";
    else if (card.body.length > CARD_BODY_MAX)
      errors.cardBody = `本文は${CARD_BODY_MAX.toLocaleString("ja-JP")}文字以内で入力してください（いま${card.body.length.toLocaleString("ja-JP")}文字）。`;
    if (card.buttonLabel || card.buttonUrl) {
      if (!card.buttonLabel)
        errors.buttonLabel = "ボタンの文字を入力してください（ボタンが不要ならURLも空にしてください）。";
      else if (card.buttonLabel.length > BUTTON_LABEL_MAX)
        errors.buttonLabel = `ボタンの文字は${BUTTON_LABEL_MAX}文字以内で入力してください。`;
      if (!/^https:\/\/[^\s]+$/.test(card.buttonUrl))
        errors.buttonUrl = "ボタンのリンク先は https:// で始まるURLを入力してください。";
      else if (card.buttonUrl.length > URL_MAX) errors.buttonUrl = `URLは${URL_MAX}文字以内にしてください。`;
    }
    draft.card = {
      title: card.title,
      body: card.body,
      ...(card.buttonLabel ? { buttonLabel: card.buttonLabel, buttonUrl: card.buttonUrl } : {}),
    };
  }
  draft.segment = readSegment(f, city);
  const schedule = readSchedule(f, now, errors);
  if (schedule) draft.schedule = schedule;
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, draft: draft as ComposedDraft };
}

/** The privacy rule for every count shown to staff: below 10 the exact number is not shown. */
export const COUNT_FLOOR = 10;
export function recipientCountLabel(n: number): string {
  if (n === 0) return "該当する友だちはいません";
  if (n < COUNT_FLOOR) return "10人未満";
  return `${n.toLocaleString("ja-JP")}人`;
}

export function describeSegment(seg: BroadcastSegment, city: SegmentChoices): string {
  const parts: string[] = [];
  const label = (list: { value: string; label: string }[], v: string) => list.find((o) => o.value === v)?.label ?? v;
  if (seg.topics.length)
    parts.push(
      `お知らせ：${seg.topics.map((k) => city.topics.find((t) => t.key === k)?.label ?? k).join(seg.topicsMatch === "all" ? "かつ" : "または")}`,
    );
  if (seg.genders.length) parts.push(`性別：${seg.genders.map((g) => label(GENDER_OPTIONS, g)).join("・")}`);
  if (seg.ageBands.length) parts.push(`年代：${seg.ageBands.map((a) => label(AGE_OPTIONS, a)).join("・")}`);
  if (seg.areas.length) parts.push(`地区：${seg.areas.join("・")}`);
  if (!parts.length) return "友だち全員";
  return parts.join("、") + (parts.length > 1 ? (seg.match === "any" ? "（いずれかに該当）" : "（すべてに該当）") : "");
}
