import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { crc32, deflateSync } from "node:zlib";
import { HTTPFetchError, messagingApi } from "@line/bot-sdk";
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";

/**
 * Shared harness of the LINE emulator's tests: the emulator, a real node:http receiver standing in for
 * the app's webhook, SDK clients, and small helpers. Each test file calls startEmulatorHarness().
 *
 * The LINE emulator, driven through @line/bot-sdk wherever the SDK has the call (which pins our paths
 * and bodies to what the production client sends) and plain fetch for the control API. The webhook
 * side is checked with a real node:http receiver standing in for the app.
 */

export const CHANNEL = {
  channelId: "2000000001",
  channelSecret: "test-channel-secret-0001",
  channelAccessToken: "test-access-token-0001",
  loginChannelId: "2000000002",
  loginChannelSecret: "test-login-secret-0002",
  liffId: "2000000002-abcdEFGH",
};

export type Received = {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { destination: string; events: Record<string, unknown>[] };
};
export type Sent = {
  id: string;
  requestId: string;
  kind: string;
  to: string[];
  messages: unknown[];
  retryKey?: string;
};

export let emulator: LineEmulator;
let receiver: Server;
export let receiverUrl: string;
export let received: Received[] = [];
let receiverStatus = 200;
export let client: messagingApi.MessagingApiClient;
export let blob: messagingApi.MessagingApiBlobClient;

export async function control<T>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

export async function sdkError(
  call: Promise<unknown>,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  try {
    await call;
  } catch (err) {
    if (err instanceof HTTPFetchError)
      return { status: err.status, body: JSON.parse(err.body) as Record<string, unknown>, headers: err.headers };
    throw err;
  }
  throw new Error("expected the call to fail");
}

export const sent = async (query = "") =>
  (await control<{ messages: Sent[] }>("GET", `/__emulator/sent?channelId=${CHANNEL.channelId}${query}`)).body.messages;
export const newUser = async () => (await control<{ userId: string }>("POST", "/__emulator/users", {})).body.userId;
export const text = (t: string) => ({ type: "text" as const, text: t });

export type DeliveryAnswer = {
  deliveryId: string;
  status: number;
  events: { webhookEventId: string; replyToken?: string }[];
};
export const userActs = (userId: string, events: unknown[]) =>
  control<DeliveryAnswer>("POST", "/__emulator/events", { channelId: CHANNEL.channelId, userId, events });

/** A real (black) RGB PNG of the given size: LINE-sized rich menu images without a fixture file. */
export function png(width: number, height: number): Buffer {
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
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", pixels),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The receiver answers the next webhooks with this status (reset to 200 before each test). */
export function setReceiverStatus(status: number) {
  receiverStatus = status;
}

export function startEmulatorHarness() {
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
    client = new messagingApi.MessagingApiClient({
      channelAccessToken: CHANNEL.channelAccessToken,
      baseURL: emulator.url,
    });
    blob = new messagingApi.MessagingApiBlobClient({
      channelAccessToken: CHANNEL.channelAccessToken,
      baseURL: emulator.url,
    });
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
}
