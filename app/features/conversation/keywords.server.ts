import { askTopics, type SurveyCity } from "~/features/line/survey.server";
import { linePageUrl } from "~/integrations/line/liff-url";
import type { ConversationContext, Incoming, Reply } from "~/lib/conversation";
import { t } from "~/lib/i18n";
import { textMessage } from "~/lib/line-messages";
import { contactReplyText } from "./replies";

/**
 * The fixed keywords, asked before any slice (issue 13, kept by issue 16): 「予約」 and 「受信設定」
 * first, then the rich menu's 問い合わせ and 避難所 tiles (they send these texts) and their looser
 * forms. The 避難所 tile, its looser forms and shared locations belong to the shelters slice (issue 18).
 */
export const isCancel = (normalised: string) => /^(やめる|やめます|キャンセル|中止|stop|cancel)$/i.test(normalised);

/** The booking page as LINE opens it: the LIFF URL with channel=line (issue 13.3). */
export function reservationLink(ctx: Pick<ConversationContext, "city" | "appOrigin">) {
  return linePageUrl("/reserve", { slug: ctx.city.slug, liffId: ctx.city.liffId, appOrigin: ctx.appOrigin });
}

export async function answerKeyword(
  input: Incoming,
  ctx: ConversationContext,
  surveyCity: SurveyCity,
): Promise<Reply | null> {
  const say = (text: string): Reply => ({ messages: [textMessage(text)] });
  if (input.kind !== "text") return null;
  const s = input.normalised;
  if (s === "設定" || s.includes("受信設定")) return { messages: await askTopics(ctx.tx, surveyCity, ctx.lineUserId) };
  // The tiles' own texts before the looser forms, so 「問い合わせ」 is never mistaken for anything else.
  if (s === "問い合わせ" || s === "お問い合わせ") return say(contactReplyText(ctx.lang, ctx.city));
  if (s.includes("予約"))
    return say(t(ctx.lang, "conversation:reserve", { city: ctx.city.name, url: reservationLink(ctx) }));
  if (/問い?合わ?せ|電話|連絡先|窓口/.test(s)) return say(contactReplyText(ctx.lang, ctx.city));
  return null;
}
