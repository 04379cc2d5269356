import { createHash, randomUUID } from "node:crypto";
import { liff, messagingApi } from "@line/bot-sdk";
import { env } from "~/lib/env.server";
import { getRedis } from "~/lib/redis.server";
import { LineApiError } from "./errors";
import { verifyIdToken, type IdTokenResult } from "./id-token.server";
import { createChannelLimiter, DEFAULT_RETRY, withRetry, type ChannelLimiter, type RetryPolicy } from "./retry.server";

/**
 * The one way the app talks to LINE: a client per city, built from that city's credentials (see
 * loadChannelCredentials) and the configured base URLs, so tests and the demo run the same code
 * against the emulator. Every call goes through the per-channel limiter and bounded retries.
 */
export type LineMessage = messagingApi.Message;
export type LineRichMenu = messagingApi.RichMenuRequest;
export type LineBotInfo = messagingApi.BotInfoResponse;
export type LineWebhookTest = messagingApi.TestWebhookEndpointResponse;
export type LineLiffApp = liff.LiffApp;

export type LineApiConfig = {
  apiBase: string;
  dataApiBase: string;
  limiter?: ChannelLimiter | null;
  retry?: Partial<RetryPolicy>;
};

export const MULTICAST_MAX_RECIPIENTS = 500;

let envLimiter: ChannelLimiter | undefined;

/** Base URLs from the environment and the shared Redis limiter (REDIS_PREFIX-scoped). */
export function lineApiConfigFromEnv(): LineApiConfig {
  const e = env();
  envLimiter ??= createChannelLimiter({ redis: getRedis(), keyPrefix: `${e.REDIS_PREFIX}:rl:line_channel` });
  return { apiBase: e.LINE_API_BASE, dataApiBase: e.LINE_DATA_API_BASE, limiter: envLimiter };
}

