import type { BroadcastSegment, BroadcastVersions, RecurrenceRule, TenantTopic } from "#db/schema/index";
import { AGE_OPTIONS, GENDER_OPTIONS } from "~/features/line/survey-messages";
import { isValidRule } from "./recurrence";
import { parseTokyoLocal } from "~/lib/japan-time";
import { LANGUAGES } from "~/lib/i18n";
import { VERSION_LANGUAGES, versionField } from "./versions";

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
  /** Optional versions in other languages (ADR 046); absent or `{}` when there are none. */
  versions?: BroadcastVersions;
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

const multiline = (f: FormLike, k: string) =>
  String(f.get(k) ?? "")
    .replace(/\r\n/g, "\n")
    .trim();
const count = (n: number) => n.toLocaleString("ja-JP");

/** A text message (Japanese: required; a version: optional), with LINE's limit. Line breaks are kept. */
function readText(f: FormLike, lang: string, errors: ComposeErrors, required: boolean, suffix = ""): string {
  const name = versionField("text", lang);
  const text = multiline(f, name);
  if (!text && required) errors[name] = "メッセージを入力してください。空のメッセージは配信できません。";
  else if (text.length > TEXT_MAX)
    errors[name] =
      `メッセージ${suffix}は${count(TEXT_MAX)}文字以内にしてください（いま${count(text.length)}文字）。LINEの上限です。`;
  return text;
}

/** A card's texts in one language; the Japanese title and body are required, a version's are checked by the caller. */
function readCard(f: FormLike, lang: string, errors: ComposeErrors, required: boolean, suffix: string) {
  const field = (k: string) => versionField(k, lang);
  const card = {
    title: one(f, field("cardTitle")),
    body: multiline(f, field("cardBody")),
    buttonLabel: one(f, field("buttonLabel")),
  };
  if (!card.title && required) errors.cardTitle = "カードの見出しを入力してください。";
  else if (card.title.length > CARD_TITLE_MAX)
    errors[field("cardTitle")] = `見出し${suffix}は${CARD_TITLE_MAX}文字以内で入力してください。`;
  if (!card.body && required) errors.cardBody = "カードの本文を入力してください。";
  else if (card.body.length > CARD_BODY_MAX)
    errors[field("cardBody")] =
      `本文${suffix}は${count(CARD_BODY_MAX)}文字以内で入力してください（いま${count(card.body.length)}文字）。`;
  if (card.buttonLabel.length > BUTTON_LABEL_MAX)
    errors[field("buttonLabel")] = `ボタンの文字${suffix}は${BUTTON_LABEL_MAX}文字以内で入力してください。`;
  return card;
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
  const versions: BroadcastVersions = (draft.versions = {});
  if (kind === "text") {
    draft.text = readText(f, "ja", errors, true);
    for (const { code, name } of VERSION_LANGUAGES) {
      const text = readText(f, code, errors, false, `（${name}）`);
      if (text) versions[code] = { text };
    }
  }
  if (kind === "image" && !opts.hasImage) errors.image = "配信する画像を選んでください。";
  if (kind === "flex") {
    const card = readCard(f, "ja", errors, true, "");
    const buttonUrl = one(f, "buttonUrl");
    if (card.buttonLabel || buttonUrl) {
      if (!card.buttonLabel)
        errors.buttonLabel = "ボタンの文字を入力してください（ボタンが不要ならURLも空にしてください）。";
      if (!/^https:\/\/[^\s]+$/.test(buttonUrl))
        errors.buttonUrl = "ボタンのリンク先は https:// で始まるURLを入力してください。";
      else if (buttonUrl.length > URL_MAX) errors.buttonUrl = `URLは${URL_MAX}文字以内にしてください。`;
    }
    draft.card = {
      title: card.title,
      body: card.body,
      ...(card.buttonLabel ? { buttonLabel: card.buttonLabel, buttonUrl } : {}),
    };
    for (const { code, name } of VERSION_LANGUAGES) {
      const v = readCard(f, code, errors, false, `（${name}）`);
      if (!v.title && !v.body && !v.buttonLabel) continue;
      // A version is a whole card: half a translation would show two languages in one bubble.
      const f2 = (k: string) => versionField(k, code);
      if (!v.title)
        errors[f2("cardTitle")] ??=
          `見出し（${name}）を入力してください（この言語の版が不要なら全部空にしてください）。`;
      if (!v.body)
        errors[f2("cardBody")] ??= `本文（${name}）を入力してください（この言語の版が不要なら全部空にしてください）。`;
      if (card.buttonLabel && !v.buttonLabel)
        errors[f2("buttonLabel")] ??= `ボタンの文字（${name}）を入力してください。`;
      versions[code] = {
        title: v.title,
        body: v.body,
        ...(card.buttonLabel && v.buttonLabel ? { buttonLabel: v.buttonLabel } : {}),
      };
    }
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

/** Per-language counts as labels, in the catalogue's order, under the same privacy floor. */
export type LanguageCount = { code: string; name: string; label: string };
export function languageCountLabels(byLanguage: Record<string, number>): LanguageCount[] {
  return LANGUAGES.map(({ code, name }) => {
    const n = byLanguage[code] ?? 0;
    return { code, name, label: n === 0 ? "0人" : recipientCountLabel(n) };
  });
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
