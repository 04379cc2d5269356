import { HTTPFetchError } from "@line/bot-sdk";
import { LineApiError } from "./errors";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "./retry.server";

/**
 * LIFF ID-token verification through LINE's endpoint (POST /oauth2/v2.1/verify): LINE checks the
 * signature, expiry and audience (our LINE Login channel id). We keep only the user id; the token
 * may also carry a name, picture or e-mail, which we deliberately drop (ADR 008).
 */
export type IdTokenResult = { ok: true; lineUserId: string; expiresAt: Date } | { ok: false; reason: string };

export async function verifyIdToken(
  idToken: string,
  loginChannelId: string,
  config: { apiBase: string; retry?: Partial<RetryPolicy> },
  now = new Date(),
): Promise<IdTokenResult> {
  if (!idToken || !loginChannelId) return { ok: false, reason: "missing" };
  const policy = { ...DEFAULT_RETRY, ...config.retry };
  try {
    const claims = await withRetry(
      "verify id token",
      async () => {
        const res = await fetch(new URL("/oauth2/v2.1/verify", config.apiBase), {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ id_token: idToken, client_id: loginChannelId }).toString(),
        });
        const body = await res.text();
        if (!res.ok)
          throw new HTTPFetchError(`${res.status}`, {
            status: res.status,
            statusText: res.statusText,
            headers: res.headers,
            body,
          });
        return JSON.parse(body) as { sub?: unknown; aud?: unknown; exp?: unknown };
      },
      { policy, redact: [idToken] },
    );
    if (typeof claims.sub !== "string" || claims.aud !== loginChannelId || typeof claims.exp !== "number")
      return { ok: false, reason: "claims" };
    const expiresAt = new Date(claims.exp * 1000);
    if (expiresAt <= now) return { ok: false, reason: "expired" };
    return { ok: true, lineUserId: claims.sub, expiresAt };
  } catch (e) {
    // 400 = invalid, expired or for another channel: an answer, not an outage.
    if (e instanceof LineApiError && e.kind === "bad_request") return { ok: false, reason: e.lineMessage ?? "invalid" };
    throw e;
  }
}
