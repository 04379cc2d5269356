import {
  badRequest,
  HttpError,
  jsonObject,
  line,
  ok,
  validationError,
  type Ctx,
  type ErrorDetail,
  type Route,
} from "./http";
import { isUserId, isUuid, newMessageId, newOpaqueToken } from "./ids";
import type { Channel, SendKind, SentMessage } from "./state";
import { validateMessages, validateNotificationDisabled } from "./validation";

/**
 * Sending messages (reply, push, multicast, broadcast), message validation, quota and bot info.
 * Order of checks per send: retry-key format → body validation → retry-key replay (409) → quota →
 * record. Nothing is recorded, and no retry key consumed, unless the request is accepted.
 */

const INVALID_TO = "The property, 'to', in the request body is invalid (line: -, column: -)";
// Quote tokens exist only for message types a user can quote (messaging-api.yml, SentMessage).
const QUOTABLE = new Set(["text", "sticker", "image", "video"]);

function retryKeyOf(ctx: Ctx): string | undefined {
  const raw = ctx.req.headers["x-line-retry-key"];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!isUuid(key)) throw badRequest("The value for the 'X-Line-Retry-Key' header is invalid");
  return key;
}

/** A repeat of an accepted key answers 409 with the original request id, and sends nothing again. */
function rejectReplayedKey(ctx: Ctx, channel: Channel, key: string | undefined): void {
  if (!key) return;
  const hit = ctx.state.retryKeys.get(channel.channelId, key);
  if (!hit) return;
  const body: Record<string, unknown> = { message: "The retry key is already accepted" };
  if (hit.sentMessages) body.sentMessages = hit.sentMessages;
  throw new HttpError(409, body, { "x-line-accepted-request-id": hit.requestId });
}

function checkBody(body: Record<string, unknown>, extra: ErrorDetail[] = []): void {
  const errors = [...extra, ...validateMessages(body.messages)];
  validateNotificationDisabled(errors, body.notificationDisabled);
  if (errors.length) throw validationError(errors);
}

function accept(
  ctx: Ctx,
  channel: Channel,
  kind: SendKind,
  to: string[],
  messages: unknown[],
  retryKey?: string,
): SentMessage[] {
  const { state } = ctx;
  const billed = kind !== "reply"; // reply messages are free on LINE and do not count against the quota
  if (
    billed &&
    channel.monthlyQuota !== undefined &&
    state.monthlyUsage(channel.channelId) + to.length > channel.monthlyQuota
  ) {
    throw new HttpError(429, { message: "You have reached your monthly limit." });
  }
  const sentMessages = messages.map((m): SentMessage => {
    const type = (m as { type?: unknown }).type;
    return QUOTABLE.has(String(type)) ? { id: newMessageId(), quoteToken: newOpaqueToken() } : { id: newMessageId() };
  });
  const withIds = kind === "push" || kind === "reply";
  state.record({
    requestId: ctx.requestId,
    channelId: channel.channelId,
    kind,
    to,
    messages,
    ...(withIds ? { sentMessages } : {}),
    ...(retryKey ? { retryKey } : {}),
  });
  if (billed) state.addUsage(channel.channelId, to.length);
  const stats = state.statsFor(channel.channelId);
  stats.recipients += to.length;
  stats.messages += to.length * messages.length;
  if (retryKey) {
    state.retryKeys.accept(channel.channelId, retryKey, {
      requestId: ctx.requestId,
      at: Date.now(),
      ...(withIds ? { sentMessages } : {}),
    });
  }
  return sentMessages;
}

function reply(ctx: Ctx, channel: Channel) {
  const body = jsonObject(ctx);
  const extra: ErrorDetail[] = [];
  if (typeof body.replyToken !== "string" || !body.replyToken)
    extra.push({ message: "must be specified", property: "replyToken" });
  checkBody(body, extra);
  const token = body.replyToken as string;
  const userId = ctx.state.peekReplyToken(channel.channelId, token);
  if (!userId) throw badRequest("Invalid reply token");
  const sentMessages = accept(ctx, channel, "reply", [userId], body.messages as unknown[]);
  ctx.state.consumeReplyToken(token);
  return ok({ sentMessages });
}

