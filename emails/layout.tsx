import { Body, Container, Head, Hr, Html, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { i18n, t } from "~/lib/i18n";

/**
 * Shared frame of every e-mail: the city's name on top (residents and staff recognise the sender
 * by the city, not by our product) and a send-only notice, since replies go nowhere. `lang` is the
 * resident's (ADR 045); staff and vendor mails leave it out and stay Japanese.
 */
export function EmailLayout({
  cityName,
  preview,
  lang = "ja",
  children,
}: {
  cityName: string;
  preview: string;
  lang?: string;
  children: ReactNode;
}) {
  return (
    <Html lang={i18n.info(lang).htmlLang}>
      <Head />
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Section style={styles.header}>
            <Text style={styles.cityName}>{cityName}</Text>
          </Section>
          <Section style={styles.content}>{children}</Section>
          <Hr style={styles.rule} />
          <Section>
            <Text style={styles.footer}>{t(lang, "email:footer")}</Text>
            <Text style={styles.footer}>窓口 Madoguchi</Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

// Mail clients ignore <style> blocks and external CSS unevenly; inline styles are the portable way.
const fontFamily = '"Hiragino Kaku Gothic ProN", "Hiragino Sans", "Noto Sans JP", Meiryo, "Yu Gothic", sans-serif';

export const emailStyles = {
  paragraph: { fontSize: "16px", lineHeight: "1.7", color: "#1a1a1a", margin: "0 0 16px" },
  note: { fontSize: "14px", lineHeight: "1.7", color: "#4d4d4d", margin: "0 0 12px" },
  button: {
    backgroundColor: "#0017c1",
    color: "#ffffff",
    borderRadius: "8px",
    padding: "14px 24px",
    fontSize: "16px",
    fontWeight: "bold",
    textDecoration: "none",
    display: "inline-block",
  },
  url: { fontSize: "14px", color: "#0017c1", wordBreak: "break-all" as const },
} as const;

const styles = {
  body: { backgroundColor: "#f2f2f2", fontFamily, margin: 0, padding: "24px 0" },
  container: {
    backgroundColor: "#ffffff",
    maxWidth: "600px",
    margin: "0 auto",
    padding: "0 0 8px",
    borderRadius: "8px",
  },
  header: { backgroundColor: "#0017c1", borderRadius: "8px 8px 0 0", padding: "16px 24px" },
  cityName: { color: "#ffffff", fontSize: "18px", fontWeight: "bold", margin: 0 },
  content: { padding: "24px" },
  rule: { borderColor: "#cccccc", margin: "0 24px" },
  footer: { fontSize: "12px", lineHeight: "1.6", color: "#666666", margin: "8px 24px 0" },
} as const;

/** The booking facts every reservation e-mail repeats (notice and reminder), in one place. */
export function ReservationFacts(p: {
  lang: string;
  serviceName: string;
  dose: number;
  startsAtText: string;
  venueName: string;
  venueAddress: string;
  confirmationCode: string;
}) {
  return (
    <Text style={emailStyles.paragraph}>
      {t(p.lang, "notice:facts.service", { service: p.serviceName, dose: p.dose })}
      <br />
      {t(p.lang, "notice:facts.when", { when: p.startsAtText })}
      <br />
      {t(p.lang, "notice:facts.venue", { venue: p.venueName, address: p.venueAddress })}
      <br />
      {t(p.lang, "notice:facts.code", { code: p.confirmationCode })}
    </Text>
  );
}
