import type { messagingApi } from "@line/bot-sdk";

/**
 * Building LINE messages within LINE's limits (Messaging API reference; the emulator enforces the
 * same, emulators/line/validation.ts). Content that comes from people — FAQ questions as button
 * labels, answers, city names — is cut to fit with an ellipsis; counts and data that only code
 * decides (13 quick-reply items, 300-character postback data, Flex size) throw, because going over
 * is a bug that LINE would answer with a 400 and the resident with silence.
 */
export type Message = messagingApi.Message;
export type Action = messagingApi.Action;
type QuickReplyItem = messagingApi.QuickReplyItem;

export const LIMITS = {
  textChars: 5000,
  quickReplyItems: 13,
  labelChars: 20,
  dataChars: 300,
  displayTextChars: 300,
  messageActionText: 300,
  uriChars: 1000,
  altTextChars: 1500,
  carouselBubbles: 12,
  /** Flex: 30 KB per bubble, 50 KB for a carousel (JSON bytes). */
  bubbleBytes: 30_000,
  carouselBytes: 50_000,
  messagesPerReply: 5,
} as const;

export class LineLimitError extends Error {
  override name = "LineLimitError";
}

/** Cuts `s` to `max` UTF-16 code units (LINE counts them) with an ellipsis, never splitting a surrogate pair. */
export function fit(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function mustFit(what: string, s: string, max: number): string {
  if (s.length === 0 || s.length > max) throw new LineLimitError(`${what}: ${s.length} characters (1–${max})`);
  return s;
}

export const label = (s: string) => fit(s.trim() || "…", LIMITS.labelChars);

export const postbackAction = (text: string, data: string, displayText?: string): Action =>
  ({
    type: "postback",
    label: label(text),
    data: mustFit("postback data", data, LIMITS.dataChars),
    ...(displayText ? { displayText: fit(displayText, LIMITS.displayTextChars) } : {}),
  }) as messagingApi.PostbackAction;

export const messageAction = (text: string, send = text): Action =>
  ({ type: "message", label: label(text), text: fit(send, LIMITS.messageActionText) }) as messagingApi.MessageAction;

export const uriAction = (text: string, uri: string): Action => {
  if (!/^(https?|line|tel):\S+$/.test(uri)) throw new LineLimitError(`uri action: not an http(s), line or tel URI`);
  return { type: "uri", label: label(text), uri: mustFit("uri", uri, LIMITS.uriChars) } as messagingApi.URIAction;
};

export const locationAction = (text: string): Action => ({ type: "location", label: label(text) }) as Action;
export const cameraAction = (text: string): Action => ({ type: "camera", label: label(text) }) as Action;
export const cameraRollAction = (text: string): Action => ({ type: "cameraRoll", label: label(text) }) as Action;
export const datetimeAction = (text: string, data: string, mode: "date" | "time" | "datetime"): Action =>
  ({
    type: "datetimepicker",
    label: label(text),
    data: mustFit("postback data", data, LIMITS.dataChars),
    mode,
  }) as messagingApi.DatetimePickerAction;

export function quickReply(actions: readonly Action[]): messagingApi.QuickReply {
  if (actions.length === 0 || actions.length > LIMITS.quickReplyItems)
    throw new LineLimitError(`quick reply: ${actions.length} items (1–${LIMITS.quickReplyItems})`);
  return { items: actions.map((action): QuickReplyItem => ({ type: "action", action })) };
}

/** A text message (cut to 5,000 characters), with quick-reply buttons when given. */
export function textMessage(text: string, actions: readonly Action[] = []): Message {
  const body = fit(text.trim() || "…", LIMITS.textChars);
  return {
    type: "text",
    text: body,
    ...(actions.length ? { quickReply: quickReply(actions) } : {}),
  } as messagingApi.TextMessage;
}

/** A Flex message of one bubble or a carousel of up to 12, checked against LINE's size limits. */
export function flexMessage(altText: string, bubbles: readonly messagingApi.FlexBubble[]): Message {
  if (bubbles.length === 0 || bubbles.length > LIMITS.carouselBubbles)
    throw new LineLimitError(`flex: ${bubbles.length} bubbles (1–${LIMITS.carouselBubbles})`);
  for (const b of bubbles) {
    const size = Buffer.byteLength(JSON.stringify(b));
    if (size > LIMITS.bubbleBytes) throw new LineLimitError(`flex bubble: ${size} bytes (≤ ${LIMITS.bubbleBytes})`);
  }
  const contents: messagingApi.FlexContainer =
    bubbles.length === 1 ? bubbles[0]! : ({ type: "carousel", contents: [...bubbles] } as messagingApi.FlexCarousel);
  const size = Buffer.byteLength(JSON.stringify(contents));
  if (size > LIMITS.carouselBytes) throw new LineLimitError(`flex: ${size} bytes (≤ ${LIMITS.carouselBytes})`);
  return {
    type: "flex",
    altText: fit(altText.trim() || "…", LIMITS.altTextChars),
    contents,
  } as messagingApi.FlexMessage;
}
