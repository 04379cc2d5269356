import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import {
  broadcastChunks,
  broadcastRuns,
  broadcasts,
  tenants,
  type BroadcastContent,
  type BroadcastSegment,
  type BroadcastVersions,
} from "#db/schema/index";
import { loadChannelCredentials } from "~/features/line/credentials.server";
import { audienceWhere, type AudienceFilter } from "~/features/line/friends.server";
import { recordUsage } from "~/features/usage/record.server";
import {
  createLineClient,
  lineApiConfigFromEnv,
  MULTICAST_MAX_RECIPIENTS,
  retryKeyFrom,
  type LineApiConfig,
} from "~/integrations/line/client.server";
import { LineApiError } from "~/integrations/line/errors";
import { chainLimiters } from "~/integrations/line/pacer.server";
import type { ChannelLimiter } from "~/integrations/line/retry.server";
import { broadcastMessages } from "./message";
import { localizedContent, versionLanguages } from "./versions";

/**
 * Sending one run of a broadcast, exactly once per recipient (ADR broadcasts):
 * 1. start: one transaction snapshots the audience into chunks of ≤ 500 LINE user ids (seq 0…n-1),
 *    one language version per chunk (ADR 046);
 *    a repeated start finds the snapshot and only re-queues unsent chunks.
 * 2. chunk: multicast with X-Line-Retry-Key = retryKeyFrom("broadcast:<run>:<seq>"), then one
 *    transaction marks the chunk sent, counts usage and advances the run. A worker killed between
 *    LINE's acceptance and that commit re-sends with the same key; LINE answers 409 and delivers
 *    nothing twice, and the chunk is then marked.
 * 3. stop (送信を中止, stopRun in broadcasts.server.ts): the run becomes "cancelled"; every chunk job
 *    reads the run's status in the transaction that checks the chunk is unsent, right before calling
 *    LINE, and sends nothing once it is cancelled. A chunk already past that check finishes (a LINE
 *    call cannot be taken back) and is counted as usual.
 */
export type ChunkQueue = { addChunks(tenantId: string, runId: string, seqs: number[]): Promise<void> };

export type BroadcastDeps = {
  db: Db;
  key: Buffer;
  appOrigin: string;
  line?: LineApiConfig;
  queue: ChunkQueue;
  /** Even spacing of multicasts per channel across workers (createPacer). */
  pacer?: ChannelLimiter | null;
};

export const segmentFilter = (s: BroadcastSegment): AudienceFilter => ({
  match: s.match,
  topics: s.topics,
  topicsMatch: s.topicsMatch,
  genders: s.genders as AudienceFilter["genders"],
  ageBands: s.ageBands as AudienceFilter["ageBands"],
  areas: s.areas,
});

const runKey = (tenantId: string, runId: string) =>
  and(eq(broadcastRuns.tenantId, tenantId), eq(broadcastRuns.id, runId));

