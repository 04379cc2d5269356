import { Redis } from "ioredis";
import { env } from "./env.server";

/** One ioredis connection per process for rate limits and queue producers (BullMQ needs null retries). */
const g = globalThis as unknown as { __madoguchiRedis?: Redis };

export function getRedis(): Redis {
  if (!g.__madoguchiRedis) {
    const redis = new Redis(env().REDIS_URL, {
      maxRetriesPerRequest: null,
      enableOfflineQueue: false,
      lazyConnect: false,
    });
    // A Redis outage must not crash the web process: callers fail fast and degrade.
    redis.on("error", () => {});
    g.__madoguchiRedis = redis;
    for (const sig of ["SIGTERM", "SIGINT"] as const) process.once(sig, () => void closeRedis());
  }
  return g.__madoguchiRedis;
}

export async function closeRedis() {
  const r = g.__madoguchiRedis;
  g.__madoguchiRedis = undefined;
  if (r) await r.quit().catch(() => r.disconnect());
}
