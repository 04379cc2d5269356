import { Heading, Text } from "@react-email/components";
import { createElement } from "react";
import { EmailLayout, ReservationFacts, emailStyles } from "./layout";
import type { CityContact } from "~/lib/city-contact";
import { t } from "~/lib/i18n";
import { CityContactBlock } from "./city-contact-block";
import { renderEmail } from "./render.server";

export type ReservationReminderProps = {
  /** The reservation's language (ADR 045): every fixed text, the subject and the date follow it. */
  lang: string;
  cityName: string;
  serviceName: string;
  contactName: string;
  confirmationCode: string;
  dose: number;
  venueName: string;
  venueAddress: string;
  /** How to get there (bus stop, parking): many residents come by car or community bus. */
  accessNotes: string;
  /** Already formatted in Japan time for `lang` (formatDateTimeFor), e.g. "令和8年12月1日(火) 9:30". */
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
  lang,
  cityName,
  serviceName,
  startsAtText,
}: Pick<ReservationReminderProps, "lang" | "cityName" | "serviceName" | "startsAtText">) {
  return t(lang, "email:reminder.subject", { city: cityName, service: serviceName, when: startsAtText });
}

export function ReservationReminderEmail(p: ReservationReminderProps) {
  const manage = t(p.lang, "email:notice.link", { label: t(p.lang, "notice:reminderManage"), url: p.manageUrl });
  return (
    <EmailLayout cityName={p.cityName} preview={`${p.startsAtText} ${p.venueName}`} lang={p.lang}>
      <Heading as="h1" style={{ fontSize: "20px", margin: "0 0 16px" }}>
        {t(p.lang, "notice:heading.reminder")}
      </Heading>
      <Text style={emailStyles.paragraph}>{t(p.lang, "email:greeting", { name: p.contactName })}</Text>
      <ReservationFacts {...p} />
      {p.accessNotes ? (
        <Text style={emailStyles.paragraph}>{t(p.lang, "notice:facts.access", { notes: p.accessNotes })}</Text>
      ) : null}
      {p.whatToBring ? (
        <Text style={emailStyles.paragraph}>{t(p.lang, "notice:facts.whatToBring", { items: p.whatToBring })}</Text>
      ) : null}
      <Text style={emailStyles.note}>{manage}</Text>
      <CityContactBlock contact={p.contact ?? null} cityName={p.cityName} lang={p.lang} />
    </EmailLayout>
  );
}

export async function buildReservationReminderEmail(props: ReservationReminderProps) {
  const { html, text } = await renderEmail(createElement(ReservationReminderEmail, props));
  return { subject: reservationReminderSubject(props), html, text };
}
