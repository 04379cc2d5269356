import { QueueEvents, Worker } from "bullmq";
import { and, isNull } from "drizzle-orm";
import { outbox } from "#db/schema/index";
import type { Db } from "#db/client.server";
import { QUEUES } from "#jobs/catalogue";
import { processorFor } from "#jobs/processors/index.server";
import { bullPrefix, createQueues, redisConnection } from "#jobs/queues.server";
import { relayOutboxOnce } from "#jobs/relay.server";
import type { LineApiConfig } from "~/integrations/line/client.server";
import { createMailer } from "~/integrations/mail.server";

/**
 * Relays the outbox into the real BullMQ queues (Redis from the test env) and lets real workers run
 * until every relayed job has completed. Only the given city's rows: other test files' rows in the
 * shared database are not this test's business. `tenantId: null`: the platform rows (mails to vendor staff). A job that fails fails the test with its reason.
 */
export async function relayAndProcess(
  db: Db,
  opts: { smtpPort: number; key: Buffer; appOrigin?: string; tenantId: string | null; line?: LineApiConfig },
) {
  const redisUrl = process.env.REDIS_URL!;
  const prefix = process.env.REDIS_PREFIX!;
  const queues = createQueues(redisUrl, prefix);
  const mailer = createMailer(`smtp://127.0.0.1:${opts.smtpPort}`, "test@madoguchi.example");
  // `line`: LINE base URLs (the emulator's) for the "line" queue; without it the env defaults apply.
  const deps = { db, mailer, key: opts.key, appOrigin: opts.appOrigin ?? "http://madoguchi.test", line: opts.line };
  const events = QUEUES.map(
    (q) => new QueueEvents(q, { connection: redisConnection(redisUrl), prefix: bullPrefix(prefix) }),
  );
  await Promise.all(events.map((e) => e.waitUntilReady()));
  let settled = 0;
  const failures: string[] = [];
  let expected = Infinity;
  let resolveAll!: () => void;
  const allDone = new Promise<void>((r) => (resolveAll = r));
  // Only this call's jobs count: a job another test file left in the shared Redis (e.g. a broadcast
  // chunk) may be picked up by these workers too, and must neither settle nor fail this relay.
  const ours = (jobId: string | undefined) =>
    !!jobId && jobId.startsWith(opts.tenantId ? `outbox-${opts.tenantId}-` : "outbox-platform-");
  const onSettled = () => {
    settled++;
    if (settled >= expected) resolveAll();
  };
  for (const e of events) {
    e.on("completed", ({ jobId }) => {
      if (ours(jobId)) onSettled();
    });
    e.on("failed", ({ jobId, failedReason }) => {
      if (!ours(jobId)) return;
      failures.push(`${jobId}: ${failedReason}`);
      onSettled();
    });
  }
  const workers = QUEUES.map(
    (q) => new Worker(q, processorFor(q, deps), { connection: redisConnection(redisUrl), prefix: bullPrefix(prefix) }),
  );
  try {
    const r = await relayOutboxOnce(
      db,
      queues,
      opts.tenantId ? { batch: 1000, tenantId: opts.tenantId } : { batch: 1000, platformOnly: true },
    );
    expected = r.relayed;
    if (settled >= expected) resolveAll();
    if (r.relayed) await allDone;
    if (failures.length) throw new Error(`jobs failed: ${failures.join("; ")}`);
    return r;
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await Promise.all(events.map((e) => e.close()));
    await queues.close();
    mailer.close();
  }
}

/**
 * Platform rows (mails to vendor staff, no city) are not scoped to a test's city, so a file that
 * relays them first drops the unrelayed ones an earlier file left behind (another key, another
 * mailbox): its relay then handles only its own. Needs the owner connection (the app role may not delete).
 */
export async function discardPendingPlatformRows(ownerDb: Db) {
  await ownerDb.delete(outbox).where(and(isNull(outbox.tenantId), isNull(outbox.relayedAt)));
}