function push(ctx: Ctx, channel: Channel) {
  const retryKey = retryKeyOf(ctx);
  const body = jsonObject(ctx);
  checkBody(body, body.to === undefined ? [{ message: "must be specified", property: "to" }] : []);
  if (!isUserId(body.to)) throw badRequest(INVALID_TO);
  rejectReplayedKey(ctx, channel, retryKey);
  const sentMessages = accept(ctx, channel, "push", [body.to], body.messages as unknown[], retryKey);
  return ok({ sentMessages });
}

function multicast(ctx: Ctx, channel: Channel) {
  const retryKey = retryKeyOf(ctx);
  const body = jsonObject(ctx);
  const extra: ErrorDetail[] = [];
  if (!Array.isArray(body.to)) extra.push({ message: "must be specified", property: "to" });
  else if (body.to.length < 1 || body.to.length > 500)
    extra.push({ message: "Size must be between 1 and 500", property: "to" });
  else
    body.to.forEach((id, i) => {
      if (!isUserId(id)) extra.push({ message: "invalid user ID", property: `to[${i}]` });
    });
  checkBody(body, extra);
  rejectReplayedKey(ctx, channel, retryKey);
  // One message per distinct recipient, as LINE delivers (and bills) it.
  const to = [...new Set(body.to as string[])];
  accept(ctx, channel, "multicast", to, body.messages as unknown[], retryKey);
  return ok({});
}

function broadcast(ctx: Ctx, channel: Channel) {
  const retryKey = retryKeyOf(ctx);
  const body = jsonObject(ctx);
  checkBody(body);
  rejectReplayedKey(ctx, channel, retryKey);
  const to = [...ctx.state.friendsOf(channel.channelId)].filter(([, s]) => s === "following").map(([u]) => u);
  accept(ctx, channel, "broadcast", to, body.messages as unknown[], retryKey);
  return ok({});
}

function validateOnly(ctx: Ctx) {
  checkBody(jsonObject(ctx));
  return ok({});
}

export const messagingRoutes: Route[] = [
  line("POST", "/v2/bot/message/reply", "reply", reply),
  line("POST", "/v2/bot/message/push", "push", push),
  line("POST", "/v2/bot/message/multicast", "multicast", multicast),
  line("POST", "/v2/bot/message/broadcast", "other", broadcast),
  line("POST", "/v2/bot/message/validate/:kind", "other", (ctx) => {
    if (!["reply", "push", "multicast", "narrowcast", "broadcast"].includes(ctx.params.kind))
      throw new HttpError(404, { message: "Not found" });
    return validateOnly(ctx);
  }),
  line("GET", "/v2/bot/message/quota", "other", (_ctx, channel) =>
    ok(channel.monthlyQuota === undefined ? { type: "none" } : { type: "limited", value: channel.monthlyQuota }),
  ),
  line("GET", "/v2/bot/message/quota/consumption", "other", (ctx, channel) =>
    ok({ totalUsage: ctx.state.monthlyUsage(channel.channelId) }),
  ),
  // Only friends have a profile for the channel; LINE answers others with 404. No display name
  // variety is needed: the app reads the language only.
  line("GET", "/v2/bot/profile/:userId", "other", (ctx, channel) => {
    const userId = ctx.params.userId;
    if (ctx.state.friendsOf(channel.channelId).get(userId) !== "following")
      throw new HttpError(404, { message: "Not found" });
    const language = ctx.state.languages.get(userId);
    return ok({ userId, displayName: "LINEユーザー", ...(language ? { language } : {}) });
  }),
  line("GET", "/v2/bot/info", "other", (_ctx, channel) =>
    ok({
      userId: channel.botUserId,
      basicId: channel.basicId,
      displayName: channel.displayName,
      chatMode: "bot",
      markAsReadMode: "auto",
    }),
  ),
];
