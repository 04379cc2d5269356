import { Heading, Text } from "@react-email/components";
import { createElement } from "react";
import { EmailLayout, ReservationFacts, emailStyles } from "./layout";
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
      <Text style={emailStyles.note}>
        {active ? `予約の確認・変更・キャンセルはこちら：${p.manageUrl}` : `新しい予約はこちら：${p.manageUrl}`}
      </Text>
      <Text style={emailStyles.note}>お電話でのお問い合わせは、市役所・役場の予約窓口へお願いします。</Text>
    </EmailLayout>
  );
}

export async function buildReservationNoticeEmail(props: ReservationNoticeProps) {
  const { html, text } = await renderEmail(createElement(ReservationNoticeEmail, props));
  return { subject: reservationNoticeSubject(props), html, text };
}
