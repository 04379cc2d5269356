import { Heading, Text } from "@react-email/components";
import { createElement } from "react";
import { EmailLayout, ReservationFacts, emailStyles } from "./layout";
import type { CityContact } from "~/lib/city-contact";
import { CityContactBlock } from "./city-contact-block";
import { renderEmail } from "./render.server";

export type ReservationNoticeKind = "confirmed" | "changed" | "cancelled" | "slot-closed";

export type ReservationNoticeProps = {
  kind: ReservationNoticeKind;
  cityName: string;
  serviceName: string;
  contactName: string;
  confirmationCode: string;
  dose: number;
  venueName: string;
  venueAddress: string;
  /** Already formatted in Japan time with weekday, e.g. "2026年12月1日(火) 9:30". */
  startsAtText: string;
  whatToBring: string;
  manageUrl: string;
  /** The city's 問い合わせ窓口 (ADR 031); null or absent = not set. */
  contact?: CityContact | null;
};

const HEADINGS: Record<ReservationNoticeKind, string> = {
  confirmed: "予約が確定しました",
  changed: "予約を変更しました",
  cancelled: "予約をキャンセルしました",
  "slot-closed": "予約していた日時が中止になりました",
};

export function reservationNoticeSubject({
  kind,
  cityName,
  serviceName,
}: Pick<ReservationNoticeProps, "kind" | "cityName" | "serviceName">) {
  return `【${cityName}】${serviceName} ${HEADINGS[kind]}`;
}

export function ReservationNoticeEmail(p: ReservationNoticeProps) {
  const active = p.kind === "confirmed" || p.kind === "changed";
  return (
    <EmailLayout cityName={p.cityName} preview={`${p.serviceName} ${HEADINGS[p.kind]}`}>
      <Heading as="h1" style={{ fontSize: "20px", margin: "0 0 16px" }}>
        {HEADINGS[p.kind]}
      </Heading>
      <Text style={emailStyles.paragraph}>{`${p.contactName} 様`}</Text>
      {p.kind === "slot-closed" ? (
        <Text style={emailStyles.paragraph}>
          {`ご予約の日時は、都合により中止となりました。大変申し訳ありません。お手数ですが、別の日時でご予約ください。`}
        </Text>
      ) : null}
      <ReservationFacts {...p} />
      {active && p.whatToBring ? <Text style={emailStyles.paragraph}>{`持ち物：${p.whatToBring}`}</Text> : null}
      {active ? (
        <Text style={emailStyles.note}>
          このご予約についてのお知らせ（変更・中止など）は、このメールアドレスにお送りします。
        </Text>
      ) : null}
      <Text style={emailStyles.note}>
        {active ? `予約の確認・変更・キャンセルはこちら：${p.manageUrl}` : `新しい予約はこちら：${p.manageUrl}`}
      </Text>
      <CityContactBlock contact={p.contact ?? null} cityName={p.cityName} />
    </EmailLayout>
  );
}

export async function buildReservationNoticeEmail(props: ReservationNoticeProps) {
  const { html, text } = await renderEmail(createElement(ReservationNoticeEmail, props));
  return { subject: reservationNoticeSubject(props), html, text };
}
