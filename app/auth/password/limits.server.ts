import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "~/lib/env.server";
import { getRedis } from "~/lib/redis.server";

/**
 * Throttles of ADR 022, on Redis like the login throttle (rate-limit.server.ts). Every
 * "パスワードをお忘れの方" request counts (not only failures: there are no failures to see);
 * a wrong current password on the change form counts per account. Redis down: let it through, as
 * for login — argon2 still slows guessing, and a person must be able to recover their account.
 */
let limiters:
  { forgotByIp: RateLimiterRedis; forgotByAddress: RateLimiterRedis; changeByUser: RateLimiterRedis } | undefined;

export const FORGOT_PER_IP_PER_HOUR = 10;
export const FORGOT_PER_ADDRESS_PER_HOUR = 3;
export const CHANGE_FAILURES_PER_15_MIN = 5;

function getLimiters() {
  if (!limiters) {
    const storeClient = getRedis();
    const prefix = `${env().REDIS_PREFIX}:rl`;
    limiters = {
      forgotByIp: new RateLimiterRedis({
        storeClient,
        keyPrefix: `${prefix}:pwforgot_ip`,
        points: FORGOT_PER_IP_PER_HOUR,
        duration: 60 * 60,
      }),
      forgotByAddress: new RateLimiterRedis({
        storeClient,
        keyPrefix: `${prefix}:pwforgot_addr`,
        points: FORGOT_PER_ADDRESS_PER_HOUR,
        duration: 60 * 60,
      }),
      changeByUser: new RateLimiterRedis({
        storeClient,
        keyPrefix: `${prefix}:pwchange_user`,
        points: CHANGE_FAILURES_PER_15_MIN,
        duration: 15 * 60,
        blockDuration: 15 * 60,
      }),
    };
  }
  return limiters;
}

/** true when this request may go on; a rejection from the limiter (not an outage) means no. */
async function consume(limiter: RateLimiterRedis, key: string): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch (e) {
    return !(e instanceof RateLimiterRes);
  }
}

/** `ip`: whether this client may ask at all; `address`: whether this address may get another mail. */
export async function consumeForgot(scope: string, email: string, ip: string | null) {
  const { forgotByIp, forgotByAddress } = getLimiters();
  // No address only when a test calls the code directly (ADR 026): no shared "unknown" bucket.
  const ipOk = ip ? await consume(forgotByIp, ip) : true;
  // Counted for unknown addresses too, so the limit itself tells nothing about the account.
  const addressOk = ipOk ? await consume(forgotByAddress, `${scope}:${email.toLowerCase()}`) : false;
  return { ipOk, addressOk };
}

export async function changeAllowed(userKey: string): Promise<boolean> {
  try {
    const r = await getLimiters().changeByUser.get(userKey);
    return !r || r.remainingPoints > 0;
  } catch {
    return true;
  }
}

export async function recordChangeFailure(userKey: string) {
  await getLimiters()
    .changeByUser.penalty(userKey)
    .catch(() => {});
}

export async function clearChangeFailures(userKey: string) {
  await getLimiters()
    .changeByUser.delete(userKey)
    .catch(() => {});
}
