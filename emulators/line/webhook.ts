import { createHmac } from "node:crypto";
import { request as httpRequest, STATUS_CODES } from "node:http";
import { request as httpsRequest } from "node:https";
import { badRequest, isRecord, jsonObject, line, notFound, ok, validationError, type Route } from "./http";
import { newMessageId, newOpaqueToken, newUlid } from "./ids";
import type { Channel, EmulatorState } from "./state";

/**
 * The emulator playing LINE calling the app: signed webhook requests (events, redeliveries, raw
 * bodies, the "verify" test), plus the Messaging API calls that read and set the webhook URL.
 */

export type DeliveryResult = {
  /** The app's HTTP status, 0 when no response arrived (refused, reset, timed out). */
  status: number;
  reason: "OK" | "ERROR_STATUS_CODE" | "COULD_NOT_CONNECT" | "REQUEST_TIMEOUT";
  detail: string;
};

export const sign = (secret: string, body: string | Buffer): string =>
  createHmac("sha256", secret).update(body).digest("base64");

export function isWebhookUrl(v: unknown): v is string {
  if (typeof v !== "string" || v.length > 500) return false;
  try {
    const u = new URL(v);
    // LINE accepts https only; plain http is allowed because the app runs on http in dev and tests.
    return u.protocol === "https:" || u.protocol === "http:";
  } catch (_err) {
    return false;
  }
}

