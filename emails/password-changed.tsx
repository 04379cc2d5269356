import { Heading, Link, Text } from "@react-email/components";
import { createElement } from "react";
import { EmailLayout, emailStyles } from "./layout";
import { renderEmail } from "./render.server";

export type PasswordChangedProps = {
  senderName: string;
  /** Where the account lives: "架空市の窓口 管理画面" or "窓口 ベンダーコンソール". */
  siteName: string;
  /** Japan time, e.g. "2025年4月1日(火) 18:00". */
  changedAtText: string;
  /** The "パスワードをお忘れの方" page, for someone who did not make this change. */
  forgotUrl: string;
};

export const passwordChangedSubject = ({ senderName }: Pick<PasswordChangedProps, "senderName">) =>
  `【${senderName}】パスワードが変更されました`;

/** Sent to the account's own address after every change or reset: the owner notices a takeover. */
export function PasswordChangedEmail({ senderName, siteName, changedAtText, forgotUrl }: PasswordChangedProps) {
  return (
    <EmailLayout cityName={senderName} preview="パスワードが変更されました。">
      <Heading as="h1" style={{ fontSize: "20px", margin: "0 0 16px" }}>
        パスワードが変更されました
      </Heading>
      <Text
        style={emailStyles.paragraph}
      >{`${changedAtText}に、${siteName}のアカウントのパスワードが変更されました。ほかの端末のログインは終了しています。`}</Text>
      <Text style={emailStyles.paragraph}>ご自身で変更した場合は、このメールへの対応は不要です。</Text>
      <Text style={emailStyles.note}>
        心当たりがない場合は、第三者が変更したおそれがあります。すぐに次のページからパスワードを再設定し、管理者にご連絡ください。
      </Text>
      <Text style={emailStyles.note}>
        <Link href={forgotUrl} style={emailStyles.url}>
          {forgotUrl}
        </Link>
      </Text>
    </EmailLayout>
  );
}

export default PasswordChangedEmail;

export async function buildPasswordChangedEmail(props: PasswordChangedProps) {
  const { html, text } = await renderEmail(createElement(PasswordChangedEmail, props));
  return { subject: passwordChangedSubject(props), html, text };
}
