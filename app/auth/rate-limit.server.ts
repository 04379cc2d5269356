import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "~/lib/env.server";
import { getRedis } from "~/lib/redis.server";

/**
 * Login throttling on Redis: per account+IP (stops guessing one password) and per IP (stops
 * spraying many accounts). Only failures are counted; a success clears the account+IP counter.
 * If Redis is down we let the attempt through (insuranceLimiter would hide the outage): argon2's
 * cost still slows an attacker, and staff can still log in during an outage.
 */
let limiters: { byAccountIp: RateLimiterRedis; byIp: RateLimiterRedis } | undefined;

function getLimiters() {
  if (!limiters) {
    const storeClient = getRedis();
    const prefix = `${env().REDIS_PREFIX}:rl`;
    limiters = {
      byAccountIp: new RateLimiterRedis({
        storeClient,
        keyPrefix: `${prefix}:login_acct_ip`,
        points: 5,
        duration: 15 * 60,
        blockDuration: 15 * 60,
      }),
      byIp: new RateLimiterRedis({ storeClient, keyPrefix: `${prefix}:login_ip`, points: 50, duration: 60 * 60 }),
    };
  }
  return limiters;
}

const accountKey = (scope: string, email: string, ip: string) => `${scope}:${email.toLowerCase()}:${ip}`;

export type LoginGate = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export async function checkLoginAllowed(scope: string, email: string, ip: string): Promise<LoginGate> {
  try {
    const { byAccountIp, byIp } = getLimiters();
    const [a, b] = await Promise.all([byAccountIp.get(accountKey(scope, email, ip)), byIp.get(ip)]);
    const blocked = [a && a.remainingPoints <= 0 ? a : null, b && b.remainingPoints <= 0 ? b : null].filter(
      Boolean,
    ) as RateLimiterRes[];
    if (blocked.length === 0) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.ceil(Math.max(...blocked.map((r) => r.msBeforeNext)) / 1000) };
  } catch {
    return { allowed: true };
  }
}

export async function recordLoginFailure(scope: string, email: string, ip: string) {
  const { byAccountIp, byIp } = getLimiters();
  await Promise.allSettled([byAccountIp.penalty(accountKey(scope, email, ip)), byIp.penalty(ip)]);
}

export async function recordLoginSuccess(scope: string, email: string, ip: string) {
  await getLimiters()
    .byAccountIp.delete(accountKey(scope, email, ip))
    .catch(() => {});
}

/** The client address as seen by us; behind a proxy set TRUST_PROXY and the first hop is used. */
export function clientIp(request: { headers: { get(name: string): string | null } }): string {
  if (process.env.TRUST_PROXY === "1") {
    const fwd = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (fwd) return fwd;
  }
  return request.headers.get("x-real-ip") ?? "local";
}
