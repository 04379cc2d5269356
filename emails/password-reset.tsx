import { Heading, Text } from "@react-email/components";
import { createElement } from "react";
import { EmailLayout, emailStyles } from "./layout";
import { LinkBlock } from "./link-block";
import { renderEmail } from "./render.server";

export type PasswordResetProps = {
  /** The city's name for city staff, "窓口 ベンダーコンソール" for vendor staff. */
  senderName: string;
  /** Where the account lives: "架空市の窓口 管理画面" or "窓口 ベンダーコンソール". */
  siteName: string;
  resetUrl: string;
  /** Already formatted in Japan time, e.g. "2025年4月1日(火) 18:00". */
  expiresAtText: string;
};

export const passwordResetSubject = ({ senderName }: Pick<PasswordResetProps, "senderName">) =>
  `【${senderName}】パスワードの再設定`;

// Interpolations are template literals so React emits one text node (see staff-invitation.tsx).
export function PasswordResetEmail({ senderName, siteName, resetUrl, expiresAtText }: PasswordResetProps) {
  return (
    <EmailLayout cityName={senderName} preview="パスワードの再設定のご案内です。">
      <Heading as="h1" style={{ fontSize: "20px", margin: "0 0 16px" }}>
        パスワードの再設定
      </Heading>
      <Text style={emailStyles.paragraph}>
        {`${siteName}で、このアドレスのアカウントのパスワード再設定が依頼されました。下のリンクから新しいパスワードを設定してください。`}
      </Text>
      <LinkBlock
        url={resetUrl}
        buttonLabel="パスワードを再設定する"
        rule={`このリンクは1回だけ使えます。有効期限（${expiresAtText}）を過ぎると使えなくなります。再設定を依頼し直した場合は、最新のメールのリンクだけが使えます。`}
        discard="心当たりがない場合は、このメールを破棄してください。リンクを開かなければ、パスワードは変わりません。2段階認証を設定している場合、再設定の後もログインには確認コードが必要です。"
      />
    </EmailLayout>
  );
}

export default PasswordResetEmail;

export async function buildPasswordResetEmail(props: PasswordResetProps) {
  const { html, text } = await renderEmail(createElement(PasswordResetEmail, props));
  return { subject: passwordResetSubject(props), html, text };
}
