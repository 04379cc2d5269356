import { Heading, Text } from "@react-email/components";
import { createElement } from "react";
import { InvitationLink } from "./link-block";
import { EmailLayout, emailStyles } from "./layout";
import { renderEmail } from "./render.server";

export type StaffInvitationProps = {
  cityName: string;
  /** A staff member's name, or "運営事業者" when the vendor invited the city's first staff. */
  inviterName: string;
  roleLabel: string;
  acceptUrl: string;
  /** Already formatted in Japan time, e.g. "2025年4月1日(火) 18:00". */
  expiresAtText: string;
};

export function staffInvitationSubject({ cityName }: Pick<StaffInvitationProps, "cityName">): string {
  return `【${cityName}】窓口 管理画面への招待`;
}

// Interpolations are template literals so React emits one text node, not "市<!-- -->の…" pieces
// that break searching the HTML (tests, the mailbox page, spam filters).
export function StaffInvitationEmail({
  cityName,
  inviterName,
  roleLabel,
  acceptUrl,
  expiresAtText,
}: StaffInvitationProps) {
  return (
    <EmailLayout cityName={cityName} preview={`${cityName}の窓口 管理画面に招待されました。`}>
      <Heading as="h1" style={{ fontSize: "20px", margin: "0 0 16px" }}>
        管理画面への招待
      </Heading>
      <Text style={emailStyles.paragraph}>
        {`${cityName}の窓口 管理画面に招待されました。下のリンクから招待を受けてください。`}
      </Text>
      <Text style={emailStyles.paragraph}>
        {`招待した人：${inviterName}`}
        <br />
        {`役割：${roleLabel}`}
        <br />
        {`有効期限：${expiresAtText}`}
      </Text>
      <InvitationLink acceptUrl={acceptUrl} expiresAtText={expiresAtText} />
    </EmailLayout>
  );
}

export default StaffInvitationEmail;

/** Subject and both bodies, ready for getMailer().send (callable from .ts code without JSX). */
export async function buildStaffInvitationEmail(props: StaffInvitationProps) {
  const { html, text } = await renderEmail(createElement(StaffInvitationEmail, props));
  return { subject: staffInvitationSubject(props), html, text };
}
