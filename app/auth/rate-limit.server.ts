import { createHash } from "node:crypto";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "~/lib/env.server";
import { getRedis } from "~/lib/redis.server";

/**
 * Login throttling on Redis (ADR 026). Only failures are counted. The address is the socket's
 * (app/lib/client-address.server.ts), so a client cannot pick its own bucket.
 *  - per account + address: 5 in 15 minutes, then 15 minutes' block (stops guessing from one place);
 *  - per address: 50 an hour (stops spraying many accounts);
 *  - per account, whatever the address (rotation cannot escape it): the first ACCOUNT_FREE
 *    failures an hour from addresses that never logged in to this account are free; after that
 *    such addresses get one attempt per slow-down interval (30 s, doubling up to SLOW_MAX_SECONDS). Addresses
 *    where this account's password was right before (kept KNOWN_DAYS) are never slowed by it, so a
 *    stranger can slow a colleague's account down but cannot keep them out of work at their desk.
 * If Redis is down we let the attempt through (argon2's cost still slows an attacker, and staff can
 * still log in during an outage).
 */
export const ACCOUNT_FREE = 10;
export const SLOW_MAX_SECONDS = 300;
const KNOWN_DAYS = 90;

let limiters: { byAccountIp: RateLimiterRedis; byIp: RateLimiterRedis; byAccount: RateLimiterRedis } | undefined;

const prefix = () => `${env().REDIS_PREFIX}:rl`;

function getLimiters() {
  if (!limiters) {
    const storeClient = getRedis();
    limiters = {
      byAccountIp: new RateLimiterRedis({
        storeClient,
        keyPrefix: `${prefix()}:login_acct_ip`,
        points: 5,
        duration: 15 * 60,
        blockDuration: 15 * 60,
      }),
      byIp: new RateLimiterRedis({ storeClient, keyPrefix: `${prefix()}:login_ip`, points: 50, duration: 60 * 60 }),
      // A counter only (never "blocks" by itself): the slow-down below reads its count.
      byAccount: new RateLimiterRedis({
        storeClient,
        keyPrefix: `${prefix()}:login_acct`,
        points: 1_000_000,
        duration: 60 * 60,
      }),
    };
  }
  return limiters;
}

// Redis keys carry a hash of the e-mail address, not the address itself.
const account = (scope: string, email: string) =>
  createHash("sha256").update(`${scope}:${email.trim().toLowerCase()}`).digest("base64url");
const knownKey = (acct: string, ip: string) => `${prefix()}:login_known:${acct}:${ip}`;
const slowKey = (acct: string) => `${prefix()}:login_slow:${acct}`;

/** Seconds an unknown address waits after the n-th failure an hour for this account. */
export const slowDownSeconds = (failures: number) =>
  failures <= ACCOUNT_FREE ? 0 : Math.min(30 * 2 ** (failures - ACCOUNT_FREE - 1), SLOW_MAX_SECONDS);

async function isKnown(acct: string, ip: string | null) {
  return ip ? (await getRedis().exists(knownKey(acct, ip))) === 1 : false;
}

export type LoginGate = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export async function checkLoginAllowed(scope: string, email: string, ip: string | null): Promise<LoginGate> {
  try {
    const { byAccountIp, byIp } = getLimiters();
    const acct = account(scope, email);
    const [a, b, known, slowUntil] = await Promise.all([
      ip ? byAccountIp.get(`${acct}:${ip}`) : null,
      ip ? byIp.get(ip) : null,
      isKnown(acct, ip),
      getRedis().pttl(slowKey(acct)),
    ]);
    const waits = [a, b].filter((r): r is RateLimiterRes => !!r && r.remainingPoints <= 0).map((r) => r.msBeforeNext);
    if (!known && slowUntil > 0) waits.push(slowUntil);
    if (waits.length === 0) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.ceil(Math.max(...waits) / 1000) };
  } catch {
    return { allowed: true };
  }
}

/** `burst`: this failure is the one that starts the account's slow-down (time to tell its owner). */
export async function recordLoginFailure(scope: string, email: string, ip: string | null): Promise<{ burst: boolean }> {
  try {
    const { byAccountIp, byIp, byAccount } = getLimiters();
    const acct = account(scope, email);
    if (ip) await Promise.allSettled([byAccountIp.penalty(`${acct}:${ip}`), byIp.penalty(ip)]);
    if (await isKnown(acct, ip)) return { burst: false };
    const failures = (await byAccount.penalty(acct)).consumedPoints;
    const wait = slowDownSeconds(failures);
    if (wait > 0) await getRedis().set(slowKey(acct), "1", "EX", wait);
    return { burst: failures === ACCOUNT_FREE + 1 };
  } catch {
    return { burst: false };
  }
}

/** The password was right: this address is now known for the account, and the account's counters end. */
export async function recordLoginSuccess(scope: string, email: string, ip: string | null) {
  const acct = account(scope, email);
  const { byAccountIp, byAccount } = getLimiters();
  await Promise.allSettled([
    ip ? byAccountIp.delete(`${acct}:${ip}`) : null,
    ip ? getRedis().set(knownKey(acct, ip), "1", "EX", KNOWN_DAYS * 86_400) : null,
    byAccount.delete(acct),
    getRedis().del(slowKey(acct)),
  ]);
}
