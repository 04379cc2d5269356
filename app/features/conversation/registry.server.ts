import { faqResponder } from "~/features/faq/answers.server";
import { garbageDialogs, garbageResponder } from "~/features/garbage/conversation.server";
import { shelterResponder } from "~/features/shelters/conversation.server";
import type { Dialog, Responder } from "~/lib/conversation";

/**
 * The slices that answer residents in LINE, in the order the router asks them after its fixed
 * keywords (ADR 047); shelters first, so a disaster question never reaches an FAQ guess. Adding a slice is one import and one entry here.
 */
export const responders: readonly Responder[] = [shelterResponder, faqResponder, garbageResponder];

// Dialogs are found by the name stored with a friend's state.
export const dialogs: readonly Dialog[] = [...garbageDialogs];