export async function startRun(deps: BroadcastDeps, p: { tenantId: string; runId: string }): Promise<string> {
  const { tenantId, runId } = p;
  const prepared = await withTenant(deps.db, tenantId, async (tx) => {
    const [run] = await tx.select().from(broadcastRuns).where(runKey(tenantId, runId)).for("update");
    if (!run) return { skip: "not-found" };
    // Stopped before its start job ran (or while it waited for this lock): nothing is snapshotted or queued.
    if (run.status === "sent" || run.status === "failed" || run.status === "cancelled") return { skip: "finished" };
    if (!run.snapshotAt) {
      const [b] = await tx
        .select()
        .from(broadcasts)
        .where(and(eq(broadcasts.tenantId, tenantId), eq(broadcasts.id, run.broadcastId)));
      if (!b) return { skip: "not-found" };
      const per = sql.raw(String(MULTICAST_MAX_RECIPIENTS)); // a literal: GROUP BY must see the same expression
      // One language per chunk (ADR 046): each friend is put under the version they receive — their
      // language when the broadcast has a version in it, else Japanese — and each language is cut
      // into chunks of ≤ 500, so one multicast carries one version. seq runs across all of them.
      const langs = versionLanguages(b.versions);
      const lang = langs.length
        ? sql`case when language in (${sql.join(
            langs.map((l) => sql`${l}`),
            sql`, `,
          )}) then language else 'ja' end`
        : sql`'ja'`;
      await tx.execute(sql`
        insert into broadcast_chunks (tenant_id, run_id, seq, language, user_ids, size)
        select ${tenantId}::uuid, ${runId}::uuid, (row_number() over (order by lang, bucket))::int - 1, lang, ids, n
          from (select lang, (rn - 1) / ${per} as bucket, array_agg(line_user_id order by rn) as ids, count(*)::int as n
                  from (select line_user_id, lang, row_number() over (partition by lang order by line_user_id) as rn
                          from (select line_user_id, ${lang} as lang
                                  from line_friends where ${audienceWhere(tenantId, segmentFilter(b.segment))}) as a) as audience
                 group by lang, (rn - 1) / ${per}) as chunks`);
      const [totals] = await tx
        .select({
          chunks: sql<number>`count(*)::int`,
          recipients: sql<number>`coalesce(sum(${broadcastChunks.size}), 0)::int`,
        })
        .from(broadcastChunks)
        .where(and(eq(broadcastChunks.tenantId, tenantId), eq(broadcastChunks.runId, runId)));
      await tx
        .update(broadcastRuns)
        .set({
          snapshotAt: sql`now()`,
          startedAt: sql`now()`,
          status: "sending",
          totalChunks: totals!.chunks,
          totalRecipients: totals!.recipients,
          updatedAt: sql`now()`,
        })
        .where(runKey(tenantId, runId));
      await recordUsage(tx, tenantId, "broadcasts", 1);
      // Nobody matches any more (friends blocked since it was composed): the run is done at once.
      if (totals!.chunks === 0) {
        await finishIfComplete(tx, tenantId, runId);
        return { seqs: [] as number[] };
      }
    } else {
      await tx
        .update(broadcastRuns)
        .set({ updatedAt: sql`now()` })
        .where(runKey(tenantId, runId));
    }
    const rows = await tx
      .select({ seq: broadcastChunks.seq })
      .from(broadcastChunks)
      .where(
        and(
          eq(broadcastChunks.tenantId, tenantId),
          eq(broadcastChunks.runId, runId),
          isNull(broadcastChunks.sentAt),
          isNull(broadcastChunks.failedAt),
        ),
      )
      .orderBy(asc(broadcastChunks.seq));
    return { seqs: rows.map((r) => r.seq) };
  });
  if ("skip" in prepared) return prepared.skip ?? "skipped";
  // After the commit: chunk jobs have deterministic ids, so queueing twice (a retried start) is harmless.
  if (prepared.seqs.length) await deps.queue.addChunks(tenantId, runId, prepared.seqs);
  return `queued ${prepared.seqs.length}`;
}

/**
 * Run finished when every chunk is sent or failed for good; a one-off broadcast takes the run's
 * outcome. A stopped run keeps "cancelled" (its finished_at is set by the stop; the status check
 * says so explicitly) even when an in-flight chunk settles the last count afterwards.
 */
async function finishIfComplete(tx: Tx, tenantId: string, runId: string) {
  const [run] = await tx
    .update(broadcastRuns)
    .set({
      status: sql`case when ${broadcastRuns.failedChunks} > 0 and ${broadcastRuns.sentChunks} = 0 then 'failed' else 'sent' end::broadcast_run_status`,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        runKey(tenantId, runId),
        inArray(broadcastRuns.status, ["pending", "sending"]),
        sql`${broadcastRuns.sentChunks} + ${broadcastRuns.failedChunks} = ${broadcastRuns.totalChunks}`,
        sql`${broadcastRuns.finishedAt} is null`,
      ),
    )
    .returning({ status: broadcastRuns.status, broadcastId: broadcastRuns.broadcastId });
  if (!run) return;
  // A recurring broadcast stays scheduled for its next run; a one-off one is sent (or failed).
  await tx
    .update(broadcasts)
    .set({ status: run.status === "failed" ? "failed" : "sent", updatedAt: sql`now()` })
    .where(
      and(
        eq(broadcasts.tenantId, tenantId),
        eq(broadcasts.id, run.broadcastId),
        isNull(broadcasts.recurrence),
        eq(broadcasts.status, "sending"),
      ),
    );
}

