import type { messagingApi } from "@line/bot-sdk";
import type { LineMessage } from "~/integrations/line/client.server";
import { linePageUrl } from "~/integrations/line/liff-url";
import type { CityContact } from "~/lib/city-contact";
import { contactReplyText, disasterReplyText } from "./contact-replies";

/**
 * What the account answers to free text and to a shared location. Keywords first (the rich menu's
 * 問い合わせ and 避難所 tiles send theirs as text); everything else goes to `chatbotHook` (the FAQ
 * chatbot issue plugs in there) and, while it answers nothing, to the city's contact desk with its
 * numbers and hours (ADR 031) — never a reply that leaves the resident nowhere to turn.
 */
export type KeywordCity = { slug: string; name: string; contact: CityContact | null; liffId: string | null };
export type KeywordContext = { city: KeywordCity; appOrigin: string; lineUserId: string };

export type KeywordOutcome = { kind: "reply"; messages: LineMessage[] } | { kind: "restart-topics" };

const text = (t: string): LineMessage => ({ type: "text", text: t }) as messagingApi.TextMessage;

/** Full-width and half-width forms compare equal; surrounding spaces and line breaks are ignored. */
export function normaliseText(input: string) {
  return input.normalize("NFKC").trim();
}

/** The booking page as LINE opens it: the LIFF URL with channel=line (issue 13.3). */
export function reservationLink(ctx: { city: KeywordCity; appOrigin: string }) {
  return linePageUrl("/reserve", { slug: ctx.city.slug, liffId: ctx.city.liffId, appOrigin: ctx.appOrigin });
}

const HINT = "「予約」と送ると予約のページを、「受信設定」と送るとお知らせの受け取り設定をご案内します。";

export async function answerText(input: string, ctx: KeywordContext): Promise<KeywordOutcome> {
  const t = normaliseText(input);
  const reply = (...messages: string[]): KeywordOutcome => ({ kind: "reply", messages: messages.map(text) });
  if (t === "設定" || t.includes("受信設定")) return { kind: "restart-topics" };
  // The tiles' own texts first, so 「問い合わせ」 is never mistaken for anything else.
  if (t === "問い合わせ" || t === "お問い合わせ") return reply(contactReplyText(ctx.city));
  if (t === "避難所" || t.startsWith("避難所を")) return reply(disasterReplyText(ctx.city));
  if (t.includes("予約")) {
    return reply(
      `${ctx.city.name}の予約はこちらからお手続きください。\n${reservationLink(ctx)}\n\n予約の確認・変更・キャンセルも同じページからできます。`,
    );
  }
  if (/避難|災害|防災/.test(t)) return reply(disasterReplyText(ctx.city));
  if (/問い?合わ?せ|電話|連絡先|窓口/.test(t)) return reply(contactReplyText(ctx.city));
  const bot = await chatbotHook(t, ctx);
  if (bot) return { kind: "reply", messages: bot };
  return reply(
    `メッセージありがとうございます。このアカウントからは、ご質問に個別にお返事できません。\n${contactReplyText(ctx.city)}\n\n${HINT}`,
  );
}

/**
 * Hook for the FAQ chatbot (its own issue): return messages to answer, or null to fall back to the
 * standard reply. Receives normalised text; must not log it (residents' messages are personal data).
 */
export async function chatbotHook(_text: string, _ctx: KeywordContext): Promise<LineMessage[] | null> {
  return null;
}

export type SharedLocation = { latitude: number; longitude: number; title?: string; address?: string };

/**
 * Hook for the shelter search (its own issue): a resident shares a location and gets the nearest
 * open shelters. Until then, the city's disaster page and number, so nobody waits in an emergency.
 */
export async function shelterHook(_location: SharedLocation, ctx: KeywordContext): Promise<LineMessage[]> {
  return [text(`位置情報を送っていただきありがとうございます。\n${disasterReplyText(ctx.city)}`)];
}
