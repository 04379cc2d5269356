import type { messagingApi } from "@line/bot-sdk";
import { NOTICE_HEADING_KEY, type ReservationNoticeKind } from "#emails/reservation-notice";
import { linePageUrl } from "~/integrations/line/liff-url";
import { contactLines, type CityContact } from "~/lib/city-contact";
import { t } from "~/lib/i18n";

/**
 * The reservation notice as one LINE text message: the same facts as the e-mail (service, dose,
 * date and time, venue, what to bring, confirmation code, where to manage it). No name: a LINE
 * message sits on the resident's phone and on LINE's servers, and the recipient knows who they are.
 * Pure, so the wording is easy to test; LINE allows 5,000 characters per text message. Written in
 * the friend's language (ADR 045), furigana in parentheses for やさしい日本語.
 */
export type LineNoticeInput = {
  kind: ReservationNoticeKind;
  /** The LINE friend's language (friendLanguage); `startsAtText` is already formatted for it. */
  lang: string;
  cityName: string;
  serviceName: string;
  dose: number;
  startsAtText: string;
  venueName: string;
  venueAddress: string;
  whatToBring: string;
  confirmationCode: string;
  manageUrl: string;
  /** The city's 問い合わせ窓口 (ADR 031), added at the end when set. */
  contact?: CityContact | null;
};

const TEXT_MAX = 5000;

/** The facts every message about a reservation repeats (notice and reminder), in `lang`. */
export function factLines(
  lang: string,
  p: { serviceName: string; dose: number; startsAtText: string; venueName: string; venueAddress: string },
): string[] {
  return [
    t(lang, "notice:facts.service", { service: p.serviceName, dose: p.dose }),
    t(lang, "notice:facts.when", { when: p.startsAtText }),
    t(lang, "notice:facts.venue", { venue: p.venueName, address: p.venueAddress }),
  ];
}

export function lineNoticeText(p: LineNoticeInput): string {
  const { lang } = p;
  const active = p.kind === "confirmed" || p.kind === "changed";
  const lines = [`【${p.cityName}】${t(lang, NOTICE_HEADING_KEY[p.kind])}`, ""];
  if (p.kind === "slot-closed") lines.push(t(lang, "notice:slotClosedBody"), "");
  lines.push(...factLines(lang, p));
  if (active && p.whatToBring) lines.push(t(lang, "notice:facts.whatToBring", { items: p.whatToBring }));
  lines.push(t(lang, "notice:facts.code", { code: p.confirmationCode }), "");
  lines.push(`${t(lang, active ? "notice:manage" : "notice:newBooking")}\n${p.manageUrl}`);
  const contact = contactLines(p.contact ?? null);
  if (contact.length) lines.push("", t(lang, "notice:contact.heading"), ...contact);
  return lines.join("\n").slice(0, TEXT_MAX);
}

export function lineNoticeMessages(p: LineNoticeInput): messagingApi.Message[] {
  return [{ type: "text", text: lineNoticeText(p) } as messagingApi.TextMessage];
}

/**
 * Where "my reservation" opens from the message: the city's LIFF app when it has one (the page then
 * knows the LINE user and shows the linked reservations without the ticket number; the LIFF
 * endpoint is the city's `/c/<city>`), else the plain web page.
 */
export function noticeLink(input: {
  appOrigin: string;
  slug: string;
  liffId: string | null;
  path: "reservation" | "reserve";
}): string {
  return linePageUrl(`/${input.path}`, input);
}
