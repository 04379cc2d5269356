import type { ConversationContext, Dialog, DialogStep, Incoming, Reply, Responder } from "~/lib/conversation";
import { t } from "~/lib/i18n";
import { LIMITS, postbackAction, textMessage } from "~/lib/line-messages";
import { parseBirthDate } from "~/features/roster/birth-date";
import { checkStatusIn, publicLookupsIn, resultMessage, subscribeIn } from "./check.server";

/**
 * 申請状況 in LINE (issue 19) on the conversation engine (ADR 047): 「申請状況」 → choose the lookup
 * (quick replies; skipped when there is one) → the number → the birth date → the status text, then
 * 「変わったら知らせて？」. The number waits in the dialog state for one step only (the state expires
 * after 10 minutes and is dropped when the dialog ends); the friend's LINE id is the address bucket
 * of the limits.
 */
const KEYWORDS = new Set(["申請状況", "申請の状況", "申請状況の確認", "しんせいじょうきょう", "applicationstatus"]);
const fold = (s: string) => s.normalize("NFKC").replace(/\s+/g, "").toLowerCase();
const PICK = "status:pick:";
const OPT = "status:opt:";

type State = { step: "pick" | "key" | "birth" | "opt"; lookupId?: string; key?: string; rowId?: string };

export const statusResponder: Responder = {
  name: "status-lookup",
  async respond(input: Incoming, _ctx: ConversationContext): Promise<Reply | null> {
    const own =
      (input.kind === "text" && KEYWORDS.has(fold(input.normalised))) ||
      (input.kind === "postback" && input.data.startsWith(PICK));
    if (!own) return null;
    return {
      messages: [],
      startDialog: {
        dialog: statusDialog.name,
        data: input.kind === "postback" ? { pick: input.data.slice(PICK.length) } : {},
      },
    };
  },
};

async function askKey(ctx: ConversationContext, lookupId: string): Promise<DialogStep<State>> {
  const lookups = await publicLookupsIn(ctx.tx, ctx.city.tenantId, ctx.now);
  const l = lookups.find((x) => x.id === lookupId);
  if (!l) return { messages: [textMessage(t(ctx.lang, "status:result.unknown"))], state: null };
  if (l.phase !== "open")
    return {
      messages: [textMessage(resultMessage(ctx.lang, { kind: l.phase === "closed" ? "closed" : "notOpen" }, l))],
      state: null,
    };
  return {
    messages: [textMessage(t(ctx.lang, "status:line.askKey", { title: l.title, label: l.keyLabel }))],
    state: { step: "key", lookupId },
  };
}

export const statusDialog: Dialog<State> = {
  name: "status-lookup",
  ttlSeconds: 10 * 60,
  async start(ctx, data): Promise<DialogStep<State>> {
    const pick = typeof data?.pick === "string" ? data.pick : null;
    if (pick) return askKey(ctx, pick);
    const lookups = await publicLookupsIn(ctx.tx, ctx.city.tenantId, ctx.now);
    const open = lookups.filter((l) => l.phase === "open");
    if (open.length === 0) return { messages: [textMessage(t(ctx.lang, "status:none"))], state: null };
    if (open.length === 1) return askKey(ctx, open[0]!.id);
    const actions = open
      .slice(0, LIMITS.quickReplyItems)
      .map((l) => postbackAction(l.title, `${PICK}${l.id}`, l.title));
    return { messages: [textMessage(t(ctx.lang, "status:line.askLookup"), actions)], state: { step: "pick" } };
  },
  async step(input, state, ctx): Promise<DialogStep<State>> {
    if (state.step === "pick") {
      if (input.kind === "postback" && input.data.startsWith(PICK)) return askKey(ctx, input.data.slice(PICK.length));
      return { messages: [textMessage(t(ctx.lang, "status:line.noChoice"))], state };
    }
    if (state.step === "key" && input.kind === "text" && input.normalised) {
      return {
        messages: [textMessage(t(ctx.lang, "status:line.askBirth"))],
        state: { ...state, step: "birth", key: input.normalised.slice(0, 100) },
      };
    }
    if (state.step === "birth" && input.kind === "text") {
      const birth = parseBirthDate(input.normalised);
      if (!birth.ok) return { messages: [textMessage(t(ctx.lang, "status:line.badBirth"))], state };
      const result = await checkStatusIn(ctx.tx, {
        tenantId: ctx.city.tenantId,
        lookupId: state.lookupId!,
        key: state.key ?? "",
        birthDate: birth.date,
        ip: `line:${ctx.lineUserId}`,
        lang: ctx.lang,
        now: ctx.now,
      });
      const lookup = (await publicLookupsIn(ctx.tx, ctx.city.tenantId, ctx.now)).find((l) => l.id === state.lookupId);
      const text = resultMessage(ctx.lang, result, lookup ?? { title: "" });
      if (result.kind !== "found") return { messages: [textMessage(text)], state: null };
      const ask = textMessage(t(ctx.lang, "status:optIn.ask"), [
        postbackAction(t(ctx.lang, "status:optIn.yes"), `${OPT}yes`, t(ctx.lang, "status:optIn.yes")),
        postbackAction(t(ctx.lang, "status:optIn.no"), `${OPT}no`, t(ctx.lang, "status:optIn.no")),
      ]);
      // The number is no longer needed: only the row's id stays, for the opt-in answer.
      return {
        messages: [textMessage(text), ask],
        state: { step: "opt", lookupId: state.lookupId, rowId: result.rowId },
      };
    }
    if (state.step === "opt" && input.kind === "postback" && input.data.startsWith(OPT)) {
      if (input.data === `${OPT}yes` && state.rowId) {
        await subscribeIn(ctx.tx, {
          tenantId: ctx.city.tenantId,
          rowId: state.rowId,
          lang: ctx.lang,
          lineUserId: ctx.lineUserId,
        });
        return { messages: [textMessage(t(ctx.lang, "status:optIn.done"))], state: null };
      }
      return { messages: [textMessage(t(ctx.lang, "status:optIn.declined"))], state: null };
    }
    // Anything else mid-dialog: ask again for what this step needs.
    const again =
      state.step === "birth"
        ? "status:line.askBirth"
        : state.step === "opt"
          ? "status:optIn.ask"
          : "status:line.noChoice";
    if (state.step === "key" && state.lookupId) return askKey(ctx, state.lookupId);
    return { messages: [textMessage(t(ctx.lang, again))], state };
  },
};

export const statusDialogs: Dialog[] = [statusDialog as unknown as Dialog];