/** A person waits on the page (a settings form, a wizard step): one quick try, not the background jobs' patience. */
export function interactiveLineConfig(config: LineApiConfig = lineApiConfigFromEnv()): LineApiConfig {
  return { ...config, retry: { maxAttempts: 1, timeoutMs: 10_000, ...config.retry } };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A fresh retry key, for a send whose caller keeps it until the send is done. */
export function newRetryKey(): string {
  return randomUUID();
}

/**
 * A retry key derived from a stable id (e.g. `notice:<id>`): a job retried after a crash then
 * sends the same key as its first run, and LINE's 409 stops a second delivery. LINE remembers a
 * key for 24 hours.
 */
export function retryKeyFrom(seed: string): string {
  const h = createHash("sha256").update(`madoguchi-line-retry:${seed}`).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export type SendResult = { status: "sent" | "already-accepted"; retryKey: string };

export type LineClient = ReturnType<typeof createLineClient>;

export function createLineClient(
  channel: { channelId: string; channelAccessToken: string },
  config: LineApiConfig = lineApiConfigFromEnv(),
) {
  const api = new messagingApi.MessagingApiClient({
    channelAccessToken: channel.channelAccessToken,
    baseURL: config.apiBase,
  });
  const blob = new messagingApi.MessagingApiBlobClient({
    channelAccessToken: channel.channelAccessToken,
    baseURL: config.dataApiBase,
  });
  const liffApi = new liff.LiffClient({ channelAccessToken: channel.channelAccessToken, baseURL: config.apiBase });
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...config.retry };
  const limiter = config.limiter ?? null;
  const beforeTry = limiter ? () => limiter.acquire(channel.channelId) : undefined;
  const redact = [channel.channelAccessToken];
  const run = <T>(operation: string, call: () => Promise<T>, acceptConflict?: () => T) =>
    withRetry(operation, call, { policy, beforeTry, acceptConflict, redact });

  function requireRetryKey(operation: string, retryKey: string) {
    if (!UUID.test(retryKey)) throw new LineApiError(`${operation}: the retry key must be a UUID`, "bad_request");
  }

  return {
    channelId: channel.channelId,

    /** Reply tokens are single-use and short-lived; a 400 here usually means it expired. */
    async reply(replyToken: string, messages: LineMessage[]) {
      await run("reply", () => api.replyMessage({ replyToken, messages }));
    },

    /** `retryKey` is chosen by the caller before the first try and reused on every retry. */
    async push(to: string, messages: LineMessage[], opts: { retryKey: string }): Promise<SendResult> {
      requireRetryKey("push", opts.retryKey);
      return run<SendResult>(
        "push",
        async () => (
          await api.pushMessage({ to, messages }, opts.retryKey),
          { status: "sent" as const, retryKey: opts.retryKey }
        ),
        () => ({ status: "already-accepted" as const, retryKey: opts.retryKey }),
      );
    },

    /** Up to 500 recipients per call (LINE's limit); split larger audiences before calling. */
    async multicast(to: string[], messages: LineMessage[], opts: { retryKey: string }): Promise<SendResult> {
      if (to.length === 0) throw new LineApiError("multicast: no recipients", "bad_request");
      if (to.length > MULTICAST_MAX_RECIPIENTS)
        throw new LineApiError(
          `multicast: ${to.length} recipients, at most ${MULTICAST_MAX_RECIPIENTS}`,
          "bad_request",
        );
      requireRetryKey("multicast", opts.retryKey);
      return run<SendResult>(
        "multicast",
        async () => (
          await api.multicast({ to, messages }, opts.retryKey),
          { status: "sent" as const, retryKey: opts.retryKey }
        ),
        () => ({ status: "already-accepted" as const, retryKey: opts.retryKey }),
      );
    },

    /** The admin page's connection test: fails with kind "unauthorized" for a wrong token. */
    getBotInfo(): Promise<LineBotInfo> {
      return run("bot info", () => api.getBotInfo());
    },

    /** Sets the channel's webhook URL (LINE's "Webhook URL"; the "Use webhook" switch is separate). */
    async setWebhookEndpoint(endpoint: string) {
      await run("set webhook endpoint", () => api.setWebhookEndpoint({ endpoint }));
    },

    /** The URL LINE has and whether "Use webhook" is on. */
    getWebhookEndpoint(): Promise<{ endpoint: string; active: boolean }> {
      return run("get webhook endpoint", () => api.getWebhookEndpoint());
    },

    /**
     * LINE sends a signed request with no events to the endpoint and reports what it got back. An
     * unreachable or refusing endpoint is an answer (success: false with a reason), not an error.
     */
    testWebhookEndpoint(endpoint?: string): Promise<LineWebhookTest> {
      return run("test webhook endpoint", () => api.testWebhookEndpoint(endpoint ? { endpoint } : {}));
    },

    /** LIFF apps of the channel; an empty list when it has none (LINE answers 404). */
    async getLiffApps(): Promise<LineLiffApp[]> {
      try {
        return (await run("get LIFF apps", () => liffApi.getAllLIFFApps())).apps ?? [];
      } catch (e) {
        if (e instanceof LineApiError && e.kind === "not_found") return [];
        throw e;
      }
    },

    async createRichMenu(menu: LineRichMenu): Promise<string> {
      return (await run("create rich menu", () => api.createRichMenu(menu))).richMenuId;
    },

    async uploadRichMenuImage(richMenuId: string, image: Uint8Array, contentType: "image/png" | "image/jpeg") {
      await run("upload rich menu image", () =>
        blob.setRichMenuImage(richMenuId, new Blob([new Uint8Array(image)], { type: contentType })),
      );
    },

    /**
     * The content of a message a user sent (an image), from the data API, read up to `maxBytes`:
     * past that the read stops and `tooLarge` is true (LINE keeps content for a limited time; 404 → null).
     */
    async getMessageContent(
      messageId: string,
      maxBytes: number,
    ): Promise<{ bytes: Uint8Array; tooLarge: boolean } | null> {
      try {
        return await run("get message content", async () => {
          const stream = await blob.getMessageContent(messageId);
          const chunks: Buffer[] = [];
          let size = 0;
          for await (const chunk of stream as AsyncIterable<Buffer>) {
            size += chunk.length;
            if (size > maxBytes) {
              stream.destroy();
              return { bytes: new Uint8Array(), tooLarge: true };
            }
            chunks.push(chunk);
          }
          return { bytes: new Uint8Array(Buffer.concat(chunks)), tooLarge: false };
        });
      } catch (e) {
        if (e instanceof LineApiError && e.kind === "not_found") return null;
        throw e;
      }
    },

    async setDefaultRichMenu(richMenuId: string) {
      await run("set default rich menu", () => api.setDefaultRichMenu(richMenuId));
    },

    async deleteRichMenu(richMenuId: string) {
      await run("delete rich menu", () => api.deleteRichMenu(richMenuId));
    },

    /** null when the channel has no default rich menu (LINE answers 404). */
    async getDefaultRichMenuId(): Promise<string | null> {
      try {
        return (await run("get default rich menu", () => api.getDefaultRichMenuId())).richMenuId;
      } catch (e) {
        if (e instanceof LineApiError && e.kind === "not_found") return null;
        throw e;
      }
    },

    /**
     * The language set in the friend's LINE app (a BCP 47 tag such as `ja` or `en`), the only profile
     * field we read (ADR 039: display names and pictures are never fetched). null when LINE does not
     * say, or the user is not a friend (404).
     */
    async getProfileLanguage(userId: string): Promise<string | null> {
      try {
        return (await run("get profile", () => api.getProfile(userId))).language ?? null;
      } catch (e) {
        if (e instanceof LineApiError && e.kind === "not_found") return null;
        throw e;
      }
    },

    /** LIFF ID tokens are issued by the LINE Login channel: pass its id (line_channels.login_channel_id). */
    verifyIdToken(idToken: string, loginChannelId: string): Promise<IdTokenResult> {
      return verifyIdToken(idToken, loginChannelId, config);
    },
  };
}
