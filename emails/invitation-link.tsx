import { Button, Link, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { emailStyles } from "./layout";

/**
 * The part every invitation e-mail shares (city staff, vendor staff): the 招待を受ける button, the
 * single-use and expiry rule, `children` (a note of the sender's own), the raw URL for mail apps
 * that cannot press buttons, and what to do with an unexpected mail. The button and its hint are
 * HTML-only: the plain-text part carries the raw URL once.
 */
export function InvitationLink({ acceptUrl, expiresAtText, children }: { acceptUrl: string; expiresAtText: string; children?: ReactNode }) {
  return (
    <>
      <Section style={{ margin: "24px 0" }} data-skip-in-text={true}>
        <Button href={acceptUrl} style={emailStyles.button}>
          招待を受ける
        </Button>
      </Section>
      <Text style={emailStyles.note}>
        {`このリンクは1回だけ使えます。有効期限（${expiresAtText}）を過ぎると使えなくなります。`}
        期限が切れた場合は、招待した人にもう一度招待を依頼してください。
      </Text>
      {children}
      <Text style={emailStyles.note} data-skip-in-text={true}>
        ボタンが押せない場合は、次のURLをブラウザで開いてください。
      </Text>
      <Text style={emailStyles.note}>
        <Link href={acceptUrl} style={emailStyles.url}>
          {acceptUrl}
        </Link>
      </Text>
      <Text style={emailStyles.note}>
        心当たりがない場合は、このメールを破棄してください。リンクを開かなければ、何も登録されません。
      </Text>
    </>
  );
}
