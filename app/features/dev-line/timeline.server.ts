import { linkifyText, type TextSegment } from "~/features/dev-mail/dev-mail.server";
import { asAction, actionLabel, isRecord, tapAction, type LineAction } from "./actions";
import type { EchoEntry } from "./echo.server";
import { formatTokyo } from "~/lib/japan-time";

/**
 * The chat as the simulator shows it: what the app sent (the emulator's sent records, one bubble per
 * message) and what the resident did (echo entries), in time order. Every tappable thing gets a
 * `ref` naming where it came from (record, message, quick reply or card action, index) so a tap is
 * resolved on the server from what the app really sent. Pure (no I/O); `.server` only because the
 * text linkifier lives in the dev-mail module.
 */

export type SentRecord = { id: string; kind: string; to: string[]; messages: unknown[]; at: string };

export type ActionButton =
  | { kind: "send"; ref: string; label: string }
  | { kind: "open"; label: string; href: string; external: boolean }
  | { kind: "location"; label: string }
  | { kind: "image"; label: string }
  | { kind: "datetime"; ref: string; label: string; mode: "date" | "time" | "datetime" }
  | { kind: "unsupported"; label: string; type: string };

export type BubbleBody =
  | { type: "text"; segments: TextSegment[] }
  | { type: "image"; src: string }
  | { type: "card"; title: string | null; lines: string[]; actions: ActionButton[] }
  /** A Flex carousel: one card per bubble, side by side as LINE shows them. */
  | { type: "carousel"; title: string | null; cards: { lines: string[]; actions: ActionButton[] }[] }
  | { type: "location"; title: string; address: string }
  | { type: "note"; text: string; tone: "info" | "error" }
  | { type: "other"; text: string };

export type Bubble = {
  id: string;
  from: "app" | "user" | "system";
  at: number;
  time: string;
  via: string | null;
  body: BubbleBody;
};

export type Timeline = { bubbles: Bubble[]; quickReplies: ActionButton[] };

/** How the page opens a link: the simulator's LIFF view for app pages, or null when it cannot. */
export type LinkOpener = (uri: string) => { href: string; external: boolean } | null;

const VIA: Record<string, string> = {
  reply: "応答",
  push: "プッシュ",
  multicast: "マルチキャスト",
  broadcast: "一斉配信",
};

const timeText = (ms: number) => (Number.isFinite(ms) ? formatTokyo(ms, "HH:mm") : "");

export type ActionRef = { recordId: string; message: number; list: "q" | "a"; index: number };

export const formatRef = (r: ActionRef) => `${r.recordId}:${r.message}:${r.list}:${r.index}`;

export function parseRef(s: string): ActionRef | null {
  const m = /^(sent-\d{1,12}):(\d{1,3}):([qa]):(\d{1,3})$/.exec(s);
  return m ? { recordId: m[1], message: Number(m[2]), list: m[3] as "q" | "a", index: Number(m[4]) } : null;
}

export function buttonFor(action: LineAction, ref: string, open: LinkOpener): ActionButton {
  const label = actionLabel(action);
  const outcome = tapAction(action);
  if (outcome.kind === "events") return { kind: "send", ref, label };
  if (outcome.kind === "location") return { kind: "location", label };
  if (outcome.kind === "image") return { kind: "image", label };
  if (outcome.kind === "datetime") return { kind: "datetime", ref, label, mode: outcome.mode };
  if (outcome.kind === "open") {
    const target = open(outcome.uri);
    return target ? { kind: "open", label, ...target } : { kind: "unsupported", label, type: action.type };
  }
  return { kind: "unsupported", label, type: outcome.type };
}

function quickReplyActions(message: unknown): LineAction[] {
  if (!isRecord(message) || !isRecord(message.quickReply) || !Array.isArray(message.quickReply.items)) return [];
  return message.quickReply.items.map((item) => (isRecord(item) ? asAction(item.action) : null) ?? { type: "unknown" });
}

type Card = { title: string | null; lines: string[]; actions: LineAction[] };

/** Template messages: the text, and the buttons LINE draws for them. */
function templateCard(template: Record<string, unknown>): Card {
  const card: Card = { title: null, lines: [], actions: [] };
  const column = (c: unknown) => {
    if (!isRecord(c)) return;
    if (typeof c.title === "string") card.lines.push(c.title);
    if (typeof c.text === "string") card.lines.push(c.text);
    if (Array.isArray(c.actions)) for (const a of c.actions) card.actions.push(asAction(a) ?? { type: "unknown" });
    else if (c.action !== undefined) card.actions.push(asAction(c.action) ?? { type: "unknown" });
  };
  if (Array.isArray(template.columns)) template.columns.forEach(column);
  else column(template);
  return card;
}

/** Flex messages: the texts and every action, in reading order (header, hero, body, footer). */
function flexCard(contents: unknown): Card {
  const card: Card = { title: null, lines: [], actions: [] };
  const walk = (node: unknown, depth: number) => {
    if (!isRecord(node) || depth > 12 || card.lines.length > 40) return;
    if (node.type === "text") {
      const spans = Array.isArray(node.contents)
        ? node.contents.map((s) => (isRecord(s) && typeof s.text === "string" ? s.text : "")).join("")
        : "";
      const text = spans || (typeof node.text === "string" ? node.text : "");
      if (text) card.lines.push(text);
    }
    const action = asAction(node.action);
    if (action) card.actions.push(action);
    for (const key of ["header", "hero", "body", "footer"]) walk(node[key], depth + 1);
    if (Array.isArray(node.contents)) for (const c of node.contents) walk(c, depth + 1);
  };
  walk(contents, 0);
  return card;
}