/** POSTs `body` as LINE does. Never throws: every failure is folded into the result. */
export function postWebhook(url: string, body: string, signature: string, timeoutMs: number): Promise<DeliveryResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: DeliveryResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch (_err) {
      return done({ status: 0, reason: "COULD_NOT_CONNECT", detail: "invalid URL" });
    }
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    // agent: false — one connection per delivery, so no pooled socket outlives close() or the app's server.
    const req = send(target, {
      method: "POST",
      agent: false,
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(body),
        "user-agent": "LineBotWebhook/2.0",
        "x-line-signature": signature,
      },
    });
    const timer = setTimeout(() => {
      done({ status: 0, reason: "REQUEST_TIMEOUT", detail: `no response within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on("response", (res) => {
      res.resume(); // LINE ignores the response body; draining frees the socket
      res.on("end", () => clearTimeout(timer));
      res.on("error", () => {});
      const status = res.statusCode ?? 0;
      // LINE counts only 200 as success ("ERROR_STATUS_CODE" otherwise), including 2xx others.
      done(
        status === 200
          ? { status, reason: "OK", detail: "200" }
          : { status, reason: "ERROR_STATUS_CODE", detail: `${status} ${STATUS_CODES[status] ?? ""}`.trim() },
      );
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      done({ status: 0, reason: "COULD_NOT_CONNECT", detail: err.code ?? err.message });
    });
    req.end(body);
  });
}

export type EventInput = Record<string, unknown>;

/**
 * Webhook event objects for one user (webhook.yml). Changes the friendship state as the events say and
 * issues reply tokens for follow, message and postback events. Throws a 400 on unusable input.
 */
export function buildEvents(
  state: EmulatorState,
  channel: Channel,
  userId: string,
  inputs: unknown,
): Record<string, unknown>[] {
  if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > 100) {
    throw validationError([{ message: "must be an array of 1 to 100 events", property: "events" }]);
  }
  // Validate everything first so a bad event later in the list leaves no state changed.
  inputs.forEach(checkEventInput);
  const friends = state.friendsOf(channel.channelId);
  return (inputs as EventInput[]).map((input) => {
    const now = Date.now();
    const event: Record<string, unknown> = {
      type: input.type,
      webhookEventId: newUlid(now),
      timestamp: now,
      source: { type: "user", userId },
      mode: "active",
      deliveryContext: { isRedelivery: false },
    };
    const withReply = () => {
      event.replyToken = state.issueReplyToken(channel.channelId, userId, now);
    };
    if (input.type === "follow") {
      const previous = friends.get(userId);
      withReply();
      event.follow = { isUnblocked: previous === "blocked" };
      friends.set(userId, "following");
    } else if (input.type === "unfollow") {
      if (friends.has(userId)) friends.set(userId, "blocked");
    } else if (input.type === "message") {
      withReply();
      event.message = messageContent(state, channel, input.message as Record<string, unknown>);
    } else {
      const pb = input.postback as Record<string, unknown>;
      withReply();
      event.postback = isRecord(pb.params) ? { data: pb.data, params: pb.params } : { data: pb.data };
    }
    return event;
  });
}

function checkEventInput(input: unknown, i: number): void {
  const p = `events[${i}]`;
  if (!isRecord(input)) throw validationError([{ message: "must be an object", property: p }]);
  if (input.type === "follow" || input.type === "unfollow") return;
  if (input.type === "postback") {
    if (!isRecord(input.postback) || typeof input.postback.data !== "string") {
      throw validationError([{ message: "must be specified", property: `${p}.postback.data` }]);
    }
    return;
  }
  if (input.type !== "message") {
    throw validationError([{ message: "must be one of [follow, unfollow, message, postback]", property: `${p}.type` }]);
  }
  const m = input.message;
  const text = isRecord(m) && m.type === "text" && typeof m.text === "string";
  const location =
    isRecord(m) && m.type === "location" && typeof m.latitude === "number" && typeof m.longitude === "number";
  if (isRecord(m) && m.type === "image") return checkImage(m, `${p}.message`);
  if (!text && !location) {
    throw validationError([
      {
        message: "must be a text {text}, location {latitude, longitude} or image {contentType, contentBase64} message",
        property: `${p}.message`,
      },
    ]);
  }
}

/** Image types LINE's apps send (photos are JPEG; screenshots PNG; GIF and WebP from keyboards). */
export const IMAGE_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"];
const MAX_IMAGE_BYTES = 1024 * 1024;

function checkImage(m: Record<string, unknown>, p: string): void {
  if (typeof m.contentType !== "string" || !IMAGE_TYPES.includes(m.contentType))
    throw validationError([{ message: `must be one of [${IMAGE_TYPES.join(", ")}]`, property: `${p}.contentType` }]);
  const data = typeof m.contentBase64 === "string" ? Buffer.from(m.contentBase64, "base64") : null;
  if (!data?.length) throw validationError([{ message: "must be specified", property: `${p}.contentBase64` }]);
  if (data.length > MAX_IMAGE_BYTES)
    throw validationError([{ message: `must be at most ${MAX_IMAGE_BYTES} bytes`, property: `${p}.contentBase64` }]);
  const pad = m.padToBytes;
  if (pad !== undefined && (typeof pad !== "number" || !Number.isInteger(pad) || pad < 0 || pad > MAX_PADDED_BYTES))
    throw validationError([{ message: `must be an integer up to ${MAX_PADDED_BYTES}`, property: `${p}.padToBytes` }]);
}

/**
 * Emulator-only: `padToBytes` stores the content padded with zero bytes to that size, so a test can
 * have a resident send a phone's 30 MB original without pushing 30 MB through the control API.
 */
const MAX_PADDED_BYTES = 64 * 1024 * 1024;

function messageContent(state: EmulatorState, channel: Channel, m: Record<string, unknown>): Record<string, unknown> {
  if (m.type === "text") return { id: newMessageId(), type: "text", text: m.text, quoteToken: newOpaqueToken() };
  if (m.type === "image") {
    // As LINE: the event carries only the id; the bytes are fetched from the data API by that id.
    const id = newMessageId();
    const raw = Buffer.from(String(m.contentBase64), "base64");
    const pad = typeof m.padToBytes === "number" ? m.padToBytes : 0;
    const data = pad > raw.length ? Buffer.concat([raw, Buffer.alloc(pad - raw.length)]) : raw;
    state.storeContent(id, { channelId: channel.channelId, contentType: String(m.contentType), data });
    return { id, type: "image", quoteToken: newOpaqueToken(), contentProvider: { type: "line" } };
  }
  const out: Record<string, unknown> = {
    id: newMessageId(),
    type: "location",
    latitude: m.latitude,
    longitude: m.longitude,
  };
  if (typeof m.title === "string") out.title = m.title;
  if (typeof m.address === "string") out.address = m.address;
  return out;
}

export async function deliver(
  channel: Channel,
  events: Record<string, unknown>[],
  timeoutMs: number,
): Promise<DeliveryResult> {
  if (!channel.webhookUrl) throw badRequest(`Channel ${channel.channelId} has no webhook endpoint`);
  const body = JSON.stringify({ destination: channel.botUserId, events });
  return postWebhook(channel.webhookUrl, body, sign(channel.channelSecret, body), timeoutMs);
}

export function webhookRoutes(timeoutMs: number): Route[] {
  return [
    // api-data.line.me: the content of a message a user sent to this channel; 404 for any other id.
    line("GET", "/v2/bot/message/:messageId/content", "other", (ctx, channel) => {
      const content = ctx.state.contents.get(ctx.params.messageId ?? "");
      if (!content || content.channelId !== channel.channelId) throw notFound();
      return { status: 200, raw: content.data, contentType: content.contentType };
    }),
    line("PUT", "/v2/bot/channel/webhook/endpoint", "other", (ctx, channel) => {
      const body = jsonObject(ctx);
      if (!isWebhookUrl(body.endpoint)) {
        throw validationError([
          { message: "must be a valid HTTPS URL of at most 500 characters", property: "endpoint" },
        ]);
      }
      channel.webhookUrl = body.endpoint;
      return ok({});
    }),
    line("GET", "/v2/bot/channel/webhook/endpoint", "other", (_ctx, channel) =>
      ok(
        channel.webhookUrl
          ? { endpoint: channel.webhookUrl, active: channel.webhookActive !== false }
          : { endpoint: "", active: false },
      ),
    ),
    line("POST", "/v2/bot/channel/webhook/test", "other", async (ctx, channel) => {
      const body = ctx.body.length ? jsonObject(ctx) : {};
      if (body.endpoint !== undefined && !isWebhookUrl(body.endpoint)) {
        throw validationError([
          { message: "must be a valid HTTPS URL of at most 500 characters", property: "endpoint" },
        ]);
      }
      const endpoint = (body.endpoint as string | undefined) ?? channel.webhookUrl;
      if (!endpoint) throw badRequest("The webhook endpoint URL is not set");
      const payload = JSON.stringify({ destination: channel.botUserId, events: [] });
      const timestamp = new Date().toISOString();
      const r = await postWebhook(endpoint, payload, sign(channel.channelSecret, payload), timeoutMs);
      return ok({ success: r.reason === "OK", timestamp, statusCode: r.status, reason: r.reason, detail: r.detail });
    }),
  ];
}

/** Same events, same webhookEventIds, flagged as redelivered — what LINE sends after a failed delivery. */
export function asRedelivery(events: Record<string, unknown>[]): Record<string, unknown>[] {
  return events.map((e) => ({ ...e, deliveryContext: { isRedelivery: true } }));
}
