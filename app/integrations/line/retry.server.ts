import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { countLineAnswer } from "~/lib/metrics.server";
import { LineApiError, LineTimeoutError, toLineError } from "./errors";

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export type RetryPolicy = {
  /** Tries in all, including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per try; the bot-sdk cannot abort a request, so a late answer is simply ignored (see retry keys). */
  timeoutMs: number;
  sleep: Sleep;
};

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  timeoutMs: 15_000,
  sleep: realSleep,
};

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  // The abandoned request may still finish; swallow its outcome instead of an unhandled rejection.
  p.catch(() => {});
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new LineTimeoutError()), ms))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Runs one LINE call with bounded retries: 429, 5xx, timeouts and network errors are retried with
 * exponential backoff plus jitter (or LINE's Retry-After), everything else fails at once. `call`
 * must be safe to repeat: pushes and multicasts send the same X-Line-Retry-Key on every try, so a
 * try that reached LINE before timing out is answered 409 on the next one — which `acceptConflict`
 * turns into success.
 */
export async function withRetry<T>(
  operation: string,
  call: () => Promise<T>,
  opts: { policy: RetryPolicy; beforeTry?: () => Promise<void>; acceptConflict?: () => T; redact?: string[] },
): Promise<T> {
  const { policy } = opts;
  for (let attempt = 1; ; attempt++) {
    await opts.beforeTry?.();
    try {
      const answer = await withTimeout(call(), policy.timeoutMs);
      countLineAnswer(operation, "2xx");
      return answer;
    } catch (e) {
      const err = toLineError(operation, e, opts.redact);
      // Every try's answer, 429s and 5xx included (ADR 037); a refusal before the call has no status.
      countLineAnswer(operation, err.status ?? err.kind);
      if (err.kind === "conflict" && opts.acceptConflict) return opts.acceptConflict();
      if (!err.retryable || attempt >= policy.maxAttempts) throw err;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const jitter = Math.random() * backoff * 0.2;
      await policy.sleep(Math.min(policy.maxDelayMs, Math.max(err.retryAfterMs ?? 0, backoff + jitter)));
    }
  }
}

export type ChannelLimiter = { acquire(channelId: string): Promise<void> };

/**
 * Per-channel request rate on Redis, shared by every web and worker process: LINE counts requests
 * per channel, so a city's broadcast on three workers must share one budget. It waits for the next
 * free slot rather than failing. If Redis is unreachable an in-process limiter takes over (the
 * insurance limiter), so an outage slows us down instead of stopping replies.
 */
export function createChannelLimiter(opts: {
  redis: Redis;
  keyPrefix: string;
  perSecond?: number;
  sleep?: Sleep;
  maxWaitMs?: number;
}): ChannelLimiter {
  const perSecond = opts.perSecond ?? 1_000; // half of LINE's 2,000 req/s for message sends
  const limiter = new RateLimiterRedis({
    storeClient: opts.redis,
    keyPrefix: opts.keyPrefix,
    points: perSecond,
    duration: 1,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${opts.keyPrefix}:mem`, points: perSecond, duration: 1 }),
  });
  const sleep = opts.sleep ?? realSleep;
  const maxWaitMs = opts.maxWaitMs ?? 60_000;
  return {
    async acquire(channelId: string) {
      const started = Date.now();
      for (;;) {
        try {
          await limiter.consume(channelId, 1);
          return;
        } catch (rej) {
          if (!(rej instanceof RateLimiterRes)) return; // store error without insurance: do not block sends
          if (Date.now() - started > maxWaitMs) throw new LineApiError("rate-limit wait", "rate_limited");
          await sleep(Math.max(5, rej.msBeforeNext));
        }
      }
    },
  };
}
