import { randomBytes, randomUUID } from "node:crypto";
import { badRequest, HttpError, jsonObject, notFound, ok, plain, type Ctx, type Route } from "./http";
import { issueLoginTokens } from "./idtoken";
import { isUserId, newUserId } from "./ids";
import type { LimitClass } from "./limits";
import { richMenuView } from "./richmenu";
import type { Channel } from "./state";
import { asRedelivery, buildEvents, deliver, isWebhookUrl, postWebhook, sign } from "./webhook";

/**
 * The /__emulator control API (not LINE's): register channels, create users, make users act (follow,
 * message, postback) so the emulator delivers signed webhooks, and inspect what the app sent. Used by
 * tests, the demo and /dev/line. No auth: the emulator only ever listens on a dev machine or in CI.
 */

const str = (v: unknown): v is string => typeof v === "string" && v.length > 0;

function requireChannel(ctx: Ctx, channelId: unknown): Channel {
  if (!str(channelId)) throw badRequest("channelId is required");
  const channel = ctx.state.channels.get(channelId);
  if (!channel) throw notFound(`Unknown channel ${channelId}`);
  return channel;
}

function requireUserId(v: unknown): string {
  if (!isUserId(v)) throw badRequest("userId must be U followed by 32 lowercase hex digits");
  return v;
}

/** A channel as the control API shows it: never the secret, the access token or the login secret. */
export function publicChannel(c: Channel) {
  const { channelSecret: _s, channelAccessToken: _t, loginChannelSecret: _l, ...rest } = c;
  return rest;
}

function upsertChannel(ctx: Ctx) {
  const b = jsonObject(ctx);
  for (const k of ["channelId", "channelSecret", "channelAccessToken"] as const)
    if (!str(b[k])) throw badRequest(`${k} is required`);
  for (const k of ["loginChannelId", "loginChannelSecret", "liffId", "basicId", "displayName"] as const) {
    if (b[k] !== undefined && !str(b[k])) throw badRequest(`${k} must be a non-empty string`);
  }
  if (b.botUserId !== undefined && !isUserId(b.botUserId))
    throw badRequest("botUserId must be U followed by 32 lowercase hex digits");
  if (b.webhookUrl !== undefined && b.webhookUrl !== null && !isWebhookUrl(b.webhookUrl))
    throw badRequest("webhookUrl must be an http(s) URL");
  if (b.liffEndpointUrl !== undefined && !isWebhookUrl(b.liffEndpointUrl))
    throw badRequest("liffEndpointUrl must be an http(s) URL");
  if (b.webhookActive !== undefined && typeof b.webhookActive !== "boolean")
    throw badRequest("webhookActive must be a boolean");
  if (b.monthlyQuota !== undefined && !(Number.isInteger(b.monthlyQuota) && (b.monthlyQuota as number) >= 0)) {
    throw badRequest("monthlyQuota must be a non-negative integer");
  }
  const channelId = b.channelId as string;
  const owner = ctx.state.channelByToken(b.channelAccessToken as string);
  if (owner && owner.channelId !== channelId)
    throw new HttpError(409, { message: "channelAccessToken belongs to another channel" });
  const prev = ctx.state.channels.get(channelId);
  const pick = <K extends keyof Channel>(k: K): Channel[K] | undefined => (b[k] as Channel[K] | undefined) ?? prev?.[k];
  const channel: Channel = {
    channelId,
    channelSecret: b.channelSecret as string,
    channelAccessToken: b.channelAccessToken as string,
    botUserId: pick("botUserId") ?? newUserId(),
    basicId: pick("basicId") ?? `@${randomBytes(4).toString("hex")}`,
    displayName: pick("displayName") ?? `Channel ${channelId}`,
  };
  for (const k of [
    "loginChannelId",
    "loginChannelSecret",
    "liffId",
    "liffEndpointUrl",
    "webhookActive",
    "monthlyQuota",
  ] as const) {
    const v = pick(k);
    if (v !== undefined) Object.assign(channel, { [k]: v });
  }
  // `webhookUrl: null` clears it; leaving it out keeps the one set earlier (by this API or by LINE's PUT).
  const webhookUrl = b.webhookUrl === null ? undefined : ((b.webhookUrl as string | undefined) ?? prev?.webhookUrl);
  if (webhookUrl) channel.webhookUrl = webhookUrl;
  ctx.state.upsertChannel(channel);
  return ok(publicChannel(channel));
}

