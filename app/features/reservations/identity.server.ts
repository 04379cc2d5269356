import { and, eq } from "drizzle-orm";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { ticketHolders } from "#db/schema/index";
import { env } from "~/lib/env.server";
import { masterKey } from "~/lib/crypto.server";
import { getRedis } from "~/lib/redis.server";
import { isTicketNumber, normaliseTicketNumber, tenantTicketKey, ticketHash } from "./ticket.server";
import { IDENTITY_THROTTLED } from "./identity-messages";
import { ja } from "~/lib/i18n/messages";

export { IDENTITY_THROTTLED };

export const IDENTITY_FAILED = ja("booking:errors.identityFailed");

/**
 * Failure budgets for the ticket check (only failures count):
 *  - per ticket number: 100 an hour — guessing birth dates for one ticket is hopeless, and a stranger
 *    can block a real resident's online check for at most that hour (the phone line still works);
 *  - per client address: 30 in 10 minutes;
 *  - per city: 3,000 a minute, a circuit breaker against distributed guessing.
 * A non-existent ticket spends the same budgets and gets the same answer as a wrong birth date.
 * Redis down must neither refuse residents nor lift the limits: each limiter has an in-process
 * insurance limiter (same budgets, per web process) that answers while Redis does not.
 */
function limiter(storeClient: ReturnType<typeof getRedis>, keyPrefix: string, points: number, duration: number) {
  return new RateLimiterRedis({
    storeClient,
    keyPrefix,
    points,
    duration,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
  });
}

let limiters: { ticket: RateLimiterRedis; ip: RateLimiterRedis; city: RateLimiterRedis } | undefined;
function getLimiters() {
  if (!limiters) {
    const storeClient = getRedis();
    const p = `${env().REDIS_PREFIX}:rl:ticket`;
    limiters = {
      ticket: limiter(storeClient, `${p}:t`, 100, 3600),
      ip: limiter(storeClient, `${p}:ip`, 30, 600),
      city: limiter(storeClient, `${p}:city`, 3000, 60),
    };
  }
  return limiters;
}

async function exhausted(limiter: RateLimiterRedis, key: string) {
  const r = await limiter.get(key).catch(() => null);
  return r !== null && r.remainingPoints <= 0;
}

export type IdentityResult =
  | { ok: true; ticketHolderId: string; birthDate: string }
  | { ok: false; reason: "invalid" | "throttled"; message: string };

export async function verifyTicketHolder(
  db: Db,
  input: { tenantId: string; ticketNumber: string; birthDate: string; ip: string | null },
): Promise<IdentityResult> {
  const ticket = normaliseTicketNumber(input.ticketNumber);
  // Hash even malformed input, so every path costs the same.
  const hash = ticketHash(tenantTicketKey(masterKey(env().MADOGUCHI_MASTER_KEY), input.tenantId), ticket);
  const l = getLimiters();
  const ticketKey = `${input.tenantId}:${hash}`;
  // No address only when a test calls the code directly (ADR 026): then no per-address bucket.
  const ipKey = input.ip ? `${input.tenantId}:${input.ip}` : null;
  const blocked = (
    await Promise.all([
      exhausted(l.ticket, ticketKey),
      ipKey ? exhausted(l.ip, ipKey) : false,
      exhausted(l.city, input.tenantId),
    ])
  ).some(Boolean);
  if (blocked) return { ok: false, reason: "throttled", message: IDENTITY_THROTTLED };
  const holder = await withTenant(db, input.tenantId, async (tx) => {
    const [row] = await tx
      .select()
      .from(ticketHolders)
      .where(and(eq(ticketHolders.tenantId, input.tenantId), eq(ticketHolders.ticketHash, hash)));
    return row ?? null;
  });
  if (isTicketNumber(ticket) && holder && holder.birthDate === input.birthDate)
    return { ok: true, ticketHolderId: holder.id, birthDate: holder.birthDate };
  await Promise.allSettled([
    l.ticket.penalty(ticketKey),
    ipKey ? l.ip.penalty(ipKey) : null,
    l.city.penalty(input.tenantId),
  ]);
  return { ok: false, reason: "invalid", message: IDENTITY_FAILED };
}

/** For the roster import and tests: the stored form of a ticket number in this city. */
export function hashTicketForTenant(tenantId: string, ticketNumber: string) {
  return ticketHash(
    tenantTicketKey(masterKey(env().MADOGUCHI_MASTER_KEY), tenantId),
    normaliseTicketNumber(ticketNumber),
  );
}
