import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { Tenant } from "#db/schema/index";
import { readCookie, setCookie } from "~/lib/cookies.server";
import { env } from "~/lib/env.server";
import { getRedis } from "~/lib/redis.server";
import { log } from "~/lib/log.server";

/**
 * The virtual waiting room (順番待ち, ADR 025). When a city sets 同時に予約手続きできる人数 (N), at most
 * N residents hold an admission into the booking flow; newcomers wait in a FIFO queue and the
 * waiting page polls. Only the flow's entry is gated: later steps merely refresh the admission and the
 * booking submit (the JSON fast path included) never looks here, so nobody mid-flow is bounced.
 *
 * The resident holds only a random id (HttpOnly cookie); admissions and positions live in Redis, one
 * Lua script per arrival so any number of web processes agree. Redis is an accelerator (ADR 017):
 * when it is down or slow the gate opens and a warning is logged — bookings never stop for the queue.
 */

/** An admission lapses after this long without a step of the flow (each step refreshes it). */
export const ADMISSION_TTL_MS = 10 * 60_000;
/** A waiter who stopped polling (the page refreshes every REFRESH_SECONDS) leaves the queue. */
export const WAITER_TTL_MS = 2 * 60_000;
export const REFRESH_SECONDS = 10;
/** Past this the gate opens rather than keep a resident waiting on an unhealthy Redis. */
const REDIS_TIMEOUT_MS = 500;
const ID_FORMAT = /^[A-Za-z0-9_-]{22}$/;

export type Gate = { admitted: true } | { admitted: false; position: number };

// KEYS: active (id → expiry ms), queue (id → arrival number), seen (waiter id → last poll ms), seq.
// ARGV: id, now ms, limit, admission ttl ms, waiter ttl ms.
// Returns {1, 0} when admitted, {0, position} (1 = next in line) when waiting.
const ENTER = `
local active, queue, seen, seq = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, now, limit = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local admitTtl, waitTtl = tonumber(ARGV[4]), tonumber(ARGV[5])
local function keep()
  for _, k in ipairs(KEYS) do redis.call('PEXPIRE', k, admitTtl + waitTtl) end
end
redis.call('ZREMRANGEBYSCORE', active, '-inf', now)
local gone = redis.call('ZRANGEBYSCORE', seen, '-inf', now - waitTtl, 'LIMIT', 0, 500)
if #gone > 0 then
  redis.call('ZREM', queue, unpack(gone))
  redis.call('ZREM', seen, unpack(gone))
end
local function admit()
  redis.call('ZREM', queue, id)
  redis.call('ZREM', seen, id)
  redis.call('ZADD', active, now + admitTtl, id)
  keep()
  return {1, 0}
end
if redis.call('ZSCORE', active, id) then return admit() end
local free = limit - redis.call('ZCARD', active)
local rank = redis.call('ZRANK', queue, id)
if not rank then
  -- Nobody waiting and a place free: straight in. Otherwise to the back: a free place belongs to
  -- whoever waited longest, who takes it on their next poll.
  if free > 0 and redis.call('ZCARD', queue) == 0 then return admit() end
  redis.call('ZADD', queue, redis.call('INCR', seq), id)
  rank = redis.call('ZCARD', queue) - 1
elseif rank < free then
  return admit()
end
redis.call('ZADD', seen, now, id)
keep()
return {0, rank + 1}
`;

function keys(tenantId: string) {
  // One hash tag per city keeps the script's keys in one slot should Redis ever be a cluster.
  const base = `${env().REDIS_PREFIX}:wr:{${tenantId}}`;
  return { active: `${base}:active`, queue: `${base}:queue`, seen: `${base}:seen`, seq: `${base}:seq` };
}

/** One arrival (or one poll of the waiting page): admitted, or the position in the queue. */
export async function enterWaitingRoom(
  redis: Redis,
  input: { tenantId: string; id: string; limit: number; now?: number },
): Promise<Gate> {
  const k = keys(input.tenantId);
  const now = input.now ?? Date.now();
  const [admitted, position] = (await redis.eval(
    ENTER,
    4,
    k.active,
    k.queue,
    k.seen,
    k.seq,
    input.id,
    now,
    input.limit,
    ADMISSION_TTL_MS,
    WAITER_TTL_MS,
  )) as [number, number];
  return admitted === 1 ? { admitted: true } : { admitted: false, position };
}

