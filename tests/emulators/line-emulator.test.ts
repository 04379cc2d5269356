import { createHmac, randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { crc32, deflateSync } from "node:zlib";
import { channelAccessToken, HTTPFetchError, messagingApi, validateSignature } from "@line/bot-sdk";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";

/**
 * The LINE emulator, driven through @line/bot-sdk wherever the SDK has the call (which pins our paths
 * and bodies to what the production client sends) and plain fetch for the control API. The webhook
 * side is checked with a real node:http receiver standing in for the app.
 */

const CHANNEL = {
  channelId: "2000000001",
  channelSecret: "test-channel-secret-0001",
  channelAccessToken: "test-access-token-0001",
  loginChannelId: "2000000002",
  loginChannelSecret: "test-login-secret-0002",
  liffId: "2000000002-abcdEFGH",
};

type Received = { headers: IncomingHttpHeaders; raw: string; body: { destination: string; events: Record<string, unknown>[] } };
type Sent = { id: string; requestId: string; kind: string; to: string[]; messages: unknown[]; retryKey?: string };

let emulator: LineEmulator;
let receiver: Server;
let receiverUrl: string;
let received: Received[] = [];
let receiverStatus = 200;
let client: messagingApi.MessagingApiClient;
let blob: messagingApi.MessagingApiBlobClient;

async function control<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

async function sdkError(call: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  try {
    await call;
  } catch (err) {
    if (err instanceof HTTPFetchError) return { status: err.status, body: JSON.parse(err.body) as Record<string, unknown>, headers: err.headers };
    throw err;
  }
  throw new Error("expected the call to fail");
}

const sent = async (query = "") =>
  (await control<{ messages: Sent[] }>("GET", `/__emulator/sent?channelId=${CHANNEL.channelId}${query}`)).body.messages;
const newUser = async () => (await control<{ userId: string }>("POST", "/__emulator/users", {})).body.userId;
const text = (t: string) => ({ type: "text" as const, text: t });

type DeliveryAnswer = { deliveryId: string; status: number; events: { webhookEventId: string; replyToken?: string }[] };
const userActs = (userId: string, events: unknown[]) =>
  control<DeliveryAnswer>("POST", "/__emulator/events", { channelId: CHANNEL.channelId, userId, events });

/** A real (black) RGB PNG of the given size: LINE-sized rich menu images without a fixture file. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([len, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const pixels = deflateSync(Buffer.alloc((width * 3 + 1) * height));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", pixels), chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(async () => {
  emulator = await startLineEmulator({ port: 0, webhookTimeoutMs: 1000 });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: req.headers, raw, body: JSON.parse(raw) as Received["body"] });
      res.writeHead(receiverStatus).end("OK");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/line/t1`;
  client = new messagingApi.MessagingApiClient({ channelAccessToken: CHANNEL.channelAccessToken, baseURL: emulator.url });
  blob = new messagingApi.MessagingApiBlobClient({ channelAccessToken: CHANNEL.channelAccessToken, baseURL: emulator.url });
});

afterAll(async () => {
  await emulator?.close();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
});

beforeEach(async () => {
  await control("POST", "/__emulator/reset");
  const reg = await control("POST", "/__emulator/channels", { ...CHANNEL, webhookUrl: receiverUrl });
  expect(reg.status).toBe(200);
  received = [];
  receiverStatus = 200;
});

afterEach(() => {
  vi.useRealTimers();
});

describe("LINE emulator: sending", () => {
  it("push via the SDK returns sent message ids and is recorded with its request id and retry key", async () => {
    const user = await newUser();
    const retryKey = randomUUID();
    const { httpResponse, body } = await client.pushMessageWithHttpInfo({ to: user, messages: [text("こんにちは"), text("2通目")] }, retryKey);
    expect(body.sentMessages).toHaveLength(2);
    expect(body.sentMessages[0].id).toMatch(/^\d{18}$/);
    expect(body.sentMessages[0].quoteToken).toBeTruthy();
    const requestId = httpResponse.headers.get("x-line-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const records = await sent();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: "push", to: [user], requestId, retryKey, messages: [text("こんにちは"), text("2通目")] });
  });

  it("multicast and broadcast: multicast reaches the listed users, broadcast only current followers", async () => {
    const [a, b, c] = [await newUser(), await newUser(), await newUser()];
    expect(await client.multicast({ to: [a, b, c], messages: [text("お知らせ")] })).toEqual({});
    await userActs(a, [{ type: "follow" }]);
    await userActs(b, [{ type: "follow" }, { type: "unfollow" }]);
    expect(await client.broadcast({ messages: [text("全員へ")] })).toEqual({});
    const records = await sent();
    expect(records.map((r) => r.kind)).toEqual(["multicast", "broadcast"]);
    expect(records[0].to).toEqual([a, b, c]);
    expect(records[1].to).toEqual([a]);
    expect((await sent(`&userId=${b}`)).map((r) => r.kind)).toEqual(["multicast"]);
    // LINE bills per recipient: 3 (multicast) + 1 (broadcast).
    expect(await client.getMessageQuotaConsumption()).toEqual({ totalUsage: 4 });
    expect(await client.getMessageQuota()).toEqual({ type: "none" });
  });

  it("reply tokens come with webhook events, work once, are free, and expire after 60 s", async () => {
    const user = await newUser();
    const delivery = await userActs(user, [{ type: "message", message: { type: "text", text: "予約したい" } }]);
    const replyToken = delivery.body.events[0].replyToken as string;
    const res = await client.replyMessage({ replyToken, messages: [text("承りました")] });
    expect(res.sentMessages).toHaveLength(1);
    const again = await sdkError(client.replyMessage({ replyToken, messages: [text("二回目")] }));
    expect(again).toMatchObject({ status: 400, body: { message: "Invalid reply token" } });
    expect(await sent()).toMatchObject([{ kind: "reply", to: [user], messages: [text("承りました")] }]);
    expect(await client.getMessageQuotaConsumption()).toEqual({ totalUsage: 0 });

    const later = await userActs(user, [{ type: "postback", postback: { data: "action=book" } }]);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    const expired = await sdkError(client.replyMessage({ replyToken: later.body.events[0].replyToken as string, messages: [text("遅い")] }));
    expect(expired).toMatchObject({ status: 400, body: { message: "Invalid reply token" } });
  });

  it("validates like LINE: 6 messages, 5001-character text, 501 recipients, bad user id; nothing recorded", async () => {
    const user = await newUser();
    const six = await sdkError(client.pushMessage({ to: user, messages: Array.from({ length: 6 }, () => text("x")) }));
    expect(six).toEqual({ status: 400, headers: expect.anything(), body: {
      message: "The request body has 1 error(s)", details: [{ message: "Size must be between 1 and 5", property: "messages" }],
    } });
    const long = await sdkError(client.pushMessage({ to: user, messages: [text("あ".repeat(5001))] }));
    expect(long.body).toEqual({
      message: "The request body has 1 error(s)", details: [{ message: "Length must be between 0 and 5000", property: "messages[0].text" }],
    });
    const recipients = Array.from({ length: 501 }, () => user);
    const many = await sdkError(client.multicast({ to: recipients, messages: [text("x")] }));
    expect(many.body).toMatchObject({ details: [{ message: "Size must be between 1 and 500", property: "to" }] });
    const badTo = await sdkError(client.pushMessage({ to: "someone", messages: [text("x")] }));
    expect(badTo.status).toBe(400);
    const image = await sdkError(client.pushMessage({ to: user, messages: [{ type: "image", originalContentUrl: "http://x.example/a.png", previewImageUrl: "https://x.example/p.png" }] }));
    expect(image.body).toMatchObject({ details: [{ property: "messages[0].originalContentUrl" }] });
    const items = Array.from({ length: 14 }, (_, i) => ({ type: "action" as const, action: { type: "message" as const, label: `l${i}`, text: "t" } }));
    const quick = await sdkError(client.pushMessage({ to: user, messages: [{ ...text("q"), quickReply: { items } }] }));
    expect(quick.body).toMatchObject({ details: [{ message: "Size must be between 1 and 13", property: "messages[0].quickReply.items" }] });
    const flex = await client.pushMessage({ to: user, messages: [{ type: "flex", altText: "予約票", contents: { type: "bubble" } }] });
    expect(flex.sentMessages).toHaveLength(1);
    expect((await sent()).map((r) => r.kind)).toEqual(["push"]); // only the valid flex push
  });

  it("a repeated retry key answers 409 with the original request id and sends nothing twice", async () => {
    const user = await newUser();
    const key = randomUUID();
    const first = await client.pushMessageWithHttpInfo({ to: user, messages: [text("一度だけ")] }, key);
    const repeat = await sdkError(client.pushMessage({ to: user, messages: [text("一度だけ")] }, key));
    expect(repeat.status).toBe(409);
    expect(repeat.body).toEqual({ message: "The retry key is already accepted", sentMessages: first.body.sentMessages });
    expect(repeat.headers.get("x-line-accepted-request-id")).toBe(first.httpResponse.headers.get("x-line-request-id"));
    const mkey = randomUUID();
    await client.multicast({ to: [user], messages: [text("m")] }, mkey);
    expect((await sdkError(client.multicast({ to: [user], messages: [text("m")] }, mkey))).status).toBe(409);
    expect(await sent()).toHaveLength(2);
    const stats = await control<{ status409: number }>("GET", `/__emulator/stats?channelId=${CHANNEL.channelId}`);
    expect(stats.body.status409).toBe(2);
  });

  it("a failed request does not consume its retry key; a key that is not a UUID is rejected; keys expire after 24 h", async () => {
    const user = await newUser();
    const key = randomUUID();
    expect((await sdkError(client.pushMessage({ to: user, messages: [text("")] }, key))).status).toBe(400);
    await control("PUT", "/__emulator/rate-limits", { channelId: CHANNEL.channelId, push: 0 });
    expect((await sdkError(client.pushMessage({ to: user, messages: [text("x")] }, key))).status).toBe(429);
    await control("PUT", "/__emulator/rate-limits", { channelId: CHANNEL.channelId, push: 100 });
    expect((await client.pushMessage({ to: user, messages: [text("x")] }, key)).sentMessages).toHaveLength(1);
    const bad = await sdkError(client.pushMessage({ to: user, messages: [text("x")] }, "not-a-uuid"));
    expect(bad).toMatchObject({ status: 400, body: { message: "The value for the 'X-Line-Retry-Key' header is invalid" } });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 25 * 3600_000);
    expect((await client.pushMessage({ to: user, messages: [text("x")] }, key)).sentMessages).toHaveLength(1);
    expect(await sent()).toHaveLength(2);
  });

  it("answers 429 over a configured per-channel limit and records nothing for it", async () => {
    const user = await newUser();
    const limits = await control<{ limits: { push: number } }>("PUT", "/__emulator/rate-limits", { channelId: CHANNEL.channelId, push: 3 });
    expect(limits.body.limits.push).toBe(3);
    // Five at once against 3/s: the bucket holds exactly three, so two are refused however fast we are.
    const results = await Promise.all(Array.from({ length: 5 }, () =>
      client.pushMessage({ to: user, messages: [text("x")] }).then(() => null, (err: unknown) => err)));
    const refused = results.filter((r): r is HTTPFetchError => r instanceof HTTPFetchError);
    expect(results.filter((r) => r === null)).toHaveLength(3);
    expect(refused.map((e) => [e.status, JSON.parse(e.body)])).toEqual([
      [429, { message: "The API rate limit has been exceeded. Try again later." }],
      [429, { message: "The API rate limit has been exceeded. Try again later." }],
    ]);
    expect(await sent()).toHaveLength(3);
    // Other endpoint classes have their own budget.
    expect((await client.getBotInfo()).userId).toMatch(/^U[0-9a-f]{32}$/);
    const stats = await control<{ status429: number; recipients: number }>("GET", `/__emulator/stats?channelId=${CHANNEL.channelId}`);
    expect(stats.body).toMatchObject({ status429: 2, recipients: 3 });
  });

  it("rejects an unknown access token with 401 and answers bot info for a valid one", async () => {
    const stranger = new messagingApi.MessagingApiClient({ channelAccessToken: "no-such-token", baseURL: emulator.url });
    const denied = await sdkError(stranger.getBotInfo());
    expect(denied).toMatchObject({
      status: 401, body: { message: "Authentication failed. Confirm that the access token in the authorization header is valid." },
    });
    expect(denied.headers.get("x-line-request-id")).toBeTruthy();
    const info = await client.getBotInfo();
    expect(info).toMatchObject({ chatMode: "bot", markAsReadMode: "auto", displayName: `Channel ${CHANNEL.channelId}` });
    const listed = await control<{ channels: Record<string, unknown>[] }>("GET", "/__emulator/channels");
    expect(listed.body.channels[0]).toMatchObject({ channelId: CHANNEL.channelId, botUserId: info.userId, liffId: CHANNEL.liffId });
    expect(JSON.stringify(listed.body)).not.toContain(CHANNEL.channelSecret);
    expect(JSON.stringify(listed.body)).not.toContain(CHANNEL.channelAccessToken);
    expect(JSON.stringify(listed.body)).not.toContain(CHANNEL.loginChannelSecret);
  });
});

describe("LINE emulator: webhooks", () => {
  it("delivers signed events to the app, with ids, reply tokens and follow details", async () => {
    const user = await newUser();
    const info = await client.getBotInfo();
    const delivery = await userActs(user, [
      { type: "follow" },
      { type: "message", message: { type: "location", title: "市役所", latitude: 35.1, longitude: 136.9 } },
      { type: "postback", postback: { data: "survey=1&a=2" } },
    ]);
    expect(delivery.body.status).toBe(200);
    expect(received).toHaveLength(1);
    const [req] = received;
    const expected = createHmac("sha256", CHANNEL.channelSecret).update(req.raw).digest("base64");
    expect(req.headers["x-line-signature"]).toBe(expected);
    expect(validateSignature(req.raw, CHANNEL.channelSecret, req.headers["x-line-signature"] as string)).toBe(true);
    expect(req.headers["user-agent"]).toBe("LineBotWebhook/2.0");
    expect(req.headers["content-type"]).toMatch(/^application\/json/);
    expect(req.body.destination).toBe(info.userId);
    const [follow, message, postback] = req.body.events;
    for (const e of req.body.events) {
      expect(e).toMatchObject({ mode: "active", source: { type: "user", userId: user }, deliveryContext: { isRedelivery: false } });
      expect(e.webhookEventId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(typeof e.timestamp).toBe("number");
    }
    expect(new Set(req.body.events.map((e) => e.webhookEventId)).size).toBe(3);
    expect(follow).toMatchObject({ type: "follow", follow: { isUnblocked: false } });
    expect(message).toMatchObject({ type: "message", message: { type: "location", title: "市役所", latitude: 35.1, longitude: 136.9 } });
    expect((message.message as { id: string }).id).toMatch(/^\d+$/);
    expect(postback).toMatchObject({ type: "postback", postback: { data: "survey=1&a=2" } });
    expect(delivery.body.events.map((e) => e.webhookEventId)).toEqual(req.body.events.map((e) => e.webhookEventId));
    expect(delivery.body.events.map((e) => e.replyToken)).toEqual(req.body.events.map((e) => e.replyToken));

    await userActs(user, [{ type: "unfollow" }, { type: "follow" }]);
    const [unfollow, refollow] = received[1].body.events;
    expect(unfollow.replyToken).toBeUndefined();
    expect(refollow).toMatchObject({ type: "follow", follow: { isUnblocked: true } });
  });

  it("redelivers the same events with the same ids, isRedelivery true, re-signed", async () => {
    const user = await newUser();
    receiverStatus = 500;
    const first = await userActs(user, [{ type: "message", message: { type: "text", text: "もしもし" } }]);
    expect(first.body.status).toBe(500);
    receiverStatus = 200;
    const again = await control<{ status: number }>("POST", `/__emulator/deliveries/${first.body.deliveryId}/redeliver`);
    expect(again.body.status).toBe(200);
    const [original, redelivered] = received;
    expect(redelivered.body.events[0]).toEqual({ ...original.body.events[0], deliveryContext: { isRedelivery: true } });
    expect(validateSignature(redelivered.raw, CHANNEL.channelSecret, redelivered.headers["x-line-signature"] as string)).toBe(true);
  });

  it("posts raw bodies with a forged signature when asked, and reports an unreachable app as status 0", async () => {
    const raw = await control<{ status: number }>("POST", "/__emulator/webhooks/raw", { channelId: CHANNEL.channelId, body: "{\"x\":1}", signature: "forged" });
    expect(raw.body.status).toBe(200);
    expect(received[0]).toMatchObject({ raw: "{\"x\":1}", headers: { "x-line-signature": "forged" } });
    await control("POST", "/__emulator/channels", { ...CHANNEL, webhookUrl: `http://127.0.0.1:${await closedPort()}/x` });
    const lost = await userActs(await newUser(), [{ type: "follow" }]);
    expect(lost.body.status).toBe(0);
  });

  it("sets, reads and tests the webhook endpoint through the SDK (success and COULD_NOT_CONNECT)", async () => {
    await client.setWebhookEndpoint({ endpoint: `${receiverUrl}?via=sdk` });
    expect(await client.getWebhookEndpoint()).toEqual({ endpoint: `${receiverUrl}?via=sdk`, active: true });
    const okTest = await client.testWebhookEndpoint({});
    expect(okTest).toMatchObject({ success: true, statusCode: 200, reason: "OK", detail: "200" });
    expect(Number.isNaN(Date.parse(String(okTest.timestamp)))).toBe(false);
    expect(received[0].body).toEqual({ destination: (await client.getBotInfo()).userId, events: [] });
    expect(validateSignature(received[0].raw, CHANNEL.channelSecret, received[0].headers["x-line-signature"] as string)).toBe(true);
    const down = await client.testWebhookEndpoint({ endpoint: `http://127.0.0.1:${await closedPort()}/webhook` });
    expect(down).toMatchObject({ success: false, statusCode: 0, reason: "COULD_NOT_CONNECT" });
    const invalid = await sdkError(client.setWebhookEndpoint({ endpoint: "ftp://example.com/hook" }));
    expect(invalid.body).toMatchObject({ details: [{ property: "endpoint" }] });
  });
});

describe("LINE emulator: rich menus", () => {
  const menu = (overrides: Record<string, unknown> = {}): messagingApi.RichMenuRequest => ({
    size: { width: 2500, height: 843 },
    selected: true,
    name: "架空市メニュー",
    chatBarText: "メニュー",
    areas: [
      { bounds: { x: 0, y: 0, width: 1250, height: 843 }, action: { type: "uri", uri: "https://liff.line.me/2000000002-abcdEFGH" } },
      { bounds: { x: 1250, y: 0, width: 1250, height: 843 }, action: { type: "postback", data: "menu=news" } },
    ],
    ...overrides,
  });

  it("creates, uploads the image once, sets it as default and serves it back", async () => {
    const image = png(2500, 843);
    const { richMenuId } = await client.createRichMenu(menu());
    expect(richMenuId).toMatch(/^richmenu-[0-9a-f]{32}$/);
    expect(await client.getRichMenu(richMenuId)).toMatchObject({ richMenuId, name: "架空市メニュー", chatBarText: "メニュー" });
    expect((await client.getRichMenuList()).richmenus.map((m) => m.richMenuId)).toEqual([richMenuId]);
    const noImage = await sdkError(client.setDefaultRichMenu(richMenuId));
    expect(noImage).toMatchObject({ status: 400, body: { message: "must upload richmenu image before applying it to user" } });
    expect((await sdkError(client.getDefaultRichMenuId())).status).toBe(404);

    await blob.setRichMenuImage(richMenuId, new Blob([new Uint8Array(image)], { type: "image/png" }));
    const second = await sdkError(blob.setRichMenuImage(richMenuId, new Blob([new Uint8Array(image)], { type: "image/png" })));
    expect(second.status).toBe(400);
    await client.setDefaultRichMenu(richMenuId);
    expect(await client.getDefaultRichMenuId()).toEqual({ richMenuId });
    const chunks: Buffer[] = [];
    for await (const chunk of await blob.getRichMenuImage(richMenuId)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(image)).toBe(true);

    const user = await newUser();
    type View = { richMenuId: string | null; richMenu: { name: string } | null; imageUrl: string | null };
    const seen = await control<View>("GET", `/__emulator/users/${user}/richmenu?channelId=${CHANNEL.channelId}`);
    expect(seen.body).toMatchObject({ richMenuId, richMenu: { name: "架空市メニュー" }, imageUrl: `/__emulator/richmenus/${richMenuId}/image` });
    const served = await fetch(`${emulator.url}${seen.body.imageUrl}`);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer()).equals(image)).toBe(true);

    // A per-user link wins over the default; unlinking falls back to it; deleting the menu clears both.
    const { richMenuId: personal } = await client.createRichMenu(menu({ name: "個別" }));
    await blob.setRichMenuImage(personal, new Blob([new Uint8Array(image)], { type: "image/png" }));
    await client.linkRichMenuIdToUser(user, personal);
    expect(await client.getRichMenuIdOfUser(user)).toEqual({ richMenuId: personal });
    expect((await control<View>("GET", `/__emulator/users/${user}/richmenu?channelId=${CHANNEL.channelId}`)).body.richMenuId).toBe(personal);
    await client.unlinkRichMenuIdFromUser(user);
    expect((await sdkError(client.getRichMenuIdOfUser(user))).status).toBe(404);
    await client.deleteRichMenu(richMenuId);
    expect((await control<View>("GET", `/__emulator/users/${user}/richmenu?channelId=${CHANNEL.channelId}`)).body)
      .toEqual({ richMenuId: null, richMenu: null, imageUrl: null });
  });

  it("validates rich menu objects and images", async () => {
    const wide = await sdkError(client.validateRichMenuObject(menu({ size: { width: 2600, height: 843 } })));
    expect(wide.body).toEqual({
      message: "The request body has 1 error(s)", details: [{ message: "width must be between 800 and 2500", property: "size.width" }],
    });
    const tall = await sdkError(client.createRichMenu(menu({ size: { width: 1200, height: 1000 }, areas: [] })));
    expect(tall.body).toMatchObject({ details: [{ message: "aspect ratio (width / height) must be 1.45 or more", property: "size" }] });
    const outside = await sdkError(client.createRichMenu(menu({ size: { width: 2500, height: 400 } })));
    expect(outside.body).toMatchObject({ details: [{ property: "areas[0].bounds" }, { property: "areas[1].bounds" }] });
    const areas = Array.from({ length: 21 }, () => ({ bounds: { x: 0, y: 0, width: 10, height: 10 }, action: { type: "postback", data: "x" } }));
    expect((await sdkError(client.createRichMenu(menu({ areas })))).body).toMatchObject({ details: [{ property: "areas" }] });
    const chatBar = await sdkError(client.createRichMenu(menu({ chatBarText: "十五文字のチャットバーテキストです" })));
    expect(chatBar.body).toMatchObject({ details: [{ message: "Length must be between 0 and 14", property: "chatBarText" }] });
    const badAction = await sdkError(client.createRichMenu(menu({ areas: [{ bounds: { x: 0, y: 0, width: 10, height: 10 }, action: { type: "teleport" } }] })));
    expect(badAction.body).toMatchObject({ details: [{ property: "areas[0].action.type" }] });
    await client.validateRichMenuObject(menu());
    const { richMenuId } = await client.createRichMenu(menu());
    const notPng = await sdkError(blob.setRichMenuImage(richMenuId, new Blob(["not an image"], { type: "image/png" })));
    expect(notPng.status).toBe(400);
    const huge = Buffer.concat([png(2500, 843), Buffer.alloc(1024 * 1024)]);
    expect((await sdkError(blob.setRichMenuImage(richMenuId, new Blob([new Uint8Array(huge)], { type: "image/png" })))).status).toBe(413);
    expect((await sdkError(client.getRichMenu("richmenu-00000000000000000000000000000000"))).status).toBe(404);
  });
});

describe("LINE emulator: LINE Login tokens", () => {
  type Issued = { idToken: string; accessToken: string };
  const issue = async (extra: Record<string, unknown> = {}) =>
    (await control<Issued>("POST", "/__emulator/id-tokens", { channelId: CHANNEL.channelId, userId: USER, ...extra })).body;
  const verify = async (idToken: string, clientId = CHANNEL.loginChannelId) => {
    const res = await fetch(`${emulator.url}/oauth2/v2.1/verify`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ id_token: idToken, client_id: clientId }).toString(),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const USER = "U0123456789abcdef0123456789abcdef";

  it("issues HS256 ID tokens that verify, and rejects expired, wrong-audience and garbage tokens", async () => {
    const { idToken } = await issue();
    const [header, payload, signature] = idToken.split(".");
    expect(JSON.parse(Buffer.from(header, "base64url").toString())).toEqual({ typ: "JWT", alg: "HS256" });
    const expectedSig = createHmac("sha256", CHANNEL.loginChannelSecret).update(`${header}.${payload}`).digest("base64url");
    expect(signature).toBe(expectedSig);
    const good = await verify(idToken);
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ iss: "https://access.line.me", sub: USER, aud: CHANNEL.loginChannelId, amr: ["linesso"] });
    expect(good.body.exp).toBe((good.body.iat as number) + 3600);

    const invalid = (d: string) => ({ status: 400, body: { error: "invalid_request", error_description: d } });
    expect(await verify((await issue({ expiresInSeconds: -60 })).idToken)).toEqual(invalid("IdToken expired."));
    expect(await verify((await issue({ audience: "1999999999" })).idToken)).toEqual(invalid("Invalid IdToken Audience."));
    expect(await verify("garbage")).toEqual(invalid("Invalid IdToken."));
    expect(await verify(`${header}.${payload}.${Buffer.from("tampered").toString("base64url")}`)).toEqual(invalid("Invalid IdToken."));
  });

  it("verifies channel and login access tokens at GET /oauth2/v2.1/verify", async () => {
    const oauth = new channelAccessToken.ChannelAccessTokenClient({ baseURL: emulator.url });
    expect(await oauth.verifyChannelTokenByJWT(CHANNEL.channelAccessToken)).toMatchObject({ client_id: CHANNEL.channelId });
    const { accessToken } = await issue();
    const login = await oauth.verifyChannelTokenByJWT(accessToken);
    expect(login).toMatchObject({ client_id: CHANNEL.loginChannelId, scope: "profile openid" });
    expect(login.expires_in).toBeGreaterThan(3500);
    const expired = await sdkError(oauth.verifyChannelTokenByJWT("unknown-token"));
    expect(expired).toEqual({ status: 400, headers: expect.anything(), body: { error: "invalid_request", error_description: "The access token expired" } });
  });
});

describe("LINE emulator: robustness", () => {
  it("answers malformed JSON, unknown paths and oversized bodies without falling over", async () => {
    const auth = { authorization: `Bearer ${CHANNEL.channelAccessToken}`, "content-type": "application/json" };
    const malformed = await fetch(`${emulator.url}/v2/bot/message/push`, { method: "POST", headers: auth, body: "{\"to\":" });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toBe("The request body has 1 error(s)");
    const unknown = await fetch(`${emulator.url}/v2/bot/nothing-here`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: "Not found" });
    expect(unknown.headers.get("x-line-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const big = await fetch(`${emulator.url}/v2/bot/message/push`, { method: "POST", headers: auth, body: "x".repeat(2 * 1024 * 1024 + 1) });
    expect(big.status).toBe(413);
    const noAuth = await fetch(`${emulator.url}/v2/bot/info`);
    expect(noAuth.status).toBe(401);
    const cors = await fetch(`${emulator.url}/__emulator/health`, { method: "OPTIONS" });
    expect(cors.status).toBe(204);
    expect(cors.headers.get("access-control-allow-origin")).toBe("*");
    expect((await control<{ ok: boolean }>("GET", "/__emulator/health")).body).toEqual({ ok: true });
  });
});