async function markChunk(
  db: Db,
  tenantId: string,
  runId: string,
  seq: number,
  outcome: { sent: true; how: string } | { sent: false; error: string },
) {
  await withTenant(db, tenantId, async (tx) => {
    // This commit need not wait for the disk: if a crash loses it, the chunk is simply sent again
    // with the same retry key, LINE answers 409, and it is marked (and counted) then. Not waiting
    // shortens the time the run row and the usage counter stay locked, which every chunk shares.
    await tx.execute(sql`set local synchronous_commit = off`);
    const chunkKey = and(
      eq(broadcastChunks.tenantId, tenantId),
      eq(broadcastChunks.runId, runId),
      eq(broadcastChunks.seq, seq),
      isNull(broadcastChunks.sentAt),
      isNull(broadcastChunks.failedAt),
    );
    const [chunk] = await tx
      .update(broadcastChunks)
      .set(outcome.sent ? { sentAt: sql`now()`, outcome: outcome.how } : { failedAt: sql`now()`, error: outcome.error })
      .where(chunkKey)
      .returning({ size: broadcastChunks.size });
    // Already marked by an earlier try: count nothing twice.
    if (!chunk) return;
    if (outcome.sent) await recordUsage(tx, tenantId, "line_messages", chunk.size);
    const counts = outcome.sent
      ? {
          sentChunks: sql`${broadcastRuns.sentChunks} + 1`,
          sentRecipients: sql`${broadcastRuns.sentRecipients} + ${chunk.size}`,
        }
      : {
          failedChunks: sql`${broadcastRuns.failedChunks} + 1`,
          failedRecipients: sql`${broadcastRuns.failedRecipients} + ${chunk.size}`,
          error: outcome.error,
        };
    const [run] = await tx
      .update(broadcastRuns)
      .set({ ...counts, updatedAt: sql`now()` })
      .where(runKey(tenantId, runId))
      .returning({
        settled: sql<number>`${broadcastRuns.sentChunks} + ${broadcastRuns.failedChunks}`,
        total: broadcastRuns.totalChunks,
      });
    if (run && Number(run.settled) === run.total) await finishIfComplete(tx, tenantId, runId);
  });
}

const ERROR_JA: Partial<Record<LineApiError["kind"], string>> = {
  unauthorized: "LINEのアクセストークンが無効です。LINE設定を確認してください。",
  forbidden: "このチャネルではメッセージを送れません（LINEの権限）。",
  bad_request: "LINEがメッセージを受け付けませんでした（内容または画像URLの形式）。",
  quota_exceeded: "LINEの今月の送信上限に達しました。",
};

type RunContext = {
  content: BroadcastContent;
  versions: BroadcastVersions;
  slug: string;
  snapshotAt: Date | null;
  creds: Awaited<ReturnType<typeof loadChannelCredentials>>;
  at: number;
};

/**
 * LINE remembers a retry key for 24 hours. A chunk still unsent this long after its run's snapshot
 * is not sent any more: its first try may have reached LINE, and a resend with a forgotten key
 * would deliver twice. It is recorded as failed, so the run finishes and shows it.
 */
export const RETRY_KEY_SAFE_MS = 23 * 3600_000;
const EXPIRED_JA = "24時間以内に送信できなかったため、二重送信を避けて送信を取りやめました。";
/**
 * What every chunk of a run shares (message, city slug, decrypted credentials), kept per process
 * for a minute: a 600-chunk run then reads and decrypts them once instead of 600 times. A rotated
 * token is picked up within the minute.
 */
const runContexts = new Map<string, RunContext>();
const RUN_CONTEXT_TTL_MS = 60_000;

async function runContext(deps: BroadcastDeps, tx: Tx, tenantId: string, runId: string): Promise<RunContext | null> {
  const cacheKey = `${tenantId}:${runId}`;
  const hit = runContexts.get(cacheKey);
  if (hit && Date.now() - hit.at < RUN_CONTEXT_TTL_MS) return hit;
  const [row] = await tx
    .select({
      content: broadcasts.content,
      versions: broadcasts.versions,
      slug: tenants.slug,
      snapshotAt: broadcastRuns.snapshotAt,
    })
    .from(broadcastRuns)
    .innerJoin(
      broadcasts,
      and(eq(broadcasts.tenantId, broadcastRuns.tenantId), eq(broadcasts.id, broadcastRuns.broadcastId)),
    )
    .innerJoin(tenants, eq(tenants.id, broadcastRuns.tenantId))
    .where(runKey(tenantId, runId));
  if (!row) return null;
  const ctx = { ...row, creds: await loadChannelCredentials(tx, deps.key, tenantId), at: Date.now() };
  if (runContexts.size > 100) runContexts.clear();
  runContexts.set(cacheKey, ctx);
  return ctx;
}

