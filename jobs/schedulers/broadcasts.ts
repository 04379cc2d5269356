import type { Queues } from "../queues.server";

/**
 * The broadcast sweep, once a minute at second 0, as a BullMQ job scheduler: however many workers
 * run, Redis holds one schedule and each tick becomes one job. upsert is idempotent across restarts.
 */
export async function registerBroadcastScheduler(queues: Queues) {
  const queue = queues.queues.broadcast;
  for (let attempt = 1; ; attempt++) {
    try {
      await queue.upsertJobScheduler(
        "broadcast-sweep",
        { pattern: "0 * * * * *" },
        { name: "sweep-broadcasts", data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
      );
      return;
    } catch (e) {
      // The producer connection fails fast while Redis is still coming up.
      if (attempt >= 10) throw e;
      await new Promise((r) => setTimeout(r, 1_000 * attempt));
    }
  }
}
