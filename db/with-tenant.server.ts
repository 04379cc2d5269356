import { sql } from "drizzle-orm";
import type { Db, Tx } from "./client.server";

/**
 * Runs `fn` in a transaction bound to one tenant. `set_config(..., true)` is transaction-local, so the
 * setting can never leak to the next request that borrows the pooled connection (a session-level SET
 * would). RLS policies compare every tenant row against it.
 */
export async function withTenant<T>(db: Db, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!/^[0-9a-f-]{36}$/i.test(tenantId)) throw new Error("withTenant: tenantId must be a uuid");
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
    return fn(tx);
  });
}
