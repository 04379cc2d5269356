import { sql } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import type { UsageMetric } from "#db/schema/usage";
import { tokyoMonthOf } from "~/lib/japan-time";

/** The Japan-time calendar month of `at` as its first day (YYYY-MM-01): cities are billed by it. */
export function usageMonth(at: Date): string {
  return tokyoMonthOf(at);
}

/**
 * Adds `n` to a city's monthly counter. Call it inside the same tenant transaction that records the
 * send (the deliveries row or the broadcast chunk marked sent), so a retried job that finds its send
 * already recorded does not count it twice.
 */
export async function recordUsage(
  tx: Tx,
  tenantId: string,
  metric: UsageMetric,
  n: number,
  at: Date = new Date(),
): Promise<void> {
  if (n <= 0) return;
  await tx.execute(sql`
    insert into usage_monthly (tenant_id, month, metric, count)
    values (${tenantId}, ${usageMonth(at)}, ${metric}, ${n})
    on conflict (tenant_id, month, metric)
    do update set count = usage_monthly.count + excluded.count, updated_at = now()`);
}
