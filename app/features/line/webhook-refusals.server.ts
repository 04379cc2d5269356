import type { Redis } from "ioredis";
import { env } from "~/lib/env.server";
import { getRedis } from "~/lib/redis.server";

/**
 * Webhook requests we refused per city (bad signature, or our own failure to load or store), in
 * hourly Redis counters kept 26 hours: the vendor's tenant-health table sums the last 24. Nothing
 * else records a refusal — the request never reaches the database — and a counter is the cheapest
 * thing the webhook's failure path can afford. Losing Redis loses these counts, never a webhook.
 */
const HOUR_MS = 3_600_000;
const KEEP_SECONDS = 26 * 3600;

const hourOf = (ms: number) => Math.floor(ms / HOUR_MS);
const key = (prefix: string, tenantId: string, hour: number) => `${prefix}:health:webhook-refused:${tenantId}:${hour}`;

export async function countWebhookRefusal(
  redis: Redis,
  prefix: string,
  tenantId: string,
  now = Date.now(),
): Promise<void> {
  const k = key(prefix, tenantId, hourOf(now));
  await redis.multi().incr(k).expire(k, KEEP_SECONDS).exec();
}

/** Refusals per city over the last 24 hours (the current hour included). */
export async function webhookRefusals(
  redis: Redis,
  prefix: string,
  tenantIds: string[],
  now = Date.now(),
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!tenantIds.length) return out;
  const hour = hourOf(now);
  const pipeline = redis.pipeline();
  for (const id of tenantIds) pipeline.mget(Array.from({ length: 24 }, (_, i) => key(prefix, id, hour - i)));
  const results = (await pipeline.exec()) ?? [];
  tenantIds.forEach((id, i) => {
    const [err, values] = results[i] ?? [null, []];
    if (err) throw err;
    out.set(
      id,
      (values as (string | null)[]).reduce((sum, v) => sum + (v ? Number(v) : 0), 0),
    );
  });
  return out;
}

/** Fire and forget from the webhook: never awaited on the answer path, never throws. */
export function noteWebhookRefusal(tenantId: string): void {
  try {
    void countWebhookRefusal(getRedis(), env().REDIS_PREFIX, tenantId).catch(() => {});
  } catch {
    // Redis not configured or not connected: the count is lost, the webhook answer is not.
  }
}