function setRateLimits(ctx: Ctx) {
  const b = jsonObject(ctx);
  const limits: Partial<Record<LimitClass, number>> = {};
  for (const k of ["push", "multicast", "reply", "other"] as const) {
    if (b[k] === undefined) continue;
    if (typeof b[k] !== "number" || !Number.isFinite(b[k]) || b[k] < 0)
      throw badRequest(`${k} must be a number >= 0 (requests per second)`);
    limits[k] = b[k];
  }
  if (b.channelId !== undefined) requireChannel(ctx, b.channelId);
  const channelId = b.channelId as string | undefined;
  ctx.state.limiter.configure(channelId, limits);
  return ok({ channelId: channelId ?? null, limits: ctx.state.limiter.snapshot(channelId) });
}

function sent(ctx: Ctx) {
  const q = ctx.url.searchParams;
  const channelId = q.get("channelId");
  const userId = q.get("userId");
  const kind = q.get("kind");
  const sinceRaw = q.get("since");
  // `since` is epoch milliseconds or an ISO 8601 time; records at or after it are returned.
  const since = sinceRaw === null ? undefined : /^\d+$/.test(sinceRaw) ? Number(sinceRaw) : Date.parse(sinceRaw);
  if (since !== undefined && Number.isNaN(since))
    throw badRequest("since must be epoch milliseconds or an ISO 8601 time");
  const messages = ctx.state.sent
    .filter(
      (r) =>
        (!channelId || r.channelId === channelId) &&
        (!userId || r.to.includes(userId)) &&
        (!kind || r.kind === kind) &&
        (since === undefined || r.atMs >= since),
    )
    .map(({ atMs: _atMs, ...rest }) => rest);
  return ok({ messages });
}

function stats(ctx: Ctx) {
  const channelId = ctx.url.searchParams.get("channelId");
  if (channelId) {
    return ok({ channelId, ...ctx.state.statsFor(channelId), limits: ctx.state.limiter.snapshot(channelId) });
  }
  // Without a channel: totals across all channels.
  const total = { requests: {} as Record<string, number>, status429: 0, status409: 0, recipients: 0, messages: 0 };
  for (const s of ctx.state.stats.values()) {
    for (const [k, n] of Object.entries(s.requests)) total.requests[k] = (total.requests[k] ?? 0) + n;
    total.status429 += s.status429;
    total.status409 += s.status409;
    total.recipients += s.recipients;
    total.messages += s.messages;
  }
  return ok({ channelId: null, ...total, limits: ctx.state.limiter.snapshot() });
}

