import { LOGIN_CHANNEL_MSG } from "~/features/line/login-channel-messages";
import { lineErrorMessage } from "~/integrations/line/error-messages";

/**
 * What the wizard tells the vendor when LINE says no: what went wrong, and what to do about it in
 * the LINE Developers console. Never a secret, never LINE's raw error alone.
 */
export const MSG = {
  tokenInvalid:
    "チャネルアクセストークンが無効です。LINE Developersコンソールで長期のチャネルアクセストークンを再発行し、貼り付けてください。",
  tokenOtherChannel: (channelId: string, actual: string) =>
    `このチャネルアクセストークンは、入力したチャネルID（${channelId}）ではなく別のチャネル（${actual}）のものです。LINE Developersコンソールで同じチャネルの「チャネル基本設定」と「Messaging API設定」から、チャネルIDとアクセストークンをコピーし直してください。`,
  channelTaken:
    "このLINEチャネルは、すでに別の自治体で使われています。この自治体用に作成したMessaging APIチャネルのIDを入力してください。",
  secretWrong:
    "LINEからのテスト送信の署名を確認できませんでした。チャネルシークレットが正しくない可能性があります。LINE Developersコンソールの「チャネル基本設定」でチャネルシークレットを確認し、「LINEチャネル」の手順で入力し直してから、もう一度お試しください。",
  unreachable: (url: string, detail: string) =>
    `LINEのサーバーからWebhook URL（${url}）に接続できませんでした（${detail}）。このURLがインターネットから到達できるか（公開URLの設定 APP_ORIGIN、DNS、ファイアウォール）を確認してから、もう一度お試しください。`,
  timeout: (url: string) =>
    `LINEのサーバーからWebhook URL（${url}）への送信が時間内に応答しませんでした。サーバーの状態を確認してから、もう一度お試しください。`,
  webhookStatus: (url: string, detail: string) =>
    `Webhook URL（${url}）がエラー（${detail}）を返しました。サーバーのログを確認してから、もう一度お試しください。`,
  webhookNotFound: (url: string) =>
    `Webhook URL（${url}）が「見つからない」と応答しました。公開URLの設定（APP_ORIGIN）がこのサーバーを指しているか確認してください。`,
  webhookRefusedUrl: (detail: string | null) =>
    `LINEがWebhook URLを受け付けませんでした${detail ? `（${detail}）` : ""}。URLは https で始まる、インターネットから到達できるものである必要があります。公開URLの設定（APP_ORIGIN）を確認してください。`,
  webhookInactive:
    "Webhook URLは設定でき、テスト送信にも応答できましたが、LINE側で「Webhookの利用」がオフになっています。LINE Developersコンソールの「Messaging API設定」で「Webhookの利用」をオンにしてから、もう一度お試しください。",
  liffNone:
    "このチャネルにLIFFアプリが見つかりません。LINE DevelopersコンソールでLINEログインチャネルにLIFFアプリを追加し、表示されたLIFF IDを入力してください。",
  liffMissing: (liffId: string) =>
    `LIFF ID「${liffId}」のLIFFアプリが見つかりません。LINE Developersコンソールの「LIFF」タブからLIFF IDをコピーし直してください。`,
  liffEndpoint: (actual: string, expected: string) =>
    `LIFFアプリのエンドポイントURLが「${actual}」になっています。LINE Developersコンソールの「LIFF」タブで「${expected}」に変更してから、もう一度お試しください。`,
  liffPrefix:
    "LIFF IDの前半（ハイフンより前）は、LIFFアプリを追加したLINEログインチャネルのIDと同じ数字です。LINEログインのチャネルIDとLIFF IDを確認してください。",
  loginSecretMissing: LOGIN_CHANNEL_MSG.secretMissing,
  loginSecretWrong: LOGIN_CHANNEL_MSG.secretWrong,
  noChannel: "LINEチャネルの情報がまだ保存されていません。先に「LINEチャネル」の手順を完了してください。",
} as const;

/**
 * A LINE API error during a wizard step, in the vendor's words: the generic wording, except that a
 * bad token is to be reissued and an unreachable LINE points at this server's LINE_API_BASE (the
 * vendor runs the server; a city admin does not).
 */
export function lineFailureMessage(e: unknown, what: string): string {
  return lineErrorMessage(e, what, {
    unauthorized: MSG.tokenInvalid,
    unreachable:
      "LINEのサーバーに接続できませんでした。このサーバーからLINEのAPI（LINE_API_BASE）に接続できるか確認し、しばらくしてからもう一度お試しください。",
  });
}
