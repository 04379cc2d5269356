import { Heading, Text } from "@react-email/components";
import { createElement } from "react";
import { EmailLayout, ReservationFacts, emailStyles } from "./layout";
import type { CityContact } from "~/lib/city-contact";
import { t } from "~/lib/i18n";
import { CityContactBlock } from "./city-contact-block";
import { renderEmail } from "./render.server";

export type ReservationNoticeKind = "confirmed" | "changed" | "cancelled" | "slot-closed";

export type ReservationNoticeProps = {
  kind: ReservationNoticeKind;
  /** The reservation's language (ADR 045): every fixed text, the subject and the date follow it. */
  lang: string;
  cityName: string;
  serviceName: string;
  contactName: string;
  confirmationCode: string;
  dose: number;
  venueName: string;
  venueAddress: string;
  /** Already formatted in Japan time for `lang` (formatDateTimeFor), e.g. "令和8年12月1日(火) 9:30". */
  startsAtText: string;
  whatToBring: string;
  manageUrl: string;
  /** The city's 問い合わせ窓口 (ADR 031); null or absent = not set. */
  contact?: CityContact | null;
};

/** The catalogue key of each notice's heading (notice.json), shared with the LINE notice. */
export const NOTICE_HEADING_KEY: Record<ReservationNoticeKind, string> = {
  confirmed: "notice:heading.confirmed",
  changed: "notice:heading.changed",
  cancelled: "notice:heading.cancelled",
  "slot-closed": "notice:heading.slotClosed",
};

export function reservationNoticeSubject({
  kind,
  lang,
  cityName,
  serviceName,
}: Pick<ReservationNoticeProps, "kind" | "lang" | "cityName" | "serviceName">) {
  const heading = t(lang, NOTICE_HEADING_KEY[kind]);
  return t(lang, "email:notice.subject", { city: cityName, service: serviceName, heading });
}

export function ReservationNoticeEmail(p: ReservationNoticeProps) {
  const active = p.kind === "confirmed" || p.kind === "changed";
  const heading = t(p.lang, NOTICE_HEADING_KEY[p.kind]);
  const link = t(p.lang, "email:notice.link", {
    label: t(p.lang, active ? "notice:manage" : "notice:newBooking"),
    url: p.manageUrl,
  });
  return (
    <EmailLayout cityName={p.cityName} preview={`${p.serviceName} ${heading}`} lang={p.lang}>
      <Heading as="h1" style={{ fontSize: "20px", margin: "0 0 16px" }}>
        {heading}
      </Heading>
      <Text style={emailStyles.paragraph}>{t(p.lang, "email:greeting", { name: p.contactName })}</Text>
      {p.kind === "slot-closed" ? (
        <Text style={emailStyles.paragraph}>{t(p.lang, "notice:slotClosedBody")}</Text>
      ) : null}
      <ReservationFacts {...p} />
      {active && p.whatToBring ? (
        <Text style={emailStyles.paragraph}>{t(p.lang, "notice:facts.whatToBring", { items: p.whatToBring })}</Text>
      ) : null}
      {active ? <Text style={emailStyles.note}>{t(p.lang, "email:notice.willNotify")}</Text> : null}
      <Text style={emailStyles.note}>{link}</Text>
      <CityContactBlock contact={p.contact ?? null} cityName={p.cityName} lang={p.lang} />
    </EmailLayout>
  );
}

export async function buildReservationNoticeEmail(props: ReservationNoticeProps) {
  const { html, text } = await renderEmail(createElement(ReservationNoticeEmail, props));
  return { subject: reservationNoticeSubject(props), html, text };
}
