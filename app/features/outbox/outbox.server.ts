import type { Tx } from "#db/client.server";
import { outbox } from "#db/schema/index";
import { catalogue, type JobName, type JobPayload } from "#jobs/catalogue";

/**
 * Records a side effect inside the caller's business transaction (which must be a withTenant
 * transaction: RLS checks the row's tenant). The worker's relay moves it to BullMQ afterwards,
 * so the business write never waits for Redis and is never lost when Redis is down.
 * `tenantId: null` writes a platform row (a mail to vendor staff): the transaction must then be
 * outside any withTenant, which the RLS policy enforces.
 */
export async function writeOutbox<N extends JobName>(tx: Tx, tenantId: string | null, jobName: N, payload: JobPayload<N>, opts: { availableAt?: Date } = {}) {
  const parsed = catalogue[jobName].payload.parse(payload) as Record<string, unknown>;
  const [row] = await tx
    .insert(outbox)
    .values({ tenantId, jobName, payload: parsed, availableAt: opts.availableAt ?? new Date() })
    .returning({ id: outbox.id });
  return row!.id;
}
