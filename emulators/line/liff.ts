import { timingSafeEqual } from "node:crypto";
import { HttpError, notFound, ok, plain, type Ctx, type Reply, type Route } from "./http";
import { newOpaqueToken } from "./ids";
import type { Channel } from "./state";

/**
 * LIFF server API, read side (liff.yml: GET /liff/v1/apps), and the stateless channel access token
 * it needs (channel-access-token.yml: POST /oauth2/v3/token). As on LINE, the LIFF server API takes
 * a token of the LINE Login channel that owns the LIFF app, issued from that channel's id and
 * secret; the Messaging API channel's token is refused with 401. The emulator knows one LIFF app
 * per channel (Channel.liffId, its endpoint URL Channel.liffEndpointUrl), owned by the channel's
 * loginChannelId.
 *
 * Simplification: only LINE Login channels get stateless tokens here (a Messaging API channel id is
 * answered like an unknown client), and only client_id/client_secret, not the JWT assertion form.
 */
const STATELESS_TTL_S = 15 * 60;

export function liffApp(c: Channel) {
  return {
    liffId: c.liffId,
    view: { type: "full", url: c.liffEndpointUrl ?? "https://example.invalid/", moduleMode: false },
    description: c.displayName.slice(0, 50),
    features: { ble: false, qrCode: false },
    permanentLinkPattern: "concat",
    scope: ["openid", "profile"],
    botPrompt: "normal",
  };
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const oauthError = (status: number, error: string, description: string) =>
  new HttpError(status, { error, error_description: description });

/** LINE answers client mistakes of the token endpoint with 400 and an OAuth error body. */
function issueStatelessToken(ctx: Ctx): Reply {
  const form = new URLSearchParams(ctx.body.toString("utf8"));
  if (form.get("grant_type") !== "client_credentials")
    throw oauthError(400, "unsupported_grant_type", "grant_type must be client_credentials");
  const clientId = form.get("client_id");
  const clientSecret = form.get("client_secret");
  if (!clientId || !clientSecret) throw oauthError(400, "invalid_request", "client_id and client_secret are required");
  const channel = ctx.state.channelByLoginId(clientId);
  if (!channel?.loginChannelSecret) throw oauthError(400, "invalid_client", "invalid client_id");
  if (!sameSecret(clientSecret, channel.loginChannelSecret))
    throw oauthError(400, "invalid_client", "invalid client_secret");
  const token = newOpaqueToken();
  ctx.state.addLoginChannelToken(token, clientId, Date.now() + STATELESS_TTL_S * 1000);
  return ok({ token_type: "Bearer", access_token: token, expires_in: STATELESS_TTL_S - 1 });
}

const AUTH_FAILED = "Authentication failed. Confirm that the access token in the authorization header is valid.";

/** Bearer auth against login-channel tokens only; LINE answers 404 when the channel has no LIFF app. */
function listLiffApps(ctx: Ctx): Reply {
  const token = ctx.req.headers.authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (!token)
    throw new HttpError(401, {
      message: "Authorization header required. Must follow the scheme, 'Authorization: Bearer <ACCESS TOKEN>'",
    });
  const loginChannelId = ctx.state.loginChannelOfToken(token);
  const channel = loginChannelId ? ctx.state.channelByLoginId(loginChannelId) : undefined;
  if (!channel) throw new HttpError(401, { message: AUTH_FAILED });
  const reply = channel.liffId ? ok({ apps: [liffApp(channel)] }) : null;
  ctx.state.countResponse(channel.channelId, ctx.endpoint, reply ? 200 : 404);
  if (!reply) throw notFound("no LIFF app on this channel");
  return reply;
}

export const liffRoutes: Route[] = [
  plain("POST", "/oauth2/v3/token", issueStatelessToken),
  plain("GET", "/liff/v1/apps", listLiffApps),
];
