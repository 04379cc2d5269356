import { createHash, createHmac, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { tenants, type TenantTopic } from "#db/schema/index";
import { saveChannelCredentials } from "~/features/line/credentials.server";

/**
 * LINE test data, shared by the integration tests and the demo seed (db/seed.ts). Credentials are
 * stored through the same use-case the admin page calls, so they are encrypted like real ones.
 */
let seq = 0;

export type PlainChannel = {
  channelId: string;
  channelSecret: string;
  channelAccessToken: string;
  loginChannelId: string;
  liffId: string;
  botUserId: string;
};

/** Fake but well-formed credentials: never valid at LINE, unique per call. */
export function fakeChannel(label = `t${Date.now().toString(36)}${++seq}`): PlainChannel {
  const h = createHash("sha256").update(label).digest("hex");
  const digits = (BigInt(`0x${h.slice(0, 12)}`) % 900_000_000n) + 2_100_000_000n;
  return {
    channelId: String(digits),
    channelSecret: h.slice(0, 32),
    channelAccessToken: `fake-token-${h.slice(32)}-${randomUUID()}`,
    loginChannelId: String(digits + 1n),
    liffId: `${digits + 1n}-${h.slice(12, 20)}`,
    botUserId: `U${h.slice(20, 52)}`,
  };
}

export async function makeLineChannel(db: Db, key: Buffer, tenantId: string, channel: PlainChannel = fakeChannel()) {
  const saved = await withTenant(db, tenantId, (tx) => saveChannelCredentials(tx, key, tenantId, channel));
  if (!saved.ok) throw new Error(`makeLineChannel: ${saved.message}`);
  return channel;
}

/** tenants.topics is platform data (no RLS): a plain update. */
export async function setTenantTopics(db: Db, tenantId: string, topics: TenantTopic[]) {
  await db.update(tenants).set({ topics }).where(eq(tenants.id, tenantId));
}

/** The X-Line-Signature LINE computes: base64 HMAC-SHA256 of the raw body with the channel secret. */
export function signLineBody(body: string | Buffer, channelSecret: string) {
  return createHmac("sha256", channelSecret).update(body).digest("base64");
}

type EventInput = {
  userId: string;
  webhookEventId?: string;
  replyToken?: string;
  isRedelivery?: boolean;
  timestamp?: number;
};

function base(type: string, e: EventInput) {
  return {
    type,
    mode: "active",
    timestamp: e.timestamp ?? Date.now(),
    source: { type: "user", userId: e.userId },
    webhookEventId: e.webhookEventId ?? `01J${randomUUID().replace(/-/g, "").slice(0, 23).toUpperCase()}`,
    deliveryContext: { isRedelivery: e.isRedelivery ?? false },
    ...(type === "unfollow" ? {} : { replyToken: e.replyToken ?? randomUUID().replace(/-/g, "") }),
  };
}

/** Webhook events shaped like LINE's (webhook.yml), for tests that post to the handler directly. */
export const lineEvents = {
  follow: (e: EventInput) => ({ ...base("follow", e), follow: { isUnblocked: false } }),
  unfollow: (e: EventInput) => base("unfollow", e),
  text: (e: EventInput & { text: string }) => ({
    ...base("message", e),
    message: { id: String(Date.now()), type: "text", text: e.text, quoteToken: "q" },
  }),
  postback: (e: EventInput & { data: string }) => ({ ...base("postback", e), postback: { data: e.data } }),
};

export function webhookBody(events: object[], destination = "Udestination") {
  return JSON.stringify({ destination, events });
}

/** The emulator's /__emulator control API (emulators/line), typed for what the tests use. */
export function emulatorControl(baseUrl: string) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(new URL(path, baseUrl), {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator ${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
  type SentRecord = {
    kind: string;
    to: string[];
    messages: { type: string; text?: string; quickReply?: { items: { action: { label: string; data: string } }[] } }[];
    retryKey?: string;
  };
  return {
    registerChannel: (c: PlainChannel & { webhookUrl?: string; loginChannelSecret?: string }) =>
      call<object>("POST", "/__emulator/channels", c),
    /** `language`: of the user's LINE app, as the profile API reports it (default ja; "" for none). */
    newUser: async (opts: { language?: string } = {}) =>
      (await call<{ userId: string }>("POST", "/__emulator/users", opts)).userId,
    events: (channelId: string, userId: string, events: object[]) =>
      call<{ deliveryId: string; status: number; events: { webhookEventId: string; replyToken?: string }[] }>(
        "POST",
        "/__emulator/events",
        { channelId, userId, events },
      ),
    redeliver: (deliveryId: string) =>
      call<{ status: number }>("POST", `/__emulator/deliveries/${deliveryId}/redeliver`),
    sent: async (channelId: string, userId?: string) =>
      (
        await call<{ messages: SentRecord[] }>(
          "GET",
          `/__emulator/sent?channelId=${channelId}${userId ? `&userId=${userId}` : ""}`,
        )
      ).messages,
    rateLimits: (channelId: string, limits: Partial<Record<"push" | "multicast" | "reply" | "other", number>>) =>
      call<object>("PUT", "/__emulator/rate-limits", { channelId, ...limits }),
    idToken: async (channelId: string, userId: string, expiresInSeconds?: number) =>
      (await call<{ idToken: string }>("POST", "/__emulator/id-tokens", { channelId, userId, expiresInSeconds }))
        .idToken,
  };
}

/**
 * A bare node:http front for the webhook, the way the production server calls handleLineWebhook
 * before React Router. Listens on a random port; `url(tenantId)` is what to register with LINE.
 */
export async function startWebhookReceiver(db: Db, key: Buffer) {
  const { createServer } = await import("node:http");
  const { handleLineWebhook } = await import("~/features/line/webhook.server");
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const tenantId = (req.url ?? "").split("/").pop() ?? "";
      const signature = req.headers["x-line-signature"];
      void handleLineWebhook(
        {
          tenantId,
          rawBody: Buffer.concat(chunks),
          signature: typeof signature === "string" ? signature : null,
          method: req.method ?? "GET",
        },
        { db, key },
      ).then((r) => {
        res.writeHead(r.status, { "content-type": "application/json" }).end(r.body);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    url: (tenantId: string) => `http://127.0.0.1:${port}/webhooks/line/${tenantId}`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
