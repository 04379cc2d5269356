import type { messagingApi } from "@line/bot-sdk";
import type { ConversationContext, Dialog, DialogStep, Incoming, Reply, Responder } from "~/lib/conversation";
import type { LineMessage } from "~/integrations/line/client.server";
import { t } from "~/lib/i18n";
import { tokyoDateOf } from "~/lib/japan-time";
import { updateFriend } from "~/features/line/friends.server";
import { daysText, itemText } from "./answers";
import { cachedGarbage, type GarbageState } from "./garbage.server";
import { findArea } from "./schedule";
import { fold, searchItems } from "./search";
import { contactReplyText } from "~/features/conversation/replies";

/**
 * Garbage answers in LINE (issue 16): 「ごみの日」 → the next date of each category for the friend's
 * area (asking the area once when unknown, then keeping it on the friend); 「<品目>」 → how to put
 * it out, from the city's target.csv only. Anything else is not ours (null: the router goes on).
 */
const DAYS_KEYWORDS = new Set(
  [
    "ごみ",
    "ごみの日",
    "ごみの日は",
    "ごみの日はいつ",
    "ごみ出し",
    "収集日",
    "ごみ収集日",
    "ごみカレンダー",
    "garbage",
    "garbageday",
    "garbagedays",
    "trash",
    "trashday",
  ].map(fold),
);

const QUICK_REPLY_MAX = 13;
const LABEL_MAX = 20;

const text = (body: string, quick?: string[]): LineMessage =>
  ({
    type: "text",
    text: body.slice(0, 5000),
    ...(quick?.length
      ? {
          quickReply: {
            items: quick.slice(0, QUICK_REPLY_MAX).map((label) => ({
              type: "action",
              action: { type: "message", label: label.slice(0, LABEL_MAX), text: label },
            })),
          },
        }
      : {}),
  }) as messagingApi.TextMessage;

const today = (ctx: ConversationContext) => tokyoDateOf(ctx.now);

function daysReply(ctx: ConversationContext, state: GarbageState, areaName: string): LineMessage[] {
  const area = findArea(state, areaName);
  if (!area) return [text(t(ctx.lang, "garbage:line.noAreaData", { area: areaName }))];
  return [text(daysText(ctx.lang, state, area, today(ctx), { appOrigin: ctx.appOrigin, slug: ctx.city.slug }))];
}

/** The areas offered as quick replies: the city's areas that have data, in the city's order. */
const areasWithData = (ctx: ConversationContext, state: GarbageState) =>
  ctx.city.areas.filter((a) => findArea(state, a));

/** No dataset yet: say so, with the city's numbers (never a dead end). */
const noDataText = (ctx: ConversationContext) =>
  text(
    [t(ctx.lang, "garbage:line.noData", { city: ctx.city.name }), contactReplyText(ctx.lang, ctx.city)].join("\n\n"),
  );

export const garbageResponder: Responder = {
  name: "garbage",
  async respond(input: Incoming, ctx: ConversationContext): Promise<Reply | null> {
    if (input.kind !== "text") return null;
    const q = fold(input.normalised || input.text);
    if (!q || q.length > 60) return null;
    const asksDays = DAYS_KEYWORDS.has(q);
    const state = await cachedGarbage(ctx.tx, ctx.city.tenantId);
    if (!state) return asksDays ? { messages: [noDataText(ctx)] } : null;
    if (asksDays) {
      if (ctx.area && findArea(state, ctx.area)) return { messages: daysReply(ctx, state, ctx.area) };
      return { messages: [], startDialog: { dialog: garbageAreaDialog.name } };
    }
    const found = searchItems(state.dataset.items, input.normalised || input.text);
    if (found.length === 0) return null;
    if (found.length === 1) {
      const area = findArea(state, ctx.area);
      return { messages: [text(itemText(ctx.lang, state, found[0]!, area, today(ctx)))] };
    }
    return {
      messages: [
        text(
          t(ctx.lang, "garbage:line.itemChoose"),
          found.map((i) => i.name),
        ),
      ],
    };
  },
};

type AreaState = { tries: number };
const MAX_TRIES = 3;

/** Asks the friend's area once (quick replies of the areas with data), keeps it, then answers. */
export const garbageAreaDialog: Dialog<AreaState> = {
  name: "garbage-area",
  ttlSeconds: 30 * 60,
  async start(ctx): Promise<DialogStep<AreaState>> {
    const state = await cachedGarbage(ctx.tx, ctx.city.tenantId);
    if (!state) return { messages: [noDataText(ctx)], state: null };
    return { messages: [text(t(ctx.lang, "garbage:line.askArea"), areasWithData(ctx, state))], state: { tries: 0 } };
  },
  async step(input, dialogState, ctx): Promise<DialogStep<AreaState>> {
    const state = await cachedGarbage(ctx.tx, ctx.city.tenantId);
    if (!state) return { messages: [noDataText(ctx)], state: null };
    const options = areasWithData(ctx, state);
    const said = input.kind === "text" ? fold(input.normalised || input.text) : "";
    const chosen = options.find((a) => fold(a) === said);
    if (chosen) {
      // The survey's own attribute (one of the city's areas; ADR 008): asked once, then remembered.
      await updateFriend(ctx.tx, ctx.city.tenantId, ctx.lineUserId, [{ field: "area", value: chosen }]);
      return { messages: daysReply(ctx, state, chosen), state: null };
    }
    const tries = (dialogState.tries ?? 0) + 1;
    if (tries >= MAX_TRIES) {
      const url = `${ctx.appOrigin}/c/${ctx.city.slug}/garbage`;
      return { messages: [text(t(ctx.lang, "garbage:line.areaGiveUp", { url }))], state: null };
    }
    return { messages: [text(t(ctx.lang, "garbage:line.areaAgain"), options)], state: { tries } };
  },
};

export const garbageDialogs: Dialog[] = [garbageAreaDialog as unknown as Dialog];
