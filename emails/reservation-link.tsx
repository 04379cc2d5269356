import { Heading, Text } from "@react-email/components";
import { createElement } from "react";
import { t } from "~/lib/i18n";
import { EmailLayout, emailStyles } from "./layout";
import { LinkBlock } from "./link-block";
import { renderEmail } from "./render.server";

export type ReservationLinkProps = {
  /** The language of the reservation that asked (ADR 045). */
  lang: string;
  cityName: string;
  linkUrl: string;
  /** Already formatted in Japan time for `lang` (formatDateTimeFor). */
  expiresAtText: string;
};

export const reservationLinkSubject = ({ lang, cityName }: Pick<ReservationLinkProps, "lang" | "cityName">) =>
  t(lang, "email:link.subject", { city: cityName });

/** The one-time link to a resident's reservations (ADR 027). Interpolations as one text node each. */
export function ReservationLinkEmail({ lang, cityName, linkUrl, expiresAtText }: ReservationLinkProps) {
  return (
    <EmailLayout cityName={cityName} preview={t(lang, "email:link.preview")} lang={lang}>
      <Heading as="h1" style={{ fontSize: "20px", margin: "0 0 16px" }}>
        {t(lang, "email:link.heading")}
      </Heading>
      <Text style={emailStyles.paragraph}>{t(lang, "email:link.body", { city: cityName })}</Text>
      <LinkBlock
        url={linkUrl}
        buttonLabel={t(lang, "email:link.button")}
        rule={t(lang, "email:link.rule", { expires: expiresAtText })}
        discard={t(lang, "email:link.discard")}
        fallback={t(lang, "email:link.fallback")}
      />
    </EmailLayout>
  );
}

export default ReservationLinkEmail;

export async function buildReservationLinkEmail(props: ReservationLinkProps) {
  const { html, text } = await renderEmail(createElement(ReservationLinkEmail, props));
  return { subject: reservationLinkSubject(props), html, text };
}
