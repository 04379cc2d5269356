import { Worker } from "bullmq";
import { closeDb, getDb } from "#db/client.server";
import { getMailer } from "~/integrations/mail.server";
import { lineApiConfigFromEnv } from "~/integrations/line/client.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { QUEUES } from "./catalogue";
import { processorFor } from "./processors/index.server";
import { bullPrefix, createQueues, redisConnection } from "./queues.server";
import { startRelayLoop } from "./relay.server";
import { keepRepeatingJobsRegistered } from "./repeating-jobs";
import { startHealthServer } from "./health.server";
import { registerWorkerMetrics } from "./metrics.server";
import { chunkQueue } from "./processors/broadcast/broadcast";
import { garbagePushQueue } from "./processors/garbage/garbage-push";
import { createPacer } from "~/integrations/line/pacer.server";
import { getRedis } from "~/lib/redis.server";
import { log as rootLog } from "~/lib/log.server";

/**
 * The worker process: the outbox relay plus one BullMQ Worker per queue. SIGTERM stops taking new
 * jobs, lets active ones finish (worker.close() waits), then closes Redis and Postgres so the
 * process exits on its own.
 */
const config = env();
const log = rootLog().child({ proc: "worker" });
const db = getDb(config.DATABASE_URL, { closeOnSignal: false });
const queues = createQueues(config.REDIS_URL, config.REDIS_PREFIX);
// Every queue in the catalogue (mail, line, reminders, maintenance, broadcast, roster) gets a Worker below; `line` holds the LINE base
// URLs and the per-channel rate limiter shared with the web processes through Redis.
// `broadcast`: chunk jobs are queued by the start job; multicasts are paced per channel across workers.
const pacer = createPacer({
  redis: getRedis(),
  keyPrefix: `${config.REDIS_PREFIX}:rl:line_multicast`,
  perSecond: config.LINE_MULTICAST_PER_SECOND,
});
const deps = {
  db,
  mailer: getMailer(),
  key: masterKey(config.MADOGUCHI_MASTER_KEY),
  appOrigin: config.APP_ORIGIN,
  line: lineApiConfigFromEnv(),
  broadcast: { queue: chunkQueue(queues), pacer },
  garbagePush: garbagePushQueue(queues),
  log,
};

const workers = QUEUES.map((queue) => {
  // Broadcast chunks mostly wait for their paced slot, so more of them are in flight; a crashed
  // worker's active jobs are taken over after WORKER_LOCK_MS (then resent with the same retry key).
  // Roster imports hold a transaction (and, for a second import of the same city, wait for the
  // first): two at a time leave the pool and the CPU to the other queues. LINE events wait mostly on
  // PostgreSQL and the reply call: 16 in flight keep replies within the token's minute at 200
  // events/s (bench:conversation), their transactions sharing the pool.
  const concurrency =
    queue === "broadcast" ? config.BROADCAST_CONCURRENCY : queue === "roster" ? 2 : queue === "line" ? 16 : 4;
  const w = new Worker(queue, processorFor(queue, deps), {
    connection: redisConnection(config.REDIS_URL),
    prefix: bullPrefix(config.REDIS_PREFIX),
    concurrency,
    lockDuration: config.WORKER_LOCK_MS,
    stalledInterval: config.WORKER_LOCK_MS,
    maxStalledCount: 3,
  });
  w.on("completed", (job, result) =>
    log.info({ jobId: job.id, job: job.name, tenantId: job.data?.tenantId, result }, "job completed"),
  );
  w.on("failed", (job, err) =>
    log.error({ jobId: job?.id, job: job?.name, tenantId: job?.data?.tenantId, err: err.message }, "job failed"),
  );
  w.on("error", (err) => log.error({ err: err.message }, "worker error"));
  return w;
});
const relay = startRelayLoop(db, queues, (msg, extra) => log.info(extra ?? {}, msg));
const logTo = (msg: string, extra?: object) => log.info(extra ?? {}, msg);
registerWorkerMetrics(db, queues);
const health = startHealthServer({
  port: config.WORKER_HEALTH_PORT,
  db,
  queues,
  log: logTo,
  metricsToken: config.METRICS_TOKEN,
});
// The sweeps and daily jobs of the catalogue, registered again whenever Redis lost them (ADR 030).
const repeating = keepRepeatingJobsRegistered(queues, { log: logTo });
log.info({ queues: QUEUES }, "worker started");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "worker stopping");
  repeating.stop();
  await relay.stop();
  health?.close();
  await Promise.all(workers.map((w) => w.close()));
  await queues.close();
  getMailer().close();
  await closeDb();
  log.info("worker stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
