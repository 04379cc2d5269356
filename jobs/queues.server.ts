import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { catalogue, type JobName, type QueueName, QUEUES } from "./catalogue";

/** BullMQ keys live under `<REDIS_PREFIX>:bull`, so test runs and deployments never share queues. */
export const bullPrefix = (redisPrefix: string) => `${redisPrefix}:bull`;

export function redisConnection(url: string) {
  // maxRetriesPerRequest null is what BullMQ requires for blocking worker connections.
  const r = new Redis(url, { maxRetriesPerRequest: null });
  r.on("error", () => {});
  return r;
}

/** Producers fail fast: with Redis down, add() rejects at once and the outbox row is retried later. */
export function createQueues(url: string, redisPrefix: string) {
  const connection = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 });
  connection.on("error", () => {});
  const queues = Object.fromEntries(QUEUES.map((q) => [q, new Queue(q, { connection, prefix: bullPrefix(redisPrefix) })])) as Record<QueueName, Queue>;
  return {
    queues,
    queueFor: (name: JobName) => queues[catalogue[name].queue],
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}

export type Queues = ReturnType<typeof createQueues>;
