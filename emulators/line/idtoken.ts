import { createHmac, timingSafeEqual } from "node:crypto";
import { HttpError, plain, type Ctx, type Route } from "./http";
import { newOpaqueToken } from "./ids";
import type { Channel, EmulatorState } from "./state";

/**
 * LINE Login tokens: ID tokens (JWT, HS256 with the LINE Login channel secret, as LINE issues them
 * for web logins and LIFF) and the /oauth2/v2.1/verify endpoints the app's server calls to check them.
 */

export const ISSUER = "https://access.line.me";
const CHANNEL_TOKEN_TTL_S = 30 * 24 * 3600;

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const hs256 = (secret: string, input: string) => createHmac("sha256", secret).update(input).digest();

export type IdTokenClaims = {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  amr: string[];
  nonce?: string;
};

export function signIdToken(claims: IdTokenClaims, secret: string): string {
  const input = `${b64url({ typ: "JWT", alg: "HS256" })}.${b64url(claims)}`;
  return `${input}.${hs256(secret, input).toString("base64url")}`;
}

/**
 * An ID token (and a matching LINE Login access token) for `userId`, issued by the LINE Login
 * channel registered with the Messaging channel. `audience` forges a token for another channel.
 */
export function issueLoginTokens(
  state: EmulatorState,
  channel: Channel,
  opts: { userId: string; expiresInSeconds?: number; audience?: string; nonce?: string },
): { idToken: string; accessToken: string; expiresIn: number } {
  if (!channel.loginChannelId || !channel.loginChannelSecret) {
    throw new HttpError(400, { message: `Channel ${channel.channelId} has no loginChannelId / loginChannelSecret` });
  }
  const iat = Math.floor(Date.now() / 1000);
  const expiresIn = opts.expiresInSeconds ?? 3600;
  const claims: IdTokenClaims = {
    iss: ISSUER,
    sub: opts.userId,
    aud: opts.audience ?? channel.loginChannelId,
    exp: iat + expiresIn,
    iat,
    amr: ["linesso"],
  };
  if (opts.nonce !== undefined) claims.nonce = opts.nonce;
  const accessToken = newOpaqueToken();
  // Only the control API issues these, so a simple cap (oldest first) is enough to bound memory.
  for (const k of state.loginTokens.keys()) {
    if (state.loginTokens.size < 10_000) break;
    state.loginTokens.delete(k);
  }
  state.loginTokens.set(accessToken, {
    loginChannelId: channel.loginChannelId,
    userId: opts.userId,
    expiresAt: (iat + expiresIn) * 1000,
  });
  return { idToken: signIdToken(claims, channel.loginChannelSecret), accessToken, expiresIn };
}

const invalid = (description: string) =>
  new HttpError(400, { error: "invalid_request", error_description: description });

function decode(token: string): { input: string; signature: Buffer; claims: Record<string, unknown> } | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8")) as { alg?: unknown };
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as unknown;
    if (header?.alg !== "HS256" || typeof claims !== "object" || claims === null) return undefined;
    return {
      input: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2], "base64url"),
      claims: claims as Record<string, unknown>,
    };
  } catch (_err) {
    return undefined;
  }
}

/** Checks in LINE's order: signature, issuer, expiry, audience, nonce. */
function verifyIdToken(ctx: Ctx) {
  const form = new URLSearchParams(ctx.body.toString("utf8"));
  const idToken = form.get("id_token");
  const clientId = form.get("client_id");
  if (!idToken || !clientId) throw invalid("id_token and client_id are required");
  const jwt = decode(idToken);
  if (!jwt) throw invalid("Invalid IdToken.");
  // The token is checked with the secret of the channel named by client_id; an unknown client_id
  // cannot have issued it.
  const channel = ctx.state.channelByLoginId(clientId);
  if (!channel?.loginChannelSecret) throw invalid("Invalid IdToken Audience.");
  const expected = hs256(channel.loginChannelSecret, jwt.input);
  if (expected.length !== jwt.signature.length || !timingSafeEqual(expected, jwt.signature))
    throw invalid("Invalid IdToken.");
  const c = jwt.claims;
  if (c.iss !== ISSUER) throw invalid("Invalid IdToken Issuer.");
  if (typeof c.exp !== "number" || c.exp * 1000 <= Date.now()) throw invalid("IdToken expired.");
  if (c.aud !== clientId) throw invalid("Invalid IdToken Audience.");
  const nonce = form.get("nonce");
  if (nonce !== null && c.nonce !== nonce) throw invalid("Invalid IdToken Nonce.");
  const userId = form.get("user_id");
  if (userId !== null && c.sub !== userId) throw invalid("Invalid IdToken Subject Identifier.");
  return { status: 200, body: c };
}

/** Channel access tokens of registered channels and LINE Login access tokens issued above. */
function verifyAccessToken(ctx: Ctx) {
  const token = ctx.url.searchParams.get("access_token") ?? "";
  const channel = ctx.state.channelByToken(token);
  if (channel) {
    return {
      status: 200,
      body: { scope: "profile chat_message.write", client_id: channel.channelId, expires_in: CHANNEL_TOKEN_TTL_S },
    };
  }
  const login = ctx.state.loginTokens.get(token);
  const remaining = login ? Math.floor((login.expiresAt - Date.now()) / 1000) : 0;
  if (!login || remaining <= 0) throw invalid("The access token expired");
  return { status: 200, body: { scope: "profile openid", client_id: login.loginChannelId, expires_in: remaining } };
}

export const oauthRoutes: Route[] = [
  plain("POST", "/oauth2/v2.1/verify", verifyIdToken),
  plain("GET", "/oauth2/v2.1/verify", verifyAccessToken),
];