/**
 * Sends one chunk. `finalAttempt`: this is the job's last try, so a retryable failure is recorded
 * as failed instead of thrown (the run can then finish and show what did not go out).
 */
export async function sendChunk(
  deps: BroadcastDeps,
  p: { tenantId: string; runId: string; seq: number },
  opts: { finalAttempt: boolean },
): Promise<string> {
  const { tenantId, runId, seq } = p;
  const prepared = await withTenant(deps.db, tenantId, async (tx) => {
    // The exactly-once check (chunk unsent) and the stop check (run not cancelled) read in one
    // statement, right before the LINE call; the status is never taken from the run-context cache.
    // No lock is taken: a stop committed before this read is seen and nothing is sent; one committed
    // after it finds this chunk in flight, and a lock would only delay the stop, not change that.
    const [chunk] = await tx
      .select({
        userIds: broadcastChunks.userIds,
        language: broadcastChunks.language,
        sentAt: broadcastChunks.sentAt,
        failedAt: broadcastChunks.failedAt,
        runStatus: broadcastRuns.status,
      })
      .from(broadcastChunks)
      .innerJoin(
        broadcastRuns,
        and(eq(broadcastRuns.tenantId, broadcastChunks.tenantId), eq(broadcastRuns.id, broadcastChunks.runId)),
      )
      .where(
        and(eq(broadcastChunks.tenantId, tenantId), eq(broadcastChunks.runId, runId), eq(broadcastChunks.seq, seq)),
      );
    if (!chunk) return null;
    if (chunk.sentAt || chunk.failedAt || chunk.runStatus === "cancelled") return { chunk, ctx: null };
    return { chunk, ctx: await runContext(deps, tx, tenantId, runId) };
  });
  if (!prepared) return "not-found";
  if (prepared.chunk.sentAt || prepared.chunk.failedAt) return "already-done";
  // Stopped by staff: the chunk stays unsent (counted as 未送信), and the job completes quietly.
  if (prepared.chunk.runStatus === "cancelled") return "cancelled";
  const ctx = prepared.ctx;
  if (!ctx) return "not-found";
  if (ctx.snapshotAt && Date.now() - ctx.snapshotAt.getTime() > RETRY_KEY_SAFE_MS) {
    await markChunk(deps.db, tenantId, runId, seq, { sent: false, error: EXPIRED_JA });
    return "expired";
  }
  if (!ctx.creds) {
    await markChunk(deps.db, tenantId, runId, seq, { sent: false, error: "LINEの設定がありません。" });
    return "no-channel";
  }
  const base = deps.line ?? lineApiConfigFromEnv();
  const client = createLineClient(ctx.creds, { ...base, limiter: chainLimiters(base.limiter, deps.pacer) });
  const mediaUrl = (id: string) => `${deps.appOrigin}/c/${ctx.slug}/media/${id}`;
  try {
    const content = localizedContent(ctx.content, ctx.versions, prepared.chunk.language);
    const r = await client.multicast(prepared.chunk.userIds, broadcastMessages(content, mediaUrl), {
      retryKey: retryKeyFrom(`broadcast:${runId}:${seq}`),
    });
    await markChunk(deps.db, tenantId, runId, seq, { sent: true, how: r.status });
    return r.status;
  } catch (e) {
    const err = e instanceof LineApiError ? e : null;
    if (err && !err.retryable) {
      await markChunk(deps.db, tenantId, runId, seq, {
        sent: false,
        error: ERROR_JA[err.kind] ?? `LINEへの送信に失敗しました（${err.kind}）。`,
      });
      return `failed: ${err.kind}`;
    }
    if (opts.finalAttempt)
      await markChunk(deps.db, tenantId, runId, seq, {
        sent: false,
        error: "LINEに接続できないため、送信できませんでした。",
      });
    throw e;
  }
}
