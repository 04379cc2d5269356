import { Link, Section, Text } from "@react-email/components";
import { telHref, type CityContact } from "~/lib/city-contact";
import { t } from "~/lib/i18n";
import { emailStyles } from "./layout";

/**
 * The city's 問い合わせ窓口 in every resident e-mail (ADR 031): each number as a `tel:` link with its
 * label and hours (phones open the dialler; the plain-text part keeps the number itself), and the
 * web page. Without a contact set, the polite generic line the mails always had.
 */
export function CityContactBlock({
  contact,
  cityName,
  lang = "ja",
}: {
  contact: CityContact | null;
  cityName: string;
  lang?: string;
}) {
  if (!contact?.phones.length)
    return <Text style={emailStyles.note}>{t(lang, "notice:contact.generic", { city: cityName })}</Text>;
  return (
    <Section style={{ margin: "16px 0 0" }}>
      <Text style={{ ...emailStyles.note, margin: "0 0 4px", fontWeight: "bold" }}>
        {t(lang, "notice:contact.heading")}
      </Text>
      {contact.phones.map((p) => (
        <Text key={`${p.label}-${p.number}`} style={{ ...emailStyles.note, margin: "0 0 4px" }}>
          {`${p.label} `}
          <Link href={telHref(p.number)} style={{ fontSize: "16px", fontWeight: "bold" }}>
            {p.number}
          </Link>
          {`（${p.hours}）`}
        </Text>
      ))}
      {contact.webUrl ? (
        <Text style={emailStyles.note}>{t(lang, "notice:contact.web", { url: contact.webUrl })}</Text>
      ) : null}
    </Section>
  );
}
