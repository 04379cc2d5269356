import { eq, sql } from "drizzle-orm";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { tenants } from "#db/schema/index";
import { decryptChannelRow, getChannelRow } from "~/features/line/credentials.server";
import { webhookRefusals } from "~/features/line/webhook-refusals.server";
import { verifyChannelToken, type TokenCheck } from "~/integrations/line/channel-token.server";
import { queueFiguresByTenant, type QueueFigures } from "./queue-counts.server";
import { assess, worstFirst, type Severity, type TokenState } from "./severity";
import { tokyoMidnight } from "~/lib/japan-time";

/**
 * The vendor's tenant-health table: one row per live city, worst first. Database figures come from
 * tenant_health_counts() in one query; queue figures from BullMQ; webhook refusals from Redis
 * counters; token validity from LINE (GET /oauth2/v2.1/verify), cached in Redis for a few minutes so
 * the page stays fast with many cities. A source that does not answer makes its cells unknown
 * (and the row a warning) instead of failing the page.
 */
export type HealthDeps = {
  db: Db;
  key: Buffer;
  redis: Redis;
  redisPrefix: string;
  queues: Queue[];
  lineApiBase: string;
  now?: Date;
};

export type TenantHealthRow = {
  tenantId: string;
  name: string;
  slug: string;
  webhookErrors: number | null;
  queueDepth: number | null;
  failedJobs: number | null;
  lastBroadcastAt: Date | null;
  bookingsToday: number;
  token: TokenState;
  severity: Severity;
  reasons: string[];
  score: number;
};

export const TOKEN_CACHE_SECONDS = 300;
const DAY_MS = 86_400_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), ms))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Token state for one city: cached per credentials version (the row's updated_at), so a new token
 * is checked at once and an unchanged one at most every TOKEN_CACHE_SECONDS.
 */
export async function tokenState(deps: HealthDeps, tenantId: string): Promise<TokenState> {
  const row = await withTenant(deps.db, tenantId, (tx) => getChannelRow(tx, tenantId));
  if (!row) return "missing";
  const cacheKey = `${deps.redisPrefix}:health:token:${tenantId}:${row.updatedAt.getTime()}`;
  const cached = await withTimeout(deps.redis.get(cacheKey), 1_000).catch(() => null);
  if (cached === "valid" || cached === "invalid") return cached;
  const creds = decryptChannelRow(deps.key, row);
  const check: TokenCheck = await verifyChannelToken(creds.channelAccessToken, { apiBase: deps.lineApiBase });
  // A valid token of another channel cannot send as this city.
  const state: TokenState =
    check.state === "valid" ? (check.clientId === creds.channelId ? "valid" : "invalid") : check.state;
  if (state !== "unknown")
    await withTimeout(deps.redis.set(cacheKey, state, "EX", TOKEN_CACHE_SECONDS), 1_000).catch(() => {});
  return state;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

export async function tenantHealth(deps: HealthDeps): Promise<TenantHealthRow[]> {
  const now = deps.now ?? new Date();
  const since = new Date(now.getTime() - DAY_MS);
  const counts = (await deps.db.execute(
    sql`select * from tenant_health_counts(${since.toISOString()}::timestamptz, ${tokyoMidnight(now).toISOString()}::timestamptz, ${new Date(now.getTime() - 10 * 60_000).toISOString()}::timestamptz)`,
  )) as unknown as {
    tenant_id: string;
    failed_events: number;
    outbox_pending: number;
    bookings_today: number;
    last_broadcast_at: string | Date | null;
  }[];
  if (!counts.length) return [];
  const ids = counts.map((c) => c.tenant_id);
  const names = new Map(
    (
      await deps.db
        .select({ id: tenants.id, name: tenants.name, slug: tenants.slug })
        .from(tenants)
        .where(eq(tenants.status, "active"))
    ).map((t) => [t.id, t]),
  );

  const [refusals, queues, tokens] = await Promise.all([
    withTimeout(webhookRefusals(deps.redis, deps.redisPrefix, ids, now.getTime()), 2_000).catch(() => null),
    withTimeout(queueFiguresByTenant(deps.queues, { since: since.getTime() }), 3_000).catch(
      (): QueueFigures | null => null,
    ),
    mapLimit(ids, 8, (id) => tokenState(deps, id).catch((): TokenState => "unknown")),
  ]);

  const rows = counts
    .filter((c) => names.has(c.tenant_id))
    .map((c) => {
      const i = ids.indexOf(c.tenant_id);
      const webhookErrors = refusals ? c.failed_events + (refusals.get(c.tenant_id) ?? 0) : null;
      const queueDepth = queues ? c.outbox_pending + (queues.depth.get(c.tenant_id) ?? 0) : null;
      const failedJobs = queues ? (queues.failed.get(c.tenant_id) ?? 0) : null;
      const token = tokens[i]!;
      const verdict = assess({ webhookErrors, queueDepth, failedJobs, token });
      const t = names.get(c.tenant_id)!;
      return {
        tenantId: c.tenant_id,
        name: t.name,
        slug: t.slug,
        webhookErrors,
        queueDepth,
        failedJobs,
        lastBroadcastAt: c.last_broadcast_at ? new Date(c.last_broadcast_at) : null,
        bookingsToday: c.bookings_today,
        token,
        ...verdict,
      };
    });
  return worstFirst(rows);
}
