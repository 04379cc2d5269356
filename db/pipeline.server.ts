import type { ReservedSql, Sql } from "postgres";
import type { Db } from "./client.server";

/**
 * A tenant transaction for the few hot paths (the booking rush), with postgres.js pipelining.
 *
 * `withTenant` (drizzle) pays one network round trip per statement: BEGIN, set_config, each query,
 * COMMIT. Under an opening rush those round trips — and the socket writes behind them — are most of
 * the cost. Here the statements are issued without waiting on each other on one reserved
 * connection; postgres.js coalesces them into one socket write and PostgreSQL runs them in order, so
 * BEGIN + set_config + the first reads cost one round trip. The RLS contract is the same as
 * withTenant's: the tenant is a transaction-local setting, never a session one. If BEGIN itself
 * failed, set_config(…, true) would only last for its own statement and RLS would show nothing:
 * the failure mode is "sees no rows", never "sees another city's rows".
 */
export type Pipe = ReservedSql;

export function rawSql(db: Db): Sql {
  return (db as unknown as { $client: Sql }).$client;
}

/**
 * How long a booking waits for a connection of its own. postgres.js queues a reservation without a
 * deadline; while PostgreSQL is away the queue only drains as reconnects fail, one per connection and
 * backoff, so under a rush a resident could wait a long time. Past this the request is a 503 like
 * any other "database away" answer (ADR 029, 041): the code is one isDbUnavailable() knows.
 */
const RESERVE_TIMEOUT_MS = 10_000;

export async function reserveWithin(sql: Sql, ms: number): Promise<ReservedSql> {
  const reserving = sql.reserve();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Granted after all: hand it straight back rather than leak it.
      void reserving.then((c) => c.release()).catch(() => {});
      reject(Object.assign(new Error("no database connection within the deadline"), { code: "CONNECT_TIMEOUT" }));
    }, ms);
  });
  try {
    return await Promise.race([reserving, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `commit()` lets the body send COMMIT right behind its last write, in the same socket write, instead
 * of one more round trip after it. Only for a last write whose failure needs no decision: if that
 * write fails, PostgreSQL turns the COMMIT of the aborted transaction into a ROLLBACK.
 */
export async function withTenantPipelined<T>(
  db: Db,
  tenantId: string,
  fn: (c: Pipe, commit: () => Promise<unknown>) => Promise<T>,
  opts: { lockKey?: string } = {},
): Promise<T> {
  if (!/^[0-9a-f-]{36}$/i.test(tenantId)) throw new Error("withTenantPipelined: tenantId must be a uuid");
  const c = await reserveWithin(rawSql(db), RESERVE_TIMEOUT_MS);
  let committed: Promise<unknown> | null = null;
  let begin: Promise<unknown> | null = null;
  const commit = () => (committed ??= c`commit`.execute());
  try {
    begin = c`begin`.execute();
    // With a lock key, the transaction-scoped advisory lock rides on the same statement (one less
    // statement per booking attempt); later statements take their snapshots after it is granted.
    const scope = opts.lockKey
      ? c`select set_config('app.tenant_id', ${tenantId}, true), pg_advisory_xact_lock(hashtextextended(${opts.lockKey}, 0))`.execute()
      : c`select set_config('app.tenant_id', ${tenantId}, true)`.execute();
    const body = fn(c, commit);
    // Awaited together: a failure in any of them must not leave another promise unobserved.
    const [, , result] = await Promise.all([begin, scope, body]);
    await commit();
    return result;
  } catch (e) {
    if (committed) await Promise.resolve(committed).catch(() => {});
    else {
      // The body may fail before BEGIN has even answered (e.g. a bad parameter rejected on the client):
      // wait for BEGIN, then roll back, so the connection never goes back to the pool inside a
      // transaction still holding its locks.
      await Promise.resolve(begin).catch(() => {});
      await c`rollback`.catch(() => {});
    }
    throw e;
  } finally {
    c.release();
  }
}

/** Awaits pipelined statements together so that one failing never leaves the others unobserved. */
export async function settleAll<T extends readonly unknown[]>(promises: {
  [K in keyof T]: PromiseLike<T[K]>;
}): Promise<T> {
  const results = await Promise.allSettled(promises as readonly PromiseLike<unknown>[]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
