import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUES } from "#jobs/catalogue";
import { bullPrefix } from "#jobs/queues.server";

/**
 * Per-city BullMQ figures for the tenant-health table: jobs waiting or running, and jobs that failed
 * for good in the window. Queues are shared by all cities, so jobs are grouped by job.data.tenantId
 * (every catalogue payload carries it). Bounded reads: at most `limit` jobs per state and queue.
 */
export type QueueFigures = { depth: Map<string, number>; failed: Map<string, number> };

const PENDING_STATES = ["waiting", "active", "delayed", "prioritized", "waiting-children"] as const;

export function healthQueues(redis: Redis, redisPrefix: string): Queue[] {
  return QUEUES.map((name) => {
    const q = new Queue(name, { connection: redis, prefix: bullPrefix(redisPrefix) });
    q.on("error", () => {});
    return q;
  });
}

export async function queueFiguresByTenant(
  queues: Queue[],
  opts: { since: number; limit?: number },
): Promise<QueueFigures> {
  const limit = opts.limit ?? 2_000;
  const depth = new Map<string, number>();
  const failed = new Map<string, number>();
  const add = (m: Map<string, number>, id: unknown) => {
    if (typeof id === "string") m.set(id, (m.get(id) ?? 0) + 1);
  };
  for (const q of queues) {
    const [pending, dead] = await Promise.all([
      q.getJobs([...PENDING_STATES], 0, limit - 1),
      q.getJobs(["failed"], 0, limit - 1),
    ]);
    for (const job of pending) if (job) add(depth, (job.data as { tenantId?: unknown }).tenantId);
    for (const job of dead)
      if (job && (job.finishedOn ?? 0) >= opts.since) add(failed, (job.data as { tenantId?: unknown }).tenantId);
  }
  return { depth, failed };
}
