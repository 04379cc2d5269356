import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { catalogue, isJobName } from "./catalogue";
import type { Queues } from "./queues.server";

const REDIS_DOWN_RETRY_SECONDS = 5;

type ClaimedRow = {
  id: number | string;
  tenant_id: string | null;
  job_name: string;
  payload: Record<string, unknown>;
  attempts: number;
};

/**
 * One pass of the outbox relay: claim a batch (lease, SKIP LOCKED so several workers share the
 * work), add each row to its BullMQ queue with jobId `outbox-<tenant>-<id>` (a row relayed twice after a
 * crash is deduplicated by BullMQ while the first job is retained; processors are idempotent for
 * the rest), then mark the rows relayed. If Redis is down the rows are released for a later pass —
 * nothing is lost and the business transaction that wrote them never noticed.
 */
export async function relayOutboxOnce(
  db: Db,
  queues: Queues,
  opts: { batch?: number; leaseSeconds?: number; tenantId?: string; platformOnly?: boolean } = {},
) {
  const rows = (await db.execute(
    sql`select * from outbox_claim(${opts.batch ?? 100}, ${opts.leaseSeconds ?? 30}, ${opts.tenantId ?? null}::uuid, ${opts.platformOnly ?? false})`,
  )) as unknown as ClaimedRow[];
  if (rows.length === 0) return { relayed: 0, failed: 0 };
  const done: number[] = [];
  let failed = 0;
  let redisDown: string | null = null;
  for (const row of rows) {
    const id = Number(row.id);
    try {
      // One Redis failure releases the rest of the batch at once instead of waiting on each.
      if (redisDown) throw new Error(redisDown);
      if (!isJobName(row.job_name)) throw new Error(`unknown job ${row.job_name}`);
      const def = catalogue[row.job_name];
      const payload = def.payload.parse(row.payload);
      try {
        await queues.add(row.job_name, payload, {
          ...def.options,
          jobId: outboxJobId(row, id),
          removeOnComplete: { age: 24 * 3600, count: 10_000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        });
      } catch (e) {
        redisDown = e instanceof Error ? e.message : String(e);
        throw e;
      }
      done.push(id);
    } catch (e) {
      failed++;
      // A bad row backs off exponentially; Redis being down is no fault of the rows, so they are
      // retried soon however long the outage lasted, and the backlog drains as soon as it returns.
      const retry = redisDown ? REDIS_DOWN_RETRY_SECONDS : Math.min(300, 2 ** Math.min(row.attempts, 8));
      await db.execute(sql`select outbox_release(${id}, ${retry}, ${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (done.length) await db.execute(sql`select outbox_mark_relayed(${sql.raw(`ARRAY[${done.join(",")}]::bigint[]`)})`);
  return { relayed: done.length, failed };
}

// Row ids restart when a database is recreated; the tenant's random uuid keeps the id unique. A
// platform row (no tenant) uses the random ids in its own payload instead.
function outboxJobId(row: ClaimedRow, id: number) {
  if (row.tenant_id) return `outbox-${row.tenant_id}-${id}`;
  const ids = Object.values(row.payload)
    .filter((v) => typeof v === "string")
    .join("-");
  return `outbox-platform-${id}-${ids}`;
}

export async function pendingOutboxCount(db: Db) {
  const [row] = (await db.execute(sql`select outbox_pending_count() as n`)) as unknown as { n: string }[];
  return Number(row?.n ?? 0);
}

/** Runs the relay until stopped; polls fast while there is work, slower when idle. */
export function startRelayLoop(db: Db, queues: Queues, log: (msg: string, extra?: object) => void) {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      let delay = 500;
      try {
        const r = await relayOutboxOnce(db, queues);
        if (r.relayed || r.failed) log("outbox relayed", r);
        if (r.relayed === 100) delay = 0;
        if (r.failed) delay = 2_000;
      } catch (e) {
        log("outbox relay error", { error: e instanceof Error ? e.message : String(e) });
        delay = 2_000;
      }
      await new Promise<void>((res) => {
        wake = res;
        setTimeout(res, delay);
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
