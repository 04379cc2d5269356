/** Every "no" the booking engine can give, with the Japanese text residents and staff see. */
export const REFUSAL_MESSAGES = {
  full: "申し訳ありません。この日時は満席になりました。別の日時をお選びください。",
  closed: "この日時は受付を終了しました。別の日時をお選びください。",
  "not-found": "選択された予約枠が見つかりません。最初からやり直してください。",
  "outside-window": "この日時は現在予約を受け付けていません。別の日時をお選びください。",
  "not-eligible": "現在、予約の受付対象ではありません。受付開始日時をご確認ください。",
  "too-early-for-dose": "前回の接種から必要な間隔が空いていない日時です。もっと後の日時をお選びください。",
  "all-doses-done": "必要な回数の予約はすべて済んでいます。",
  "already-booked": "この回の予約はすでにあります。予約の確認・変更ページをご利用ください。",
  "past-cutoff": "変更・キャンセルの受付期限を過ぎています。お手数ですが電話窓口へご連絡ください。",
  "not-active": "この予約はすでにキャンセルされているか、変更できない状態です。",
} as const;

export type Refusal = keyof typeof REFUSAL_MESSAGES;
