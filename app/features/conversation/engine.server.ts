import type { Tx } from "#db/client.server";
import { recordUnanswered } from "~/features/faq/answers.server";
import { ensureFriend } from "~/features/line/friends.server";
import { friendLanguage, handleSurveyPostback, type SurveyCity } from "~/features/line/survey.server";
import type {
  ContentFetcher,
  ConversationCity,
  ConversationContext,
  Dialog,
  Incoming,
  Reply,
  Responder,
} from "~/lib/conversation";
import { t } from "~/lib/i18n";
import { LIMITS, textMessage, type Message } from "~/lib/line-messages";
import { activeDialog, endDialog, saveDialog } from "./dialog-store.server";
import { fallbackReply } from "./fallback.server";
import { answerKeyword, isCancel } from "./keywords.server";
import { dialogs as registeredDialogs, responders as registeredResponders } from "./registry.server";

/**
 * The conversation engine (issue 16, ADR 047): one ordered router for a friend's text, postback,
 * location and image events.
 *
 *   survey postbacks (self-identifying, stateless) → 「やめる」 while a dialog is active
 *   → the active dialog → fixed keywords (予約, 受信設定, 問い合わせ, 避難所) → FAQ → garbage → fallback
 *
 * A responder's tentative reply (the FAQ's "did you mean one of these?") gives way to a definite
 * reply of a later responder (garbage's 「ごみの日」), and is sent when none comes.
 *
 * Everything runs in the event's transaction; the worker's processor sends what this returns.
 */
export type EngineCity = Omit<ConversationCity, "topics"> & SurveyCity;
export type Routing = { responders: readonly Responder[]; dialogs: readonly Dialog[] };

const DEFAULT_ROUTING: Routing = { responders: registeredResponders, dialogs: registeredDialogs };

export async function converse(
  tx: Tx,
  city: EngineCity,
  lineUserId: string,
  input: Incoming,
  opts: { appOrigin: string; now: Date; routing?: Routing; fetchContent?: ContentFetcher },
): Promise<Message[]> {
  const routing = opts.routing ?? DEFAULT_ROUTING;
  if (input.kind === "postback") {
    const survey = await handleSurveyPostback(tx, city, lineUserId, input.data);
    if (survey) return survey;
  }
  const friend = await ensureFriend(tx, city.tenantId, lineUserId);
  const ctx: ConversationContext = {
    tx,
    city: { ...city, topics: city.topics.map((tp) => tp.key) },
    lineUserId,
    lang: friendLanguage(friend),
    area: friend.area ?? null,
    appOrigin: opts.appOrigin,
    now: opts.now,
    ...(opts.fetchContent ? { fetchContent: opts.fetchContent } : {}),
  };
  const tenantId = city.tenantId;

  const active = await activeDialog(tx, tenantId, lineUserId, opts.now);
  const dialog = active && routing.dialogs.find((d) => d.name === active.dialog);
  if (active && input.kind === "text" && isCancel(input.normalised)) {
    await endDialog(tx, tenantId, lineUserId);
    return [textMessage(t(ctx.lang, "conversation:dialog.cancelled"))];
  }
  if (active && dialog) {
    const step = await dialog.step(input, active.state, ctx);
    await keep(ctx, dialog, step.state);
    return cap(step.messages);
  }
  // A dialog renamed or removed since: its conversation ends; this message is routed afresh.
  if (active) await endDialog(tx, tenantId, lineUserId);

  const keyword = await answerKeyword(input, ctx, city);
  if (keyword) return deliver(ctx, keyword, routing);
  // A tentative reply (several possible answers) waits for a definite one from a later responder.
  let tentative: Reply | null = null;
  for (const responder of routing.responders) {
    const reply = await responder.respond(input, ctx);
    if (reply?.tentative) tentative ??= reply;
    else if (reply) return deliver(ctx, reply, routing);
  }
  if (tentative) return deliver(ctx, tentative, routing);
  if (input.kind === "text") await recordUnanswered(tx, tenantId, input.text);
  // Also a postback nobody owns (a button from an old message): the resident still gets somewhere.
  return cap((await fallbackReply(input, ctx)).messages);
}

async function keep(ctx: ConversationContext, dialog: Dialog, state: Record<string, unknown> | null) {
  if (state === null) await endDialog(ctx.tx, ctx.city.tenantId, ctx.lineUserId);
  else
    await saveDialog(
      ctx.tx,
      ctx.city.tenantId,
      ctx.lineUserId,
      dialog.name,
      state,
      new Date(ctx.now.getTime() + dialog.ttlSeconds * 1000),
    );
}

async function deliver(ctx: ConversationContext, reply: Reply, routing: Routing): Promise<Message[]> {
  const start = reply.startDialog;
  const dialog = start && routing.dialogs.find((d) => d.name === start.dialog);
  if (!dialog) return cap(reply.messages);
  const first = await dialog.start(ctx, start.data);
  await keep(ctx, dialog, first.state);
  return cap([...reply.messages, ...first.messages]);
}

/** LINE takes at most 5 messages per reply or push: the rest would be refused with the whole send. */
const cap = (messages: Message[]) => messages.slice(0, LIMITS.messagesPerReply);
