import { HTTPFetchError } from "@line/bot-sdk";
import { LineApiError } from "./errors";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "./retry.server";

/**
 * Is a channel access token still valid, and for which channel? LINE's GET /oauth2/v2.1/verify
 * answers 200 with {client_id, expires_in, scope} for a live token and 400 for a revoked or expired
 * one. Used by the vendor's tenant-health table; the token goes in the query string (LINE's API),
 * never into a log or an error message.
 */
export type TokenCheck =
  | { state: "valid"; clientId: string; expiresInSeconds: number }
  | { state: "invalid"; reason: string }
  /** LINE could not be asked (network, 5xx, rate limit): unknown, not invalid. */
  | { state: "unknown"; reason: string };

export async function verifyChannelToken(
  token: string,
  config: { apiBase: string; retry?: Partial<RetryPolicy> },
): Promise<TokenCheck> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, maxAttempts: 1, timeoutMs: 3_000, ...config.retry };
  try {
    const body = await withRetry(
      "verify channel token",
      async () => {
        const url = new URL("/oauth2/v2.1/verify", config.apiBase);
        url.searchParams.set("access_token", token);
        const res = await fetch(url);
        const text = await res.text();
        if (!res.ok)
          throw new HTTPFetchError(`${res.status}`, {
            status: res.status,
            statusText: res.statusText,
            headers: res.headers,
            body: text,
          });
        return JSON.parse(text) as { client_id?: unknown; expires_in?: unknown };
      },
      { policy, redact: [token] },
    );
    if (typeof body.client_id !== "string" || typeof body.expires_in !== "number")
      return { state: "unknown", reason: "unexpected answer" };
    if (body.expires_in <= 0) return { state: "invalid", reason: "expired" };
    return { state: "valid", clientId: body.client_id, expiresInSeconds: body.expires_in };
  } catch (e) {
    if (e instanceof LineApiError && (e.kind === "bad_request" || e.kind === "unauthorized"))
      return { state: "invalid", reason: e.lineMessage ?? e.kind };
    return { state: "unknown", reason: e instanceof LineApiError ? e.kind : "unexpected" };
  }
}
