import { LineApiError } from "./errors";

/**
 * What a person is told when a LINE call fails, in Japanese: what went wrong and what to do. The
 * generic cases (a rate limit, LINE down, LINE unreachable, an unexpected error) read the same
 * everywhere; a context (the onboarding wizard, the city's LINE settings, the rich menu) overrides
 * only the cases whose advice differs for its reader. Never a secret, never LINE's raw error alone.
 */
export type LineErrorCase =
  | "unauthorized" // 401: the token is wrong or revoked
  | "forbidden" // 403: the token may not call this API
  | "limited" // 429: rate limit or monthly quota
  | "unavailable" // 5xx: LINE's own trouble
  | "unreachable" // timeout or connection failure
  | "refused" // any other refusal (400, 404, 409)
  | "unexpected"; // not a LINE API error at all

export function lineErrorCase(e: unknown): LineErrorCase {
  if (!(e instanceof LineApiError)) return "unexpected";
  switch (e.kind) {
    case "unauthorized":
      return "unauthorized";
    case "forbidden":
      return "forbidden";
    case "rate_limited":
    case "quota_exceeded":
      return "limited";
    case "server":
      return "unavailable";
    case "timeout":
    case "network":
      return "unreachable";
    default:
      return "refused";
  }
}

/** A context's own wording for some cases; a function gets the error (for its status and LINE's message). */
export type LineErrorWording = Partial<Record<LineErrorCase, string | ((e: LineApiError) => string)>>;

const refusalDetail = (e: LineApiError) => `${e.status ?? "エラー"}${e.lineMessage ? `: ${e.lineMessage}` : ""}`;

function genericMessage(c: LineErrorCase, what: string, e: LineApiError | null): string {
  switch (c) {
    case "unauthorized":
      return "アクセストークンが正しくありません。LINE Developersコンソールの「Messaging API設定」でチャネルアクセストークン（長期）を確認し、貼り付け直してください。";
    case "forbidden":
      return `このチャネルアクセストークンでは${what}ができません。Messaging APIチャネルの長期のチャネルアクセストークンか確認してください。`;
    case "limited":
      return "LINEのAPIの利用上限に達しています。しばらく待ってからもう一度お試しください。";
    case "unavailable":
      return "LINE側で一時的な問題が発生しています。しばらくしてからもう一度お試しください。";
    case "unreachable":
      return "LINEのサーバーに接続できませんでした。ネットワークの状態を確認し、しばらくしてからもう一度お試しください。";
    case "refused":
      return `LINEから${what}を拒否されました（${e ? refusalDetail(e) : "エラー"}）。入力内容を確認してください。`;
    case "unexpected":
      return `${what}中に予期しないエラーが発生しました。しばらくしてからもう一度お試しください。`;
  }
}

/** `what` names the operation in Japanese (「接続テスト」「LIFFアプリの確認」), used by the generic wording. */
export function lineErrorMessage(e: unknown, what: string, wording: LineErrorWording = {}): string {
  const c = lineErrorCase(e);
  const lineError = e instanceof LineApiError ? e : null;
  const own = wording[c];
  if (typeof own === "string") return own;
  // A function override needs LINE's error; "unexpected" has none, so it only takes a string.
  if (own && lineError) return own(lineError);
  return genericMessage(c, what, lineError);
}
