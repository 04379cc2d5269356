import { Button, Link, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { emailStyles } from "./layout";

/**
 * The part every single-use link e-mail shares (staff and vendor invitations, password reset): the
 * button, the link's rule (`rule`: one use, expiry, what supersedes it), the sender's own `children`
 * notes, the raw URL for mail apps that cannot press buttons, and what to do with an unexpected mail
 * (`discard`). The button and its hint are HTML-only: the plain-text part carries the raw URL once.
 */
export function LinkBlock({
  url,
  buttonLabel,
  rule,
  discard,
  fallback = "ボタンが押せない場合は、次のURLをブラウザで開いてください。",
  children,
}: {
  url: string;
  buttonLabel: string;
  rule: ReactNode;
  discard: string;
  /** The hint above the raw URL; resident mails pass it in the resident's language. */
  fallback?: string;
  children?: ReactNode;
}) {
  return (
    <>
      <Section style={{ margin: "24px 0" }} data-skip-in-text={true}>
        <Button href={url} style={emailStyles.button}>
          {buttonLabel}
        </Button>
      </Section>
      <Text style={emailStyles.note}>{rule}</Text>
      {children}
      <Text style={emailStyles.note} data-skip-in-text={true}>
        {fallback}
      </Text>
      <Text style={emailStyles.note}>
        <Link href={url} style={emailStyles.url}>
          {url}
        </Link>
      </Text>
      <Text style={emailStyles.note}>{discard}</Text>
    </>
  );
}

/** The invitation e-mails' rule and discard line (city staff and vendor staff say the same). */
export function InvitationLink({
  acceptUrl,
  expiresAtText,
  children,
}: {
  acceptUrl: string;
  expiresAtText: string;
  children?: ReactNode;
}) {
  return (
    <LinkBlock
      url={acceptUrl}
      buttonLabel="招待を受ける"
      rule={`このリンクは1回だけ使えます。有効期限（${expiresAtText}）を過ぎると使えなくなります。期限が切れた場合は、招待した人にもう一度招待を依頼してください。`}
      discard="心当たりがない場合は、このメールを破棄してください。リンクを開かなければ、何も登録されません。"
    >
      {children}
    </LinkBlock>
  );
}
