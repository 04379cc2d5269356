import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { scrapedGauge } from "~/lib/metrics.server";
import { QUEUES } from "./catalogue";
import type { Queues } from "./queues.server";

const STATES = ["waiting", "active", "delayed", "failed"] as const;

/**
 * The worker's gauges (ADR 037), read from PostgreSQL and Redis when /metrics is scraped — nothing
 * runs between scrapes. Served on the worker's health port next to /healthz (jobs/health.server.ts).
 */
export function registerWorkerMetrics(db: Db, queues: Queues) {
  scrapedGauge("madoguchi_outbox_pending", "Outbox rows not yet relayed to BullMQ (all cities).", [], async (set) => {
    const [row] = (await db.execute(sql`select pending, oldest_age_seconds from outbox_backlog()`)) as unknown as {
      pending: string;
      oldest_age_seconds: number;
    }[];
    set({}, Number(row?.pending ?? 0));
  });
  scrapedGauge(
    "madoguchi_outbox_oldest_age_seconds",
    "Age of the oldest outbox row not yet relayed (0 when none): a relay that stopped shows here first.",
    [],
    async (set) => {
      const [row] = (await db.execute(sql`select oldest_age_seconds from outbox_backlog()`)) as unknown as {
        oldest_age_seconds: number;
      }[];
      set({}, Number(row?.oldest_age_seconds ?? 0));
    },
  );
  scrapedGauge("madoguchi_queue_jobs", "BullMQ jobs per queue and state.", ["queue", "state"], async (set) => {
    await Promise.all(
      QUEUES.map(async (queue) => {
        const counts = await queues.queues[queue].getJobCounts(...STATES);
        for (const state of STATES) set({ queue, state }, counts[state] ?? 0);
      }),
    );
  });
  scrapedGauge(
    "madoguchi_db_connections",
    "Connections of the app's database role to this database, by state, as PostgreSQL sees them (every web and worker process's pool together).",
    ["state"],
    async (set) => {
      const rows = (await db.execute(
        sql`select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity
             where datname = current_database() and usename = current_user group by 1`,
      )) as unknown as { state: string; n: number }[];
      for (const r of rows) set({ state: r.state }, r.n);
    },
  );
}
