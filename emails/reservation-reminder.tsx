import { Heading, Text } from "@react-email/components";
import { createElement } from "react";
import { EmailLayout, ReservationFacts, emailStyles } from "./layout";
import type { CityContact } from "~/lib/city-contact";
import { CityContactBlock } from "./city-contact-block";
import { renderEmail } from "./render.server";

export type ReservationReminderProps = {
  cityName: string;
  serviceName: string;
  contactName: string;
  confirmationCode: string;
  dose: number;
  venueName: string;
  venueAddress: string;
  /** How to get there (bus stop, parking): many residents come by car or community bus. */
  accessNotes: string;
  /** Already formatted in Japan time with weekday, e.g. "2026年12月1日(火) 9:30". */
  startsAtText: string;
  whatToBring: string;
  manageUrl: string;
  /** The city's 問い合わせ窓口 (ADR 031); null or absent = not set. */
  contact?: CityContact | null;
};

/**
 * The reminder before a session. It names the date rather than saying "明日" or "2時間後": a
 * reminder that arrives late (a worker outage) or is read later must still be true.
 */
export function reservationReminderSubject({
  cityName,
  serviceName,
  startsAtText,
}: Pick<ReservationReminderProps, "cityName" | "serviceName" | "startsAtText">) {
  return `【${cityName}】${serviceName} ご予約日時のお知らせ（${startsAtText}）`;
}

export function ReservationReminderEmail(p: ReservationReminderProps) {
  return (
    <EmailLayout cityName={p.cityName} preview={`${p.startsAtText} ${p.venueName}`}>
      <Heading as="h1" style={{ fontSize: "20px", margin: "0 0 16px" }}>
        ご予約日時が近づいています
      </Heading>
      <Text style={emailStyles.paragraph}>{`${p.contactName} 様`}</Text>
      <ReservationFacts {...p} />
      {p.accessNotes ? <Text style={emailStyles.paragraph}>{`交通・駐車場：${p.accessNotes}`}</Text> : null}
      {p.whatToBring ? <Text style={emailStyles.paragraph}>{`持ち物：${p.whatToBring}`}</Text> : null}
      <Text
        style={emailStyles.note}
      >{`ご都合が悪くなった場合は、予約の変更・キャンセルをお願いします：${p.manageUrl}`}</Text>
      <CityContactBlock contact={p.contact ?? null} cityName={p.cityName} />
    </EmailLayout>
  );
}

export async function buildReservationReminderEmail(props: ReservationReminderProps) {
  const { html, text } = await renderEmail(createElement(ReservationReminderEmail, props));
  return { subject: reservationReminderSubject(props), html, text };
}
