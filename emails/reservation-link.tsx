import { Heading, Text } from "@react-email/components";
import { createElement } from "react";
import { EmailLayout, emailStyles } from "./layout";
import { LinkBlock } from "./link-block";
import { renderEmail } from "./render.server";

export type ReservationLinkProps = {
  cityName: string;
  linkUrl: string;
  /** Already formatted in Japan time, e.g. "2025年4月1日(火) 18:00". */
  expiresAtText: string;
};

export const reservationLinkSubject = ({ cityName }: Pick<ReservationLinkProps, "cityName">) =>
  `【${cityName}】予約の確認・変更用のリンク`;

/** The one-time link to a resident's reservations (ADR 027). Interpolations as one text node each. */
export function ReservationLinkEmail({ cityName, linkUrl, expiresAtText }: ReservationLinkProps) {
  return (
    <EmailLayout cityName={cityName} preview="予約の確認・変更用のリンクです。">
      <Heading as="h1" style={{ fontSize: "20px", margin: "0 0 16px" }}>
        予約の確認・変更用のリンク
      </Heading>
      <Text style={emailStyles.paragraph}>
        {`${cityName}のオンライン窓口で、このアドレスで受け付けた予約を確認するためのリンクが依頼されました。下のリンクから、予約の確認・変更・キャンセルができます。`}
      </Text>
      <LinkBlock
        url={linkUrl}
        buttonLabel="予約を確認する"
        rule={`このリンクは1回だけ使えます。有効期限（${expiresAtText}）を過ぎると使えなくなります。`}
        discard="心当たりがない場合は、このメールを破棄してください。リンクを開かなければ、予約は変わりません。"
      />
    </EmailLayout>
  );
}

export default ReservationLinkEmail;

export async function buildReservationLinkEmail(props: ReservationLinkProps) {
  const { html, text } = await renderEmail(createElement(ReservationLinkEmail, props));
  return { subject: reservationLinkSubject(props), html, text };
}
