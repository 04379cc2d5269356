import { newReplyToken } from "./ids";
import { RateLimiter, RetryKeyStore, type Limits } from "./limits";

/**
 * Everything the emulator remembers, in memory only. Collections that grow with traffic (sent
 * messages, reply tokens, deliveries) are capped so a long bench run cannot exhaust the heap.
 */

export type Channel = {
  channelId: string;
  channelSecret: string;
  channelAccessToken: string;
  loginChannelId?: string;
  loginChannelSecret?: string;
  liffId?: string;
  /** The LIFF app's endpoint URL, as GET /liff/v1/apps reports it (view.url). */
  liffEndpointUrl?: string;
  botUserId: string;
  basicId: string;
  displayName: string;
  webhookUrl?: string;
  /** LINE's "Use webhook" switch (GET /v2/bot/channel/webhook/endpoint `active`); unset means on. */
  webhookActive?: boolean;
  /** Monthly message target; unset means LINE's "none" (no limit). */
  monthlyQuota?: number;
};

export type SentMessage = { id: string; quoteToken?: string };
export type SendKind = "reply" | "push" | "multicast" | "broadcast";

export type SentRecord = {
  id: string;
  requestId: string;
  channelId: string;
  kind: SendKind;
  to: string[];
  messages: unknown[];
  sentMessages?: SentMessage[];
  retryKey?: string;
  at: string;
  /** Epoch ms of `at`, kept for cheap `since` filtering. */
  atMs: number;
};

export type RichMenu = {
  channelId: string;
  richMenuId: string;
  /** The validated request body, returned as-is (plus richMenuId) by the GET endpoints. */
  definition: Record<string, unknown>;
  image?: { contentType: string; data: Buffer };
};

export type Delivery = { channelId: string; events: Record<string, unknown>[] };

export type ChannelStats = {
  requests: Record<string, number>;
  statuses: Record<string, Record<string, number>>;
  status429: number;
  status409: number;
  /** Recipients of accepted sends (a multicast to 500 users counts 500). */
  recipients: number;
  messages: number;
};

type ReplyTokenEntry = { channelId: string; userId: string; expiresAt: number };
type LoginToken = { loginChannelId: string; userId: string; expiresAt: number };
/** A channel access token of a LINE Login channel (POST /oauth2/v3/token), for the LIFF server API. */
type LoginChannelToken = { loginChannelId: string; expiresAt: number };

export const REPLY_TOKEN_TTL_MS = 60_000;
export const MAX_SENT_RECORDS = 200_000;
const MAX_DELIVERIES = 10_000;
const MAX_REPLY_TOKENS = 200_000;
const MAX_LOGIN_CHANNEL_TOKENS = 10_000;

export type MessageContent = { channelId: string; contentType: string; data: Buffer };
export const MAX_CONTENTS = 500;

export class EmulatorState {
  channels = new Map<string, Channel>();
  private byToken = new Map<string, string>();
  users = new Set<string>();
  /** userId → the language of the user's LINE app, as GET /v2/bot/profile/{userId} reports it. */
  languages = new Map<string, string>();
  /** channelId → userId → friendship. "blocked" is remembered so a re-follow reports isUnblocked. */
  friends = new Map<string, Map<string, "following" | "blocked">>();
  private replyTokens = new Map<string, ReplyTokenEntry>();
  sent: SentRecord[] = [];
  private sentSeq = 0;
  retryKeys = new RetryKeyStore();
  deliveries = new Map<string, Delivery>();
  richMenus = new Map<string, RichMenu>();
  defaultRichMenu = new Map<string, string>();
  /** `${channelId}\n${userId}` → richMenuId */
  userRichMenu = new Map<string, string>();
  stats = new Map<string, ChannelStats>();
  /** channelId → billed messages in the current month (JST), as the quota endpoints report. */
  usage = new Map<string, { month: string; count: number }>();
  loginTokens = new Map<string, LoginToken>();
  /** Content of media messages residents sent (GET /v2/bot/message/{id}/content), oldest dropped first. */
  contents = new Map<string, MessageContent>();
  private loginChannelTokens = new Map<string, LoginChannelToken>();
  limiter: RateLimiter;

  constructor(limits: Limits) {
    this.limiter = new RateLimiter(limits);
  }

  reset(): void {
    this.channels.clear();
    this.byToken.clear();
    this.users.clear();
    this.languages.clear();
    this.friends.clear();
    this.replyTokens.clear();
    this.sent = [];
    this.retryKeys.clear();
    this.deliveries.clear();
    this.richMenus.clear();
    this.defaultRichMenu.clear();
    this.userRichMenu.clear();
    this.stats.clear();
    this.usage.clear();
    this.loginTokens.clear();
    this.loginChannelTokens.clear();
    this.contents.clear();
    this.limiter.reset();
  }

  storeContent(messageId: string, content: MessageContent): void {
    this.contents.set(messageId, content);
    if (this.contents.size > MAX_CONTENTS) this.contents.delete(this.contents.keys().next().value!);
  }

