import type { messagingApi } from "@line/bot-sdk";
import type { LineMessage } from "~/integrations/line/client.server";

/**
 * What the account answers to free text and to a shared location. Keywords first; everything else
 * goes to `chatbotHook` (the FAQ chatbot issue plugs in there) and, while it answers nothing, to a
 * polite pointer to the city's contact desk.
 */
export type KeywordCity = { slug: string; name: string };
export type KeywordContext = { city: KeywordCity; appOrigin: string; lineUserId: string };

export type KeywordOutcome = { kind: "reply"; messages: LineMessage[] } | { kind: "restart-topics" };

const text = (t: string): LineMessage => ({ type: "text", text: t }) as messagingApi.TextMessage;

/** Full-width and half-width forms compare equal; surrounding spaces and line breaks are ignored. */
export function normaliseText(input: string) {
  return input.normalize("NFKC").trim();
}

export function reservationLink(ctx: { city: KeywordCity; appOrigin: string }) {
  return `${ctx.appOrigin}/c/${ctx.city.slug}/reserve`;
}

export async function answerText(input: string, ctx: KeywordContext): Promise<KeywordOutcome> {
  const t = normaliseText(input);
  if (t === "設定" || t.includes("受信設定")) return { kind: "restart-topics" };
  if (t.includes("予約")) {
    return {
      kind: "reply",
      messages: [
        text(
          `${ctx.city.name}の予約はこちらからお手続きください。\n${reservationLink(ctx)}\n\n予約の確認・変更・キャンセルも同じページからできます。`,
        ),
      ],
    };
  }
  const bot = await chatbotHook(t, ctx);
  if (bot) return { kind: "reply", messages: bot };
  return {
    kind: "reply",
    messages: [
      text(
        `メッセージありがとうございます。このアカウントでは個別のご質問にお答えできません。\nお問い合わせは${ctx.city.name}の担当窓口へお電話か、ホームページのお問い合わせフォームからお願いいたします。\n\n「予約」と送ると予約のページを、「受信設定」と送るとお知らせの受け取り設定をご案内します。`,
      ),
    ],
  };
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
 * open shelters. Until then, a clear "coming soon" so nobody waits for an answer in an emergency.
 */
export async function shelterHook(_location: SharedLocation, ctx: KeywordContext): Promise<LineMessage[]> {
  return [
    text(
      `位置情報を送っていただきありがとうございます。近くの避難所をお知らせする機能は現在準備中です。\n災害時は${ctx.city.name}のホームページや防災無線、テレビ・ラジオの情報をご確認ください。命に関わる場合はためらわず119番・110番へ。`,
    ),
  ];
}
