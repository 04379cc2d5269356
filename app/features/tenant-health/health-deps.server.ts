import type { Queue } from "bullmq";
import { getDb } from "#db/client.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { getRedis } from "~/lib/redis.server";
import type { HealthDeps } from "./health.server";
import { healthQueues } from "./queue-counts.server";

/** The web process's handles for the health table: the shared Redis connection and read-only queue handles. */
const g = globalThis as unknown as { __madoguchiHealthQueues?: Queue[] };

export async function healthDepsFromEnv(): Promise<HealthDeps> {
  const e = env();
  const redis = getRedis();
  // Commands fail at once while the shared connection is still connecting (no offline queue): wait briefly.
  if (redis.status !== "ready") {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1_000);
      redis.once("ready", () => (clearTimeout(timer), resolve()));
    });
  }
  g.__madoguchiHealthQueues ??= healthQueues(redis, e.REDIS_PREFIX);
  return {
    db: getDb(),
    key: masterKey(e.MADOGUCHI_MASTER_KEY),
    redis,
    redisPrefix: e.REDIS_PREFIX,
    queues: g.__madoguchiHealthQueues,
    lineApiBase: e.LINE_API_BASE,
  };
}