  upsertChannel(channel: Channel): void {
    const previous = this.channels.get(channel.channelId);
    if (previous) this.byToken.delete(previous.channelAccessToken);
    this.channels.set(channel.channelId, channel);
    this.byToken.set(channel.channelAccessToken, channel.channelId);
  }

  channelByToken(token: string): Channel | undefined {
    const id = this.byToken.get(token);
    return id === undefined ? undefined : this.channels.get(id);
  }

  channelByLoginId(loginChannelId: string): Channel | undefined {
    for (const c of this.channels.values()) if (c.loginChannelId === loginChannelId) return c;
    return undefined;
  }

  addLoginChannelToken(token: string, loginChannelId: string, expiresAt: number, now = Date.now()): void {
    this.loginChannelTokens.set(token, { loginChannelId, expiresAt });
    // Oldest first (insertion order = issue order): drop expired ones and keep the map bounded.
    for (const [k, v] of this.loginChannelTokens) {
      if (v.expiresAt > now && this.loginChannelTokens.size <= MAX_LOGIN_CHANNEL_TOKENS) break;
      this.loginChannelTokens.delete(k);
    }
  }

  /** The LINE Login channel a live token of /oauth2/v3/token was issued for. */
  loginChannelOfToken(token: string, now = Date.now()): string | undefined {
    const t = this.loginChannelTokens.get(token);
    return t && t.expiresAt > now ? t.loginChannelId : undefined;
  }

  friendsOf(channelId: string): Map<string, "following" | "blocked"> {
    let m = this.friends.get(channelId);
    if (!m) this.friends.set(channelId, (m = new Map()));
    return m;
  }

  issueReplyToken(channelId: string, userId: string, now = Date.now()): string {
    const token = newReplyToken();
    this.replyTokens.set(token, { channelId, userId, expiresAt: now + REPLY_TOKEN_TTL_MS });
    // Expired tokens are dropped oldest-first (insertion order = issue order), and the map is capped.
    for (const [k, v] of this.replyTokens) {
      if (v.expiresAt > now && this.replyTokens.size <= MAX_REPLY_TOKENS) break;
      this.replyTokens.delete(k);
    }
    return token;
  }

  /** The user a live, unused token of this channel was issued for; undefined when it cannot be used. */
  peekReplyToken(channelId: string, token: string, now = Date.now()): string | undefined {
    const entry = this.replyTokens.get(token);
    if (!entry || entry.channelId !== channelId || entry.expiresAt <= now) return undefined;
    return entry.userId;
  }

  consumeReplyToken(token: string): void {
    this.replyTokens.delete(token);
  }

  record(rec: Omit<SentRecord, "id" | "at" | "atMs">, now = Date.now()): SentRecord {
    const full: SentRecord = { ...rec, id: `sent-${++this.sentSeq}`, at: new Date(now).toISOString(), atMs: now };
    this.sent.push(full);
    // Trim in batches: one splice per 10% overflow keeps appends amortised O(1).
    if (this.sent.length > MAX_SENT_RECORDS * 1.1) this.sent.splice(0, this.sent.length - MAX_SENT_RECORDS);
    return full;
  }

  addDelivery(id: string, delivery: Delivery): void {
    this.deliveries.set(id, delivery);
    if (this.deliveries.size > MAX_DELIVERIES) {
      const oldest = this.deliveries.keys().next().value;
      if (oldest !== undefined) this.deliveries.delete(oldest);
    }
  }

  statsFor(channelId: string): ChannelStats {
    let s = this.stats.get(channelId);
    if (!s) {
      s = { requests: {}, statuses: {}, status429: 0, status409: 0, recipients: 0, messages: 0 };
      this.stats.set(channelId, s);
    }
    return s;
  }

  countResponse(channelId: string, endpoint: string, status: number): void {
    const s = this.statsFor(channelId);
    s.requests[endpoint] = (s.requests[endpoint] ?? 0) + 1;
    const byStatus = (s.statuses[endpoint] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (status === 429) s.status429++;
    if (status === 409) s.status409++;
  }

  monthlyUsage(channelId: string, now = Date.now()): number {
    const u = this.usage.get(channelId);
    return u && u.month === jstMonth(now) ? u.count : 0;
  }

  addUsage(channelId: string, count: number, now = Date.now()): void {
    const month = jstMonth(now);
    const u = this.usage.get(channelId);
    this.usage.set(channelId, { month, count: (u && u.month === month ? u.count : 0) + count });
  }

  richMenuFor(channelId: string, userId: string): string | undefined {
    return this.userRichMenu.get(`${channelId}\n${userId}`) ?? this.defaultRichMenu.get(channelId);
  }
}

/** LINE bills by calendar month in Japan time. */
function jstMonth(ms: number): string {
  return new Date(ms + 9 * 3600_000).toISOString().slice(0, 7);
}
