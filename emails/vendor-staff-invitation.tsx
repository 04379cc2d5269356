import { Heading, Text } from "@react-email/components";
import { createElement } from "react";
import { InvitationLink } from "./link-block";
import { EmailLayout, emailStyles } from "./layout";
import { renderEmail } from "./render.server";

export type VendorStaffInvitationProps = {
  /** The inviting colleague's name, or "運営事業者（システム管理者）" for an invitation from the ops CLI. */
  inviterName: string;
  displayName: string;
  acceptUrl: string;
  /** Already formatted in Japan time, e.g. "2025年4月1日(火) 18:00". */
  expiresAtText: string;
};

export const VENDOR_INVITATION_SUBJECT = "【窓口 Madoguchi】ベンダーコンソール（運営スタッフ）への招待";

// Interpolations are template literals so React emits one text node (see staff-invitation.tsx).
export function VendorStaffInvitationEmail({
  inviterName,
  displayName,
  acceptUrl,
  expiresAtText,
}: VendorStaffInvitationProps) {
  return (
    <EmailLayout cityName="窓口 Madoguchi 運営" preview="窓口 ベンダーコンソールの運営スタッフに招待されました。">
      <Heading as="h1" style={{ fontSize: "20px", margin: "0 0 16px" }}>
        運営スタッフへの招待
      </Heading>
      <Text style={emailStyles.paragraph}>
        {`${displayName}さん、窓口 ベンダーコンソールの運営スタッフに招待されました。下のリンクから氏名とパスワードを設定してください。`}
      </Text>
      <Text style={emailStyles.paragraph}>
        {`招待した人：${inviterName}`}
        <br />
        {`有効期限：${expiresAtText}`}
      </Text>
      <InvitationLink acceptUrl={acceptUrl} expiresAtText={expiresAtText}>
        <Text style={emailStyles.note}>
          運営スタッフは2段階認証が必須です。パスワードを設定したあと、スマートフォンの認証アプリ（Google Authenticator
          など）を登録します。
        </Text>
      </InvitationLink>
    </EmailLayout>
  );
}

export default VendorStaffInvitationEmail;

export async function buildVendorStaffInvitationEmail(props: VendorStaffInvitationProps) {
  const { html, text } = await renderEmail(createElement(VendorStaffInvitationEmail, props));
  return { subject: VENDOR_INVITATION_SUBJECT, html, text };
}