/** A step of the flow: the admission lives on (only an existing one: this never admits anybody). */
export async function touchAdmission(redis: Redis, tenantId: string, id: string, now = Date.now()) {
  await redis.zadd(keys(tenantId).active, "XX", now + ADMISSION_TTL_MS, id);
}

/** Booking done: the place goes to the next in line at once. */
export async function releaseAdmission(redis: Redis, tenantId: string, id: string) {
  await redis.zrem(keys(tenantId).active, id);
}

/** How many hold an admission now (for tests and the ADR's reasoning; expired ones not counted). */
export async function activeAdmissions(redis: Redis, tenantId: string, now = Date.now()) {
  return redis.zcount(keys(tenantId).active, now, "+inf");
}

// ---- The glue the resident pages call --------------------------------------------------------

type HasHeaders = { headers: { get(name: string): string | null } };

function readId(request: HasHeaders): string | null {
  const v = readCookie(request, "waitingRoom");
  return v && ID_FORMAT.test(v) ? v : null;
}

function idCookie(tenant: Pick<Tenant, "slug">, id: string, maxAge: number) {
  return setCookie("waitingRoom", id, maxAge, { citySlug: tenant.slug });
}

function withTimeout<T>(p: Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`redis did not answer in ${REDIS_TIMEOUT_MS} ms`)), REDIS_TIMEOUT_MS);
    p.then(resolve, reject).finally(() => clearTimeout(t));
  });
}

/**
 * The shared connection refuses commands until it is ready (no offline queue). A process's very
 * first entry waits for the initial connect (within the timeout); a reconnecting one fails at once.
 */
const connecting = new WeakMap<Redis, Promise<void>>();
async function readyRedis(): Promise<Redis> {
  const r = getRedis();
  if (r.status !== "connecting" && r.status !== "connect") return r;
  // One listener pair per connection however many residents arrive during the connect.
  let settled = connecting.get(r);
  if (!settled) {
    settled = new Promise<void>((ok) => {
      const done = () => {
        r.off("ready", done).off("close", done);
        connecting.delete(r);
        ok();
      };
      r.once("ready", done).once("close", done);
    });
    connecting.set(r, settled);
  }
  await settled;
  return r;
}

let lastWarning = 0;
function warnOpen(e: unknown) {
  // Once a minute per process: an outage during a rush must not flood the log.
  if (Date.now() - lastWarning < 60_000) return;
  lastWarning = Date.now();
  // One string on the process logger (not a child), so the outage test can watch log().warn.
  log().warn(`waiting room unavailable; admitting everyone (${e instanceof Error ? e.message : String(e)})`);
}

export type EntryGate = Gate & { setCookie?: string };

/**
 * The flow's first page (its loader and its submit). Without the setting: no Redis at all. The id
 * cookie is only ever ours (random, format-checked); a client can drop it (and go to the back) but
 * cannot claim a position.
 */
export async function gateReserveEntry(
  request: HasHeaders,
  tenant: Pick<Tenant, "id" | "slug" | "bookingConcurrency">,
  now = Date.now(),
): Promise<EntryGate> {
  const limit = tenant.bookingConcurrency;
  if (!limit) return { admitted: true };
  const id = readId(request) ?? randomBytes(16).toString("base64url");
  const setCookie = idCookie(tenant, id, Math.ceil((ADMISSION_TTL_MS + WAITER_TTL_MS) / 1000));
  try {
    const gate = await withTimeout(
      readyRedis().then((r) => enterWaitingRoom(r, { tenantId: tenant.id, id, limit, now })),
    );
    return { ...gate, setCookie };
  } catch (e) {
    warnOpen(e);
    return { admitted: true };
  }
}

/** Later steps: refresh the admission, without waiting for Redis and never failing the page. */
export function refreshAdmission(request: HasHeaders, tenant: Pick<Tenant, "id" | "bookingConcurrency">) {
  // The setting first: without it (the default) the booking rush never even parses the cookie.
  if (!tenant.bookingConcurrency) return;
  const id = readId(request);
  if (!id) return;
  void touchAdmission(getRedis(), tenant.id, id).catch(() => {});
}

/** The done page: hand the place on and forget the id. Returns the cookie to clear, if any. */
export async function releaseOnDone(request: HasHeaders, tenant: Pick<Tenant, "id" | "slug">): Promise<string | null> {
  const id = readId(request);
  if (!id) return null;
  await withTimeout(readyRedis().then((r) => releaseAdmission(r, tenant.id, id))).catch(warnOpen);
  return idCookie(tenant, id, 0);
}
