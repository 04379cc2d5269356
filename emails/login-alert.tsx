import { Heading, Link, Text } from "@react-email/components";
import { createElement } from "react";
import { EmailLayout, emailStyles } from "./layout";
import { renderEmail } from "./render.server";

export type LoginAlertProps = {
  senderName: string;
  /** Where the account lives: "架空市の窓口 管理画面" or "窓口 ベンダーコンソール". */
  siteName: string;
  /** Japan time, e.g. "2025年4月1日(火) 18:00". */
  atText: string;
  /** The "パスワードをお忘れの方" page. */
  forgotUrl: string;
};

export const loginAlertSubject = ({ senderName }: Pick<LoginAlertProps, "senderName">) =>
  `【${senderName}】ログインの失敗が続いています`;

/** Sent when the per-account login slow-down starts (ADR 026): the owner learns of the attack and is told they are not locked out. */
export function LoginAlertEmail({ senderName, siteName, atText, forgotUrl }: LoginAlertProps) {
  return (
    <EmailLayout cityName={senderName} preview="ログインの失敗が続いています。">
      <Heading as="h1" style={{ fontSize: "20px", margin: "0 0 16px" }}>
        ログインの失敗が続いています
      </Heading>
      <Text
        style={emailStyles.paragraph}
      >{`${atText}までの1時間に、${siteName}のあなたのアカウントへ、これまでログインに使われていない場所から、誤ったパスワードでのログインが続きました。そのため、新しい場所からのログインは、しばらく間隔をあけないと試せないようにしています。`}</Text>
      <Text style={emailStyles.paragraph}>
        これまでログインしたことのある端末・ネットワークからは、いつもどおりログインできます。
      </Text>
      <Text style={emailStyles.note}>
        心当たりがない場合は、第三者がパスワードを試しているおそれがあります。推測されにくいパスワードに変更し、2段階認証の設定をおすすめします。パスワードは次のページから再設定できます。
      </Text>
      <Text style={emailStyles.note}>
        <Link href={forgotUrl} style={emailStyles.url}>
          {forgotUrl}
        </Link>
      </Text>
    </EmailLayout>
  );
}

export default LoginAlertEmail;

export async function buildLoginAlertEmail(props: LoginAlertProps) {
  const { html, text } = await renderEmail(createElement(LoginAlertEmail, props));
  return { subject: loginAlertSubject(props), html, text };
}
