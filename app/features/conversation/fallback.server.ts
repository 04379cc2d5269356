import { faqPageUrl, faqSuggestions } from "~/features/faq/answers.server";
import type { ConversationContext, Incoming, Reply } from "~/lib/conversation";
import { t } from "~/lib/i18n";
import { textMessage } from "~/lib/line-messages";
import { contactReplyText } from "./replies";

/**
 * What the account says when nothing answered (never a dead end): that it could not answer, the
 * city's numbers and hours, the public FAQ page, how to book, and up to 3 FAQ categories as quick
 * replies. Emoji-only, control-character and 5,000-character messages land here like any other.
 */
export async function fallbackReply(input: Incoming, ctx: ConversationContext): Promise<Reply> {
  const suggestions = await faqSuggestions(ctx.tx, ctx.city.tenantId, 3);
  const lang = ctx.lang;
  const parts = [
    t(lang, input.kind === "image" ? "conversation:image" : "conversation:fallback.intro"),
    contactReplyText(lang, ctx.city),
    ...(suggestions.length
      ? [t(lang, "conversation:fallback.suggest"), t(lang, "conversation:fallback.faqPage", { url: faqPageUrl(ctx) })]
      : []),
    t(lang, "conversation:fallback.hint"),
  ];
  return { messages: [textMessage(parts.join("\n\n"), suggestions)] };
}
