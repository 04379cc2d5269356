import { inArray } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { tenants } from "#db/schema/index";
import { QUEUES, type QueueName } from "#jobs/catalogue";
import { createQueues, type Queues } from "#jobs/queues.server";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { env } from "~/lib/env.server";

/**
 * Failed background jobs for vendor staff (/vendor/jobs): what failed, for which city, how often it
 * was tried and why — never the payload beyond the city (payloads are ids only anyway, but the
 * page shows none of them). Retrying is audited as a vendor action.
 */
const g = globalThis as unknown as { __madoguchiAdminQueues?: Queues };

/** The web process's own producer connection (fails fast when Redis is down). */
export function adminQueues(): Queues {
  if (!g.__madoguchiAdminQueues) {
    const queues = createQueues(env().REDIS_URL, env().REDIS_PREFIX);
    g.__madoguchiAdminQueues = queues;
    // An open connection would keep a plain react-router-serve process alive after SIGTERM.
    for (const sig of ["SIGTERM", "SIGINT"] as const) process.once(sig, () => void queues.close());
  }
  return g.__madoguchiAdminQueues;
}

const REASON_MAX = 200;
const PER_QUEUE = 50;
const TIMEOUT_MS = 3_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function timed<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("redis unavailable")), TIMEOUT_MS))),
  ]).finally(() => clearTimeout(timer));
}

export type FailedJobRow = {
  queue: QueueName;
  id: string;
  name: string;
  cityName: string | null;
  attemptsMade: number;
  failedReason: string;
  failedAt: string | null;
};

export const truncateReason = (reason: string | undefined) => {
  const oneLine = (reason ?? "").replace(/\s+/g, " ").trim();
  return oneLine.length > REASON_MAX ? `${oneLine.slice(0, REASON_MAX)}…` : oneLine;
};

export async function listFailedJobs(
  db: Db,
  queues: Queues = adminQueues(),
): Promise<{ ok: true; jobs: FailedJobRow[] } | { ok: false }> {
  let raw;
  try {
    raw = await timed(
      Promise.all(
        QUEUES.map(async (q) => (await queues.queues[q].getFailed(0, PER_QUEUE - 1)).map((job) => ({ q, job }))),
      ),
    );
  } catch {
    return { ok: false };
  }
  const jobs = raw.flat().filter(({ job }) => job);
  const tenantIds = [
    ...new Set(
      jobs
        .map(({ job }) => (job.data as { tenantId?: unknown })?.tenantId)
        .filter((t): t is string => typeof t === "string" && UUID.test(t)),
    ),
  ];
  const names = new Map(
    tenantIds.length
      ? (
          await db.select({ id: tenants.id, name: tenants.name }).from(tenants).where(inArray(tenants.id, tenantIds))
        ).map((t) => [t.id, t.name])
      : [],
  );
  const rows = jobs.map(({ q, job }) => {
    const tenantId = (job.data as { tenantId?: unknown })?.tenantId;
    return {
      queue: q,
      id: String(job.id),
      name: job.name,
      cityName: typeof tenantId === "string" ? (names.get(tenantId) ?? null) : null,
      attemptsMade: job.attemptsMade,
      failedReason: truncateReason(job.failedReason),
      failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    };
  });
  rows.sort((a, b) => (b.failedAt ?? "").localeCompare(a.failedAt ?? ""));
  return { ok: true, jobs: rows };
}

export type RetryResult = { ok: true; message: string } | { ok: false; message: string };

export async function retryFailedJob(
  db: Db,
  input: { vendorUserId: string; ip?: string | null; queue: string; jobId: string },
  queues: Queues = adminQueues(),
): Promise<RetryResult> {
  if (!(QUEUES as readonly string[]).includes(input.queue))
    return { ok: false, message: "キューの指定が正しくありません。" };
  const queue = queues.queues[input.queue as QueueName];
  try {
    const job = await timed(queue.getJob(input.jobId));
    if (!job) return { ok: false, message: "ジョブが見つかりません。すでに削除された可能性があります。" };
    if ((await timed(job.getState())) !== "failed")
      return { ok: false, message: "このジョブは失敗状態ではないため、再実行できません。" };
    await timed(job.retry("failed"));
    const tenantId = (job.data as { tenantId?: unknown })?.tenantId;
    await recordVendorAudit(db, {
      vendorUserId: input.vendorUserId,
      tenantId: typeof tenantId === "string" && UUID.test(tenantId) ? tenantId : null,
      action: "job.retry",
      detail: { queue: input.queue, jobId: input.jobId, job: job.name, attemptsMade: job.attemptsMade },
      ip: input.ip,
    });
    return { ok: true, message: `ジョブ「${job.name}」を再実行の待ち行列に戻しました。` };
  } catch {
    return { ok: false, message: "ジョブの基盤（Redis）に接続できません。しばらくしてからお試しください。" };
  }
}
