// Client-safe: the pages compare a refusal with it to show the city's number beside it.
/**
 * The locked-out message, in one place (ADR 027): the owner's ways through that a stranger lacks.
 * The booking and lookup pages show the city's numbers (<CurrentCityContact>) right under it.
 */
export const IDENTITY_THROTTLED =
  "確認の試行回数が多すぎるため、しばらく受け付けを停止しています。予約をLINEに連携している方はLINEから、予約のときにメールアドレスを登録した方は「メールで予約を確認する」から確認できます。どちらもない方は、市役所の窓口にお電話ください。";