function cardOf(message: Record<string, unknown>): Card | null {
  if (message.type === "template" && isRecord(message.template))
    return { ...templateCard(message.template), title: stringOr(message.altText) };
  if (message.type === "flex") return { ...flexCard(message.contents), title: stringOr(message.altText) };
  return null;
}

const stringOr = (v: unknown): string | null => (typeof v === "string" && v ? v : null);

/** The action a ref points at, looked up in the records the app really sent; null when gone. */
export function findAction(records: SentRecord[], ref: ActionRef): LineAction | null {
  const message = records.find((r) => r.id === ref.recordId)?.messages[ref.message];
  if (!isRecord(message)) return null;
  const list = ref.list === "q" ? quickReplyActions(message) : (cardOf(message)?.actions ?? []);
  const action = list[ref.index];
  return action && action.type !== "unknown" ? action : null;
}

/**
 * A LIFF URL in a text (the 予約 keyword's reply, notices) opens the simulator's LIFF view, as LINE
 * would open the LIFF app; every other link stays as written.
 */
function textSegments(text: string, open: LinkOpener): TextSegment[] {
  return linkifyText(text).map((s) => {
    if (!s.href || !s.href.startsWith("https://liff.line.me/")) return s;
    const target = open(s.href);
    return target && !target.external ? { ...s, href: target.href } : s;
  });
}

function bodyOf(message: unknown, recordId: string, index: number, open: LinkOpener): BubbleBody {
  if (!isRecord(message)) return { type: "other", text: "（表示できないメッセージ）" };
  switch (message.type) {
    case "text":
      return { type: "text", segments: textSegments(typeof message.text === "string" ? message.text : "", open) };
    case "image": {
      const src = stringOr(message.previewImageUrl) ?? stringOr(message.originalContentUrl);
      return src && /^https?:\/\//.test(src) ? { type: "image", src } : { type: "other", text: "（画像）" };
    }
    case "location":
      return {
        type: "location",
        title: stringOr(message.title) ?? "位置情報",
        address: stringOr(message.address) ?? "",
      };
    case "sticker":
      return { type: "other", text: "（スタンプ）" };
    case "video":
      return { type: "other", text: "（動画）" };
    case "audio":
      return { type: "other", text: "（音声）" };
    default: {
      if (message.type === "flex" && isRecord(message.contents) && message.contents.type === "carousel") {
        // Action refs count across the bubbles in reading order, as findAction's flat list does.
        let next = 0;
        const bubbles = Array.isArray(message.contents.contents) ? message.contents.contents : [];
        const cards = bubbles.map((b) => {
          const c = flexCard(b);
          return {
            lines: c.lines,
            actions: c.actions.map((a) =>
              buttonFor(a, formatRef({ recordId, message: index, list: "a", index: next++ }), open),
            ),
          };
        });
        return { type: "carousel", title: stringOr(message.altText), cards };
      }
      const card = cardOf(message);
      if (!card) return { type: "other", text: `（${String(message.type)}メッセージ）` };
      const actions = card.actions.map((a, i) =>
        buttonFor(a, formatRef({ recordId, message: index, list: "a", index: i }), open),
      );
      return { type: "card", title: card.title, lines: card.lines, actions };
    }
  }
}

function echoBubble(e: EchoEntry): Bubble {
  const base = { id: e.id, at: e.at, time: timeText(e.at), via: null };
  switch (e.kind) {
    case "follow":
      return { ...base, from: "system", body: { type: "note", tone: "info", text: "友だち追加しました" } };
    case "unfollow":
      return { ...base, from: "system", body: { type: "note", tone: "info", text: "ブロックしました" } };
    case "location":
      return { ...base, from: "user", body: { type: "location", title: e.text, address: e.detail ?? "" } };
    case "image":
      return { ...base, from: "user", body: { type: "other", text: `（画像を送信：${e.text}）` } };
    case "postback":
      // Without displayText LINE shows nothing; the simulator says what was sent, quietly.
      return e.text
        ? { ...base, from: "user", body: { type: "text", segments: [{ text: e.text }] } }
        : {
            ...base,
            from: "system",
            body: { type: "note", tone: "info", text: `ボタンの操作を送信しました（${e.detail ?? ""}）` },
          };
    case "error":
      return { ...base, from: "system", body: { type: "note", tone: "error", text: e.text } };
    default:
      return { ...base, from: "user", body: { type: "text", segments: [{ text: e.text }] } };
  }
}

export function buildTimeline(records: SentRecord[], echoes: EchoEntry[], open: LinkOpener): Timeline {
  const bubbles: Bubble[] = echoes.map(echoBubble);
  for (const r of records) {
    const at = Date.parse(r.at);
    r.messages.forEach((message, index) => {
      bubbles.push({
        id: `${r.id}:${index}`,
        from: "app",
        at,
        time: timeText(at),
        via: VIA[r.kind] ?? r.kind,
        body: bodyOf(message, r.id, index, open),
      });
    });
  }
  // Stable sort: an echo is stored before its events are sent, so at equal times it stays first.
  bubbles.sort((a, b) => a.at - b.at);
  return { bubbles, quickReplies: quickRepliesOf(records, bubbles.at(-1), open) };
}

/** Quick replies belong to the newest message only, and vanish once the resident does anything. */
function quickRepliesOf(records: SentRecord[], newest: Bubble | undefined, open: LinkOpener): ActionButton[] {
  if (newest?.from !== "app") return [];
  const [recordId, index] = newest.id.split(":");
  const message = records.find((r) => r.id === recordId)?.messages[Number(index)];
  return quickReplyActions(message).map((a, i) =>
    buttonFor(a, formatRef({ recordId, message: Number(index), list: "q", index: i }), open),
  );
}
