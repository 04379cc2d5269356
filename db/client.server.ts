import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { PgTransaction } from "drizzle-orm/pg-core";
import type { PostgresJsQueryResultHKT } from "drizzle-orm/postgres-js";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import postgres from "postgres";
import * as schema from "./schema/index";

export type Schema = typeof schema;
export type Db = PostgresJsDatabase<Schema>;
export type Tx = PgTransaction<PostgresJsQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Queries take either the pool or an open transaction as their first argument. */
export type DbOrTx = Db | Tx;

export function createDb(url: string, max = 10) {
  const sql = postgres(url, {
    max,
    onnotice: () => {},
    connection: { application_name: "madoguchi" },
    // While PostgreSQL restarts or fails over (ADR 029), a query waits for a connection, and
    // postgres.js backs reconnects off up to 20 s: requests would hang that long, and service would
    // come back that late. Capped at 1 s, a request meets the outage within about a second (and
    // answers 503), and the pool is back within a second of the database.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    // A host that does not answer at all (a failover in progress) fails the same way, not after 30 s.
    connect_timeout: 5,
  });
  const db = drizzle(sql, { schema, casing: "snake_case" });
  return { sql, db };
}

// One pool per process, reused across dev-server HMR reloads.
const g = globalThis as unknown as { __madoguchiDb?: ReturnType<typeof createDb> };

export function getDb(
  url = process.env.DATABASE_URL ?? "postgres://madoguchi_app:madoguchi_app@127.0.0.1:5432/madoguchi",
  opts: { closeOnSignal?: boolean } = {},
): Db {
  if (!g.__madoguchiDb) {
    // Per process. Under a rush more connections than the database has cores only add contention.
    g.__madoguchiDb = createDb(url, Math.max(1, Number(process.env.DATABASE_POOL_MAX ?? 10) || 10));
    // react-router-serve only closes HTTP on SIGTERM; an open pool would keep the process alive.
    // The worker passes false: it closes the pool itself, after its active jobs have finished.
    if (opts.closeOnSignal !== false)
      for (const sig of ["SIGTERM", "SIGINT"] as const) process.once(sig, () => void closeDb());
  }
  return g.__madoguchiDb.db;
}

export async function closeDb() {
  const current = g.__madoguchiDb;
  g.__madoguchiDb = undefined;
  await current?.sql.end({ timeout: 5 });
}
