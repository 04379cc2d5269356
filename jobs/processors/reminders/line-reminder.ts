import type { messagingApi } from "@line/bot-sdk";
import { t } from "~/lib/i18n";
import { factLines } from "../notice/line-notice";

/**
 * The reminder as one LINE text message: like the notice, no name (the message sits on the
 * resident's phone and at LINE), the date written out (a late reminder must still be true). In the
 * friend's language (ADR 045): an English-speaking friend gets it in English.
 */
export type LineReminderInput = {
  /** The LINE friend's language; `startsAtText` is already formatted for it. */
  lang: string;
  cityName: string;
  serviceName: string;
  dose: number;
  startsAtText: string;
  venueName: string;
  venueAddress: string;
  accessNotes: string;
  whatToBring: string;
  confirmationCode: string;
  manageUrl: string;
};

const TEXT_MAX = 5000;

export function lineReminderText(p: LineReminderInput): string {
  const { lang } = p;
  const lines = [`【${p.cityName}】${t(lang, "notice:heading.reminder")}`, "", ...factLines(lang, p)];
  if (p.accessNotes) lines.push(t(lang, "notice:facts.access", { notes: p.accessNotes }));
  if (p.whatToBring) lines.push(t(lang, "notice:facts.whatToBring", { items: p.whatToBring }));
  lines.push(
    t(lang, "notice:facts.code", { code: p.confirmationCode }),
    "",
    `${t(lang, "notice:reminderManage")}\n${p.manageUrl}`,
  );
  return lines.join("\n").slice(0, TEXT_MAX);
}

export function lineReminderMessages(p: LineReminderInput): messagingApi.Message[] {
  return [{ type: "text", text: lineReminderText(p) } as messagingApi.TextMessage];
}
