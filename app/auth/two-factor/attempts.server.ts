import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import { env } from "~/lib/env.server";
import { getRedis } from "~/lib/redis.server";

/**
 * Second-step guessing limit, per account (the attacker already has the password, so the IP does
 * not matter): 5 wrong codes per 15 minutes, then 15 minutes blocked. Unlike the password throttle
 * this one must hold during a Redis outage, or a 6-digit code could be brute-forced while Redis is
 * down: the in-process insurance limiter takes over then.
 */
let limiter: RateLimiterAbstract | undefined;

const POINTS = 5;
const WINDOW_SECONDS = 15 * 60;

function getLimiter() {
  limiter ??= new RateLimiterRedis({
    storeClient: getRedis(),
    keyPrefix: `${env().REDIS_PREFIX}:rl:2fa`,
    points: POINTS,
    duration: WINDOW_SECONDS,
    blockDuration: WINDOW_SECONDS,
    insuranceLimiter: new RateLimiterMemory({
      keyPrefix: "2fa",
      points: POINTS,
      duration: WINDOW_SECONDS,
      blockDuration: WINDOW_SECONDS,
    }),
  });
  return limiter;
}

export async function secondStepAllowed(subject: string): Promise<boolean> {
  const res = await getLimiter()
    .get(subject)
    .catch(() => null);
  return !res || res.remainingPoints > 0;
}

export async function recordSecondStepFailure(subject: string) {
  await getLimiter()
    .penalty(subject)
    .catch(() => {});
}

export async function clearSecondStepFailures(subject: string) {
  await getLimiter()
    .delete(subject)
    .catch(() => {});
}
