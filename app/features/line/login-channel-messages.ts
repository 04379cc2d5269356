/** What the vendor (wizard) and the city admin (LINE settings) are told about the LINE Login channel. */
export const LOGIN_CHANNEL_MSG = {
  secretMissing:
    "LINEログインチャネルのチャネルシークレットを入力してください（LINE Developersコンソールの、LIFFアプリを追加したLINEログインチャネルの「チャネル基本設定」にあります）。",
  secretWrong: (loginChannelId: string) =>
    `LINEログインチャネル（${loginChannelId}）のチャネルIDかチャネルシークレットが正しくないため、LINEで確認できませんでした。LINE Developersコンソールで、LIFFアプリを追加したLINEログインチャネルの「チャネル基本設定」からチャネルIDとチャネルシークレットをコピーし直してください（Messaging APIチャネルのシークレットではありません）。`,
  liffOtherChannel: (liffId: string) =>
    `保存されているLIFF ID（${liffId}）は、このLINEログインチャネルのものではありません（LIFF IDの前半はLIFFアプリを追加したLINEログインチャネルのIDと同じ数字です）。LINEログインのチャネルIDを確認するか、先にLIFF IDを新しいチャネルのものに変更してください。`,
  noChannel: "まだLINEの設定が保存されていません。先にMessaging APIチャネルの情報を保存してください。",
} as const;
