import { Link, Section, Text } from "@react-email/components";
import { telHref, type CityContact } from "~/lib/city-contact";
import { emailStyles } from "./layout";

/**
 * The city's 問い合わせ窓口 in every resident e-mail (ADR 031): each number as a `tel:` link with its
 * label and hours (phones open the dialler; the plain-text part keeps the number itself), and the
 * web page. Without a contact set, the polite generic line the mails always had.
 */
export function CityContactBlock({ contact, cityName }: { contact: CityContact | null; cityName: string }) {
  if (!contact?.phones.length)
    return <Text style={emailStyles.note}>{`お電話でのお問い合わせは、${cityName}の窓口へお願いします。`}</Text>;
  return (
    <Section style={{ margin: "16px 0 0" }}>
      <Text style={{ ...emailStyles.note, margin: "0 0 4px", fontWeight: "bold" }}>お電話でのお問い合わせ</Text>
      {contact.phones.map((p) => (
        <Text key={`${p.label}-${p.number}`} style={{ ...emailStyles.note, margin: "0 0 4px" }}>
          {`${p.label} `}
          <Link href={telHref(p.number)} style={{ fontSize: "16px", fontWeight: "bold" }}>
            {p.number}
          </Link>
          {`（${p.hours}）`}
        </Text>
      ))}
      {contact.webUrl ? <Text style={emailStyles.note}>{`ホームページ：${contact.webUrl}`}</Text> : null}
    </Section>
  );
}
