import { channelAccessToken } from "@line/bot-sdk";
import { LineApiError } from "./errors";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "./retry.server";

/**
 * A short-lived (15 minute) access token of a LINE Login channel, issued from its id and secret
 * (POST /oauth2/v3/token, grant_type=client_credentials). LINE's LIFF server API only accepts a
 * token of the LINE Login channel that owns the LIFF app, not the Messaging API channel's token.
 * Stateless tokens cannot be revoked but need no bookkeeping either, so one is issued per check and
 * never stored. The secret is redacted from every error.
 */
export type LoginTokenResult =
  { ok: true; accessToken: string } | { ok: false; reason: "refused"; lineMessage: string | null };

export async function issueLoginChannelToken(
  loginChannelId: string,
  loginChannelSecret: string,
  config: { apiBase: string; retry?: Partial<RetryPolicy> },
): Promise<LoginTokenResult> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, maxAttempts: 1, timeoutMs: 10_000, ...config.retry };
  const client = new channelAccessToken.ChannelAccessTokenClient({ baseURL: config.apiBase });
  try {
    const body = await withRetry(
      "issue login channel token",
      () => client.issueStatelessChannelTokenByClientSecret(loginChannelId, loginChannelSecret),
      {
        policy,
        redact: [loginChannelSecret],
      },
    );
    if (typeof body?.access_token !== "string" || !body.access_token)
      throw new LineApiError("issue login channel token", "server", { lineMessage: "no access_token in the answer" });
    return { ok: true, accessToken: body.access_token };
  } catch (e) {
    // LINE answers a wrong id or secret with 400 invalid_client (401 on some paths): the vendor's to fix.
    if (e instanceof LineApiError && (e.kind === "bad_request" || e.kind === "unauthorized"))
      return { ok: false, reason: "refused", lineMessage: e.lineMessage };
    throw e;
  }
}
