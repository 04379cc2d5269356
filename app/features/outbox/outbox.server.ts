import type { Tx } from "#db/client.server";
import { outbox } from "#db/schema/index";
import { catalogue, type JobName, type JobPayload } from "#jobs/catalogue";

/**
 * Records a side effect inside the caller's business transaction (which must be a withTenant
 * transaction: RLS checks the row's tenant). The worker's relay moves it to BullMQ afterwards,
 * so the business write never waits for Redis and is never lost when Redis is down.
 * Rows of no city (mails to vendor staff) go through writePlatformOutbox below.
 */
export async function writeOutbox<N extends JobName>(
  tx: Tx,
  tenantId: string,
  jobName: N,
  payload: JobPayload<N>,
  opts: { availableAt?: Date } = {},
) {
  return insertOutbox(tx, tenantId, jobName, payload, opts.availableAt);
}

async function insertOutbox<N extends JobName>(
  tx: Tx,
  tenantId: string | null,
  jobName: N,
  payload: JobPayload<N>,
  availableAt?: Date,
) {
  const parsed = catalogue[jobName].payload.parse(payload) as Record<string, unknown>;
  const [row] = await tx
    .insert(outbox)
    .values({ tenantId, jobName, payload: parsed, availableAt: availableAt ?? new Date() })
    .returning({ id: outbox.id });
  return row!.id;
}

/**
 * A platform side effect that belongs to no city (mails to vendor staff: invitations ADR 023,
 * password mails ADR 022): written in a plain transaction (never inside withTenant — the outbox
 * policy admits a null tenant only outside any city's context), relayed like every other row.
 */
export function writePlatformOutbox<N extends JobName>(tx: Tx, jobName: N, payload: JobPayload<N>) {
  return insertOutbox(tx, null, jobName, payload);
}
