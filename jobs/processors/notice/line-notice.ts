import type { messagingApi } from "@line/bot-sdk";
import type { ReservationNoticeKind } from "#emails/reservation-notice";
import { linePageUrl } from "~/integrations/line/liff-url";
import { contactLines, type CityContact } from "~/lib/city-contact";

/**
 * The reservation notice as one LINE text message: the same facts as the e-mail (service, dose,
 * date and time, venue, what to bring, confirmation code, where to manage it). No name: a LINE
 * message sits on the resident's phone and on LINE's servers, and the recipient knows who they are.
 * Pure, so the wording is easy to test; LINE allows 5,000 characters per text message.
 */
export type LineNoticeInput = {
  kind: ReservationNoticeKind;
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

const HEADINGS: Record<ReservationNoticeKind, string> = {
  confirmed: "予約が確定しました",
  changed: "予約を変更しました",
  cancelled: "予約をキャンセルしました",
  "slot-closed": "予約していた日時が中止になりました",
};

const TEXT_MAX = 5000;

export function lineNoticeText(p: LineNoticeInput): string {
  const active = p.kind === "confirmed" || p.kind === "changed";
  const lines = [`【${p.cityName}】${HEADINGS[p.kind]}`, ""];
  if (p.kind === "slot-closed")
    lines.push(
      "ご予約の日時は、都合により中止となりました。大変申し訳ありません。お手数ですが、別の日時でご予約ください。",
      "",
    );
  lines.push(
    `${p.serviceName}（${p.dose}回目）`,
    `日時：${p.startsAtText}`,
    `会場：${p.venueName}（${p.venueAddress}）`,
  );
  if (active && p.whatToBring) lines.push(`持ち物：${p.whatToBring}`);
  lines.push(`予約番号：${p.confirmationCode}`, "");
  lines.push(active ? `予約の確認・変更・キャンセルはこちら\n${p.manageUrl}` : `新しい予約はこちら\n${p.manageUrl}`);
  const contact = contactLines(p.contact ?? null);
  if (contact.length) lines.push("", "お電話でのお問い合わせ", ...contact);
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
