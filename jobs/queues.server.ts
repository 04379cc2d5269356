import { Queue, type JobsOptions } from "bullmq";
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

const ADD_TIMEOUT_MS = 3_000;

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** Producers fail fast: with Redis down, add() rejects at once and the outbox row is retried later. */
export function createQueues(url: string, redisPrefix: string) {
  const connection = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 });
  connection.on("error", () => {});
  const queues = Object.fromEntries(
    QUEUES.map((q) => {
      const queue = new Queue(q, { connection, prefix: bullPrefix(redisPrefix) });
      queue.on("error", () => {}); // surfaced through add() rejecting instead
      return [q, queue];
    }),
  ) as Record<QueueName, Queue>;
  return {
    queues,
    /** The one producer connection: its "ready" after a reconnect tells the worker Redis may be empty. */
    connection,
    /** Adds a job, or rejects within `timeoutMs` (BullMQ itself would wait for Redis forever). */
    add(name: JobName, payload: unknown, opts: JobsOptions) {
      return withTimeout(queues[catalogue[name].queue].add(name, payload, opts), ADD_TIMEOUT_MS, "redis unavailable");
    },
    async close() {
      await withTimeout(Promise.all(Object.values(queues).map((q) => q.close())), 2_000, "close timeout").catch(
        () => {},
      );
      await withTimeout(connection.quit(), 1_000, "quit timeout").catch(() => connection.disconnect());
    },
  };
}

export type Queues = ReturnType<typeof createQueues>;
