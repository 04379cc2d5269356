import { createServer, type Server } from "node:http";
import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { QUEUES } from "./catalogue";
import type { Queues } from "./queues.server";
import { serveMetrics } from "~/lib/metrics.server";
import { pendingOutboxCount } from "./relay.server";

const CHECK_TIMEOUT_MS = 2_000;

function timed<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), CHECK_TIMEOUT_MS))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The worker's health: PostgreSQL and Redis reachable (each answered within 2 s), plus queue counts
 * and the outbox backlog for a dashboard. 200 when both stores answer, 503 otherwise — an
 * orchestrator restarts or stops routing on that; counts never make it unhealthy.
 */
export async function workerHealth(db: Db, queues: Queues) {
  // Queue counts are Redis round trips themselves: answering them is the Redis check.
  const [postgres, counts] = await Promise.all([
    timed(db.execute(sql`select 1`)).then(
      () => "ok" as const,
      () => "down" as const,
    ),
    timed(
      Promise.all(
        QUEUES.map(
          async (q) =>
            [q, await queues.queues[q].getJobCounts("waiting", "active", "delayed", "failed", "completed")] as const,
        ),
      ),
    ).then(
      (entries) => Object.fromEntries(entries) as Record<string, Record<string, number>>,
      () => null,
    ),
  ]);
  const redis = counts ? ("ok" as const) : ("down" as const);
  const outboxPending = postgres === "ok" ? await timed(pendingOutboxCount(db)).catch(() => null) : null;
  const ok = postgres === "ok" && redis === "ok";
  return { status: ok ? ("ok" as const) : ("degraded" as const), postgres, redis, queues: counts ?? {}, outboxPending };
}

/** A bare node:http server answering GET /healthz (and /metrics); `port` 0 means off. Never fatal: a port clash is logged. */
export function startHealthServer(opts: {
  port: number;
  host?: string;
  db: Db;
  queues: Queues;
  log: (msg: string, extra?: object) => void;
  /** /metrics beside /healthz, with this bearer token (ADR 037); unset, /metrics is off. */
  metricsToken?: string;
}): Server | null {
  if (!opts.port) return null;
  const server = createServer((req, res) => {
    if (serveMetrics(req, res, opts.metricsToken)) return;
    if (req.method !== "GET" || req.url?.split("?")[0] !== "/healthz") {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
      return;
    }
    workerHealth(opts.db, opts.queues).then(
      (h) =>
        res
          .writeHead(h.status === "ok" ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" })
          .end(JSON.stringify(h)),
      (e: unknown) =>
        res
          .writeHead(503, { "content-type": "application/json" })
          .end(JSON.stringify({ status: "error", error: e instanceof Error ? e.message : String(e) })),
    );
  });
  server.on("error", (e) => opts.log("health server not listening", { port: opts.port, error: e.message }));
  server.listen(opts.port, opts.host ?? "0.0.0.0", () => opts.log("health server listening", { port: opts.port }));
  return server;
}
