import { faqResponder } from "~/features/faq/answers.server";
import { garbageDialogs, garbageResponder } from "~/features/garbage/conversation.server";
import { statusDialogs, statusResponder } from "~/features/status-lookup/conversation.server";
import type { Dialog, Responder } from "~/lib/conversation";

/**
 * The slices that answer residents in LINE, in the order the router asks them after its fixed
 * keywords (ADR 047). Adding a slice is one import and one entry here.
 */
export const responders: readonly Responder[] = [statusResponder, faqResponder, garbageResponder];

// Dialogs are found by the name stored with a friend's state.
export const dialogs: readonly Dialog[] = [...garbageDialogs, ...statusDialogs];