export function controlRoutes(webhookTimeoutMs: number): Route[] {
  return [
    plain("GET", "/__emulator/health", () => ok({ ok: true })),
    plain("POST", "/__emulator/channels", upsertChannel),
    plain("GET", "/__emulator/channels", (ctx) =>
      ok({ channels: [...ctx.state.channels.values()].map(publicChannel) }),
    ),
    plain("POST", "/__emulator/reset", (ctx) => {
      ctx.state.reset();
      return ok({});
    }),
    plain("PUT", "/__emulator/rate-limits", setRateLimits),
    plain("POST", "/__emulator/users", (ctx) => {
      const userId = newUserId();
      ctx.state.users.add(userId);
      // The language of the user's LINE app (default ja); "" makes the profile omit it, as LINE may.
      const b = ctx.body.length ? jsonObject(ctx) : {};
      const language = b.language === undefined ? "ja" : b.language;
      if (typeof language !== "string" || !/^([a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*)?$/.test(language))
        throw badRequest("language must be a BCP 47 tag or empty");
      if (language) ctx.state.languages.set(userId, language);
      return ok({ userId });
    }),
    plain("POST", "/__emulator/events", async (ctx) => {
      const b = jsonObject(ctx);
      const channel = requireChannel(ctx, b.channelId);
      const userId = requireUserId(b.userId);
      // Checked before the events change any state: without an endpoint nothing can be delivered.
      if (!channel.webhookUrl) throw badRequest(`Channel ${channel.channelId} has no webhook endpoint`);
      ctx.state.users.add(userId);
      const events = buildEvents(ctx.state, channel, userId, b.events);
      const deliveryId = randomUUID();
      ctx.state.addDelivery(deliveryId, { channelId: channel.channelId, events });
      const r = await deliver(channel, events, webhookTimeoutMs);
      return ok({
        deliveryId,
        status: r.status,
        reason: r.reason,
        detail: r.detail,
        events: events.map((e) => ({
          type: e.type,
          webhookEventId: e.webhookEventId,
          ...(e.replyToken ? { replyToken: e.replyToken } : {}),
        })),
      });
    }),
    plain("POST", "/__emulator/deliveries/:deliveryId/redeliver", async (ctx) => {
      const d = ctx.state.deliveries.get(ctx.params.deliveryId);
      if (!d) throw notFound("Unknown delivery");
      const channel = requireChannel(ctx, d.channelId);
      const r = await deliver(channel, asRedelivery(d.events), webhookTimeoutMs);
      return ok({ status: r.status, reason: r.reason, detail: r.detail });
    }),
    plain("POST", "/__emulator/webhooks/raw", async (ctx) => {
      const b = jsonObject(ctx);
      const channel = requireChannel(ctx, b.channelId);
      if (typeof b.body !== "string") throw badRequest("body must be a string");
      if (b.signature !== undefined && typeof b.signature !== "string") throw badRequest("signature must be a string");
      if (!channel.webhookUrl) throw badRequest(`Channel ${channel.channelId} has no webhook endpoint`);
      const signature = (b.signature as string | undefined) ?? sign(channel.channelSecret, b.body);
      const r = await postWebhook(channel.webhookUrl, b.body, signature, webhookTimeoutMs);
      return ok({ status: r.status, reason: r.reason, detail: r.detail });
    }),
    plain("GET", "/__emulator/sent", sent),
    plain("GET", "/__emulator/stats", stats),
    plain("POST", "/__emulator/id-tokens", (ctx) => {
      const b = jsonObject(ctx);
      const channel = requireChannel(ctx, b.channelId);
      const userId = requireUserId(b.userId);
      if (b.expiresInSeconds !== undefined && !Number.isInteger(b.expiresInSeconds))
        throw badRequest("expiresInSeconds must be an integer");
      if (b.audience !== undefined && !str(b.audience)) throw badRequest("audience must be a non-empty string");
      if (b.nonce !== undefined && typeof b.nonce !== "string") throw badRequest("nonce must be a string");
      return ok(
        issueLoginTokens(ctx.state, channel, {
          userId,
          expiresInSeconds: b.expiresInSeconds as number | undefined,
          audience: b.audience as string | undefined,
          nonce: b.nonce as string | undefined,
        }),
      );
    }),
    plain("GET", "/__emulator/users/:userId/richmenu", (ctx) => {
      const channel = requireChannel(ctx, ctx.url.searchParams.get("channelId"));
      const userId = requireUserId(ctx.params.userId);
      const id = ctx.state.richMenuFor(channel.channelId, userId);
      const menu = id ? ctx.state.richMenus.get(id) : undefined;
      if (!menu) return ok({ richMenuId: null, richMenu: null, imageUrl: null });
      return ok({
        richMenuId: menu.richMenuId,
        richMenu: richMenuView(menu),
        imageUrl: menu.image ? `/__emulator/richmenus/${menu.richMenuId}/image` : null,
      });
    }),
    plain("GET", "/__emulator/richmenus/:richMenuId/image", (ctx) => {
      const image = ctx.state.richMenus.get(ctx.params.richMenuId)?.image;
      if (!image) throw notFound();
      return { status: 200, raw: image.data, contentType: image.contentType, headers: { "cache-control": "no-store" } };
    }),
  ];
}
