import type { SentMessage } from "./state";

/**
 * Per-channel rate limits and retry keys — the two mechanisms that make the app's outbound client
 * (backoff on 429, "409 = already accepted") observable in tests and benches.
 */

export type LimitClass = "push" | "multicast" | "reply" | "other";
export type Limits = Record<LimitClass, number>;

/** LINE's published per-channel limits are push 2,000/s, multicast 200/s, other 2,000/s. */
export const DEFAULT_LIMITS: Limits = { push: 2000, multicast: 200, reply: 2000, other: 2000 };

type Bucket = { tokens: number; last: number; rate: number };

/**
 * Token bucket per (channel, class) holding at most one second's worth of requests. Unlike a window
 * aligned to wall-clock seconds, a burst of N+1 requests against a limit of N gets exactly one 429
 * whenever it starts, which keeps tests deterministic.
 */
export class RateLimiter {
  private defaults: Limits;
  private overrides = new Map<string, Partial<Limits>>();
  private buckets = new Map<string, Bucket>();

  constructor(private readonly initial: Limits) {
    this.defaults = { ...initial };
  }

  limitFor(channelId: string, cls: LimitClass): number {
    return this.overrides.get(channelId)?.[cls] ?? this.defaults[cls];
  }

  /** True when the request may proceed (and consumes a token). */
  take(channelId: string, cls: LimitClass, now = Date.now()): boolean {
    const rate = this.limitFor(channelId, cls);
    const key = `${channelId}\n${cls}`;
    let bucket = this.buckets.get(key);
    // A changed limit starts from a full bucket at the new rate, as if the channel had been idle.
    if (!bucket || bucket.rate !== rate) {
      bucket = { tokens: rate, last: now, rate };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.last) * rate) / 1000);
    bucket.last = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Without a channel id the change applies to every channel that has no override of its own. */
  configure(channelId: string | undefined, limits: Partial<Limits>): void {
    if (channelId === undefined) {
      this.defaults = { ...this.defaults, ...limits };
    } else {
      this.overrides.set(channelId, { ...this.overrides.get(channelId), ...limits });
    }
  }

  snapshot(channelId?: string): Limits {
    const out = { ...this.defaults };
    if (channelId) Object.assign(out, this.overrides.get(channelId));
    return out;
  }

  reset(): void {
    this.defaults = { ...this.initial };
    this.overrides.clear();
    this.buckets.clear();
  }
}

export type AcceptedRetry = { requestId: string; at: number; sentMessages?: SentMessage[] };

const RETRY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_RETRY_KEYS = 200_000;

/** Accepted X-Line-Retry-Key values per channel, remembered for 24 hours as LINE does. */
export class RetryKeyStore {
  // Map iteration order is insertion order, so the oldest entries are always first.
  private keys = new Map<string, AcceptedRetry>();

  get(channelId: string, key: string, now = Date.now()): AcceptedRetry | undefined {
    const hit = this.keys.get(`${channelId}\n${key.toLowerCase()}`);
    return hit && now - hit.at < RETRY_KEY_TTL_MS ? hit : undefined;
  }

  accept(channelId: string, key: string, entry: AcceptedRetry): void {
    this.keys.set(`${channelId}\n${key.toLowerCase()}`, entry);
    for (const [k, v] of this.keys) {
      if (this.keys.size <= MAX_RETRY_KEYS && entry.at - v.at < RETRY_KEY_TTL_MS) break;
      this.keys.delete(k);
    }
  }

  clear(): void {
    this.keys.clear();
  }
}
