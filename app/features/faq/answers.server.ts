import { and, asc, count, desc, eq, max, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { faqEntries, faqUnanswered, type FaqEntry } from "#db/schema/index";
import { linePageUrl } from "~/integrations/line/liff-url";
import type { ConversationContext, Incoming, Reply, Responder } from "~/lib/conversation";
import { t } from "~/lib/i18n";
import { postbackAction, textMessage, type Action } from "~/lib/line-messages";
import { buildFaqIndex, type FaqIndex } from "./match";
import { foldText } from "./normalise";

/**
 * The FAQ in LINE (issue 16): the responder the conversation engine asks after its fixed keywords,
 * the suggestions its fallback offers, and the 未回答 count. Answers come only from the city's
 * published entries; chrome around them is in the friend's language, the entries are the city's own.
 */
type Entry = Pick<FaqEntry, "id" | "question" | "answer" | "category" | "variants">;
type Cached = { version: string; index: FaqIndex<Entry> };

// One index per city, rebuilt when its published entries change (count + last update). Bounded:
// the least recently built city goes first past MAX_CACHED.
const cache = new Map<string, Cached>();
const MAX_CACHED = 200;

/** The city's index of published entries, cached per process until they change. */
export async function faqIndex(tx: DbOrTx, tenantId: string): Promise<FaqIndex<Entry>> {
  const published = and(eq(faqEntries.tenantId, tenantId), eq(faqEntries.published, true));
  const [v] = await tx
    .select({ n: count(), at: max(faqEntries.updatedAt) })
    .from(faqEntries)
    .where(published);
  const version = `${v?.n ?? 0}:${v?.at?.toISOString() ?? ""}`;
  const hit = cache.get(tenantId);
  if (hit?.version === version) return hit.index;
  const rows = await tx
    .select({
      id: faqEntries.id,
      question: faqEntries.question,
      answer: faqEntries.answer,
      category: faqEntries.category,
      variants: faqEntries.variants,
    })
    .from(faqEntries)
    .where(published);
  const index = buildFaqIndex(rows);
  cache.delete(tenantId);
  cache.set(tenantId, { version, index });
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return index;
}

const ENTRY_DATA = "faq=";
const CATEGORY_DATA = "faq-cat=";

const entryButton = (e: Pick<Entry, "id" | "question">) =>
  postbackAction(e.question, `${ENTRY_DATA}${e.id}`, e.question);

export function faqPageUrl(ctx: Pick<ConversationContext, "city" | "appOrigin" | "lang">): string {
  return linePageUrl(`/faq?lang=${encodeURIComponent(ctx.lang)}`, {
    slug: ctx.city.slug,
    liffId: ctx.city.liffId,
    appOrigin: ctx.appOrigin,
  });
}

function answerReply(entry: Entry, ctx: ConversationContext): Reply {
  return { messages: [textMessage(`${entry.question}\n\n${entry.answer}\n\n${t(ctx.lang, "conversation:faq.more")}`)] };
}

async function entryById(tx: DbOrTx, tenantId: string, id: string): Promise<Entry | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [row] = await tx
    .select()
    .from(faqEntries)
    .where(and(eq(faqEntries.tenantId, tenantId), eq(faqEntries.id, id), eq(faqEntries.published, true)));
  return row ?? null;
}

async function categoryReply(ctx: ConversationContext, category: string): Promise<Reply> {
  const rows = await ctx.tx
    .select({ id: faqEntries.id, question: faqEntries.question })
    .from(faqEntries)
    .where(
      and(
        eq(faqEntries.tenantId, ctx.city.tenantId),
        eq(faqEntries.published, true),
        eq(faqEntries.category, category),
      ),
    )
    .orderBy(asc(faqEntries.question))
    .limit(13);
  if (!rows.length) return { messages: [textMessage(t(ctx.lang, "conversation:faq.gone"))] };
  return { messages: [textMessage(t(ctx.lang, "conversation:faq.category", { category }), rows.map(entryButton))] };
}

export const faqResponder: Responder = {
  name: "faq",
  async respond(input: Incoming, ctx: ConversationContext): Promise<Reply | null> {
    if (input.kind === "postback") {
      if (input.data.startsWith(ENTRY_DATA)) {
        const entry = await entryById(ctx.tx, ctx.city.tenantId, input.data.slice(ENTRY_DATA.length));
        return entry ? answerReply(entry, ctx) : { messages: [textMessage(t(ctx.lang, "conversation:faq.gone"))] };
      }
      if (input.data.startsWith(CATEGORY_DATA)) return categoryReply(ctx, input.data.slice(CATEGORY_DATA.length));
      return null;
    }
    if (input.kind !== "text") return null;
    const match = (await faqIndex(ctx.tx, ctx.city.tenantId)).search(input.normalised);
    if (match.kind === "one") return answerReply(match.entry, ctx);
    // Several entries: a guess, which a later responder's definite answer (garbage) overrides.
    if (match.kind === "several")
      return {
        messages: [textMessage(t(ctx.lang, "conversation:faq.several"), match.entries.map(entryButton))],
        tentative: true,
      };
    return null;
  },
};

/** Up to `limit` categories with the most published entries, as quick-reply buttons for the fallback. */
export async function faqSuggestions(tx: DbOrTx, tenantId: string, limit = 3): Promise<Action[]> {
  const rows = await tx
    .select({ category: faqEntries.category, n: count() })
    .from(faqEntries)
    .where(and(eq(faqEntries.tenantId, tenantId), eq(faqEntries.published, true)))
    .groupBy(faqEntries.category)
    .orderBy(desc(count()), asc(faqEntries.category))
    .limit(limit);
  return rows
    .filter((r) => `${CATEGORY_DATA}${r.category}`.length <= 300)
    .map((r) => postbackAction(r.category, `${CATEGORY_DATA}${r.category}`, r.category));
}

/** How a question is kept in 未回答: NFKC, no control characters, spaces squeezed, 200 characters. */
export function unansweredText(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
}

/**
 * Counts a question nobody answered, per city, by its normalised text: no friend id, nothing that
 * points at a resident (ADR 048). Emoji-only and punctuation-only messages are not questions.
 */
export async function recordUnanswered(tx: DbOrTx, tenantId: string, text: string): Promise<void> {
  if (!foldText(text)) return;
  const folded = unansweredText(text);
  await tx
    .insert(faqUnanswered)
    .values({ tenantId, text: folded })
    .onConflictDoUpdate({
      target: [faqUnanswered.tenantId, faqUnanswered.text],
      set: { count: sql`${faqUnanswered.count} + 1`, lastAskedAt: sql`now()` },
    });
}
