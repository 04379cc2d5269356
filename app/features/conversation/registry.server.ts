import { faqResponder } from "~/features/faq/answers.server";
import { garbageDialogs, garbageResponder } from "~/features/garbage/conversation.server";
import { reportDialog, reportResponder } from "~/features/reports/dialog.server";
import { shelterResponder } from "~/features/shelters/conversation.server";
import { statusDialogs, statusResponder } from "~/features/status-lookup/conversation.server";
import type { Dialog, Responder } from "~/lib/conversation";

/**
 * The slices that answer residents in LINE, in the order the router asks them after its fixed
 * keywords (ADR 047). Adding a slice is one import and one entry here.
 *   - shelters first, so a disaster question (or a shared location) never reaches an FAQ guess;
 *   - reports and status lookups before the FAQ: 「通報」 and 「申請状況」 are commands, not questions an
 *     FAQ entry could answer better (each reacts only to its own words).
 */
export const responders: readonly Responder[] = [
  shelterResponder,
  reportResponder,
  statusResponder,
  faqResponder,
  garbageResponder,
];

// Dialogs are found by the name stored with a friend's state.
export const dialogs: readonly Dialog[] = [reportDialog as unknown as Dialog, ...statusDialogs, ...garbageDialogs];
