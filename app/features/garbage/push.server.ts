import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { garbagePushChunks, garbagePushRuns, lineFriends } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { loadChannelCredentials } from "~/features/line/credentials.server";
import { recordUsage } from "~/features/usage/record.server";
import {
  createLineClient,
  lineApiConfigFromEnv,
  MULTICAST_MAX_RECIPIENTS,
  retryKeyFrom,
  type LineApiConfig,
  type LineMessage,
} from "~/integrations/line/client.server";
import { LineApiError } from "~/integrations/line/errors";
import { chainLimiters } from "~/integrations/line/pacer.server";
import type { ChannelLimiter } from "~/integrations/line/retry.server";
import { resolveLanguage } from "~/lib/i18n";
import { addDays, tokyoDateOf, tokyoTimeOf } from "~/lib/japan-time";
import { tomorrowText } from "./answers";
import { loadGarbage } from "./garbage.server";
import { collectionsOn } from "./schedule";

/**
 * 「明日は〇〇の日です」 the evening before (ADR 051). Once a minute the sweep finds the cities whose
 * push time has passed today (Japan time) and starts tomorrow's run: the unique (city, date) run row
 * is the "once per friend per day"; the audience — following friends who chose the ごみ topic, in an
 * area with a collection tomorrow after every exception — is snapshotted into chunks of ≤ 500 of one
 * area and language (one message each), and each chunk goes out through the same LINE multicast,
 * the same per-channel pacer and the same retry-key discipline as broadcasts (ADR 018).
 */
export const GARBAGE_TOPIC = "garbage";

export type PushQueue = { addChunks(tenantId: string, runId: string, seqs: number[]): Promise<void> };
export type PushDeps = {
  db: Db;
  key: Buffer;
  line?: LineApiConfig;
  queue: PushQueue;
  pacer?: ChannelLimiter | null;
};

/** Cities whose push time has come today; each gets tomorrow's run started (idempotently). */
export async function sweepGarbagePush(deps: PushDeps, now: Date): Promise<string> {
  const rows = (await deps.db.execute(sql`select tenant_id, push_time from garbage_push_tenants()`)) as unknown as {
    tenant_id: string;
    push_time: string;
  }[];
  const time = tokyoTimeOf(now);
  let started = 0;
  for (const r of rows) {
    if (time < r.push_time) continue;
    const out = await startGarbagePush(deps, r.tenant_id, addDays(tokyoDateOf(now), 1));
    if (out.startsWith("queued")) started++;
  }
  return `started ${started}`;
}

/**
 * Tomorrow's run for one city: created and snapshotted once; a repeat (the next minute's sweep)
 * finds it and re-queues only unsent chunks, so a lost job is resumed and nothing is sent twice.
 */
export async function startGarbagePush(deps: PushDeps, tenantId: string, date: string): Promise<string> {
  const prepared = await withTenant(deps.db, tenantId, async (tx) => {
    const [created] = await tx
      .insert(garbagePushRuns)
      .values({ tenantId, collectionDate: date })
      .onConflictDoNothing()
      .returning({ id: garbagePushRuns.id });
    if (!created) {
      const [run] = await tx
        .select({ id: garbagePushRuns.id, finishedAt: garbagePushRuns.finishedAt })
        .from(garbagePushRuns)
        .where(and(eq(garbagePushRuns.tenantId, tenantId), eq(garbagePushRuns.collectionDate, date)));
      if (!run || run.finishedAt) return { runId: run?.id ?? "", seqs: [] as number[] };
      const open = await tx
        .select({ seq: garbagePushChunks.seq })
        .from(garbagePushChunks)
        .where(
          and(
            eq(garbagePushChunks.tenantId, tenantId),
            eq(garbagePushChunks.runId, run.id),
            isNull(garbagePushChunks.sentAt),
            isNull(garbagePushChunks.failedAt),
          ),
        )
        .orderBy(asc(garbagePushChunks.seq));
      return { runId: run.id, seqs: open.map((o) => o.seq) };
    }
    const state = await loadGarbage(tx, tenantId);
    const chunks: { userIds: string[]; text: string }[] = [];
    const due = new Map<string, string[]>();
    for (const area of state?.dataset.areas ?? []) {
      const cats = collectionsOn(state!, area, date);
      if (cats.length)
        due.set(
          area.name,
          cats.map((c) => c.label),
        );
    }
    // One read of the whole audience, ordered so each (area, language) group is contiguous.
    const friends = due.size
      ? await tx
          .select({ id: lineFriends.lineUserId, area: lineFriends.area, lang: lineFriends.language })
          .from(lineFriends)
          .where(
            and(
              eq(lineFriends.tenantId, tenantId),
              eq(lineFriends.status, "following"),
              inArray(lineFriends.area, [...due.keys()]),
              sql`${GARBAGE_TOPIC} = any(${lineFriends.topics})`,
            ),
          )
          .orderBy(asc(lineFriends.area), asc(lineFriends.lineUserId))
      : [];
    const groups = new Map<string, { area: string; lang: string; ids: string[] }>();
    for (const f of friends) {
      const lang = resolveLanguage(f.lang);
      const k = `${f.area}\u0000${lang}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { area: f.area!, lang, ids: [] }));
      g.ids.push(f.id);
    }
    for (const g of groups.values()) {
      const text = tomorrowText(g.lang, date, due.get(g.area)!);
      for (let i = 0; i < g.ids.length; i += MULTICAST_MAX_RECIPIENTS)
        chunks.push({ userIds: g.ids.slice(i, i + MULTICAST_MAX_RECIPIENTS), text });
    }
    for (let i = 0; i < chunks.length; i += 100)
      await tx.insert(garbagePushChunks).values(
        chunks.slice(i, i + 100).map((c, j) => ({
          tenantId,
          runId: created.id,
          seq: i + j,
          userIds: c.userIds,
          size: c.userIds.length,
          text: c.text,
        })),
      );
    await tx
      .update(garbagePushRuns)
      .set({
        totalChunks: chunks.length,
        totalRecipients: chunks.reduce((n, c) => n + c.userIds.length, 0),
        finishedAt: chunks.length ? null : sql`now()`,
      })
      .where(eq(garbagePushRuns.id, created.id));
    return { runId: created.id, seqs: chunks.map((_, i) => i) };
  });
  if (prepared.seqs.length) await deps.queue.addChunks(tenantId, prepared.runId, prepared.seqs);
  return prepared.seqs.length ? `queued ${prepared.seqs.length}` : "nothing to send";
}

async function markChunk(
  db: Db,
  tenantId: string,
  runId: string,
  seq: number,
  outcome: { sent: true; how: string } | { sent: false; error: string },
) {
  await withTenant(db, tenantId, async (tx) => {
    const [chunk] = await tx
      .update(garbagePushChunks)
      .set(outcome.sent ? { sentAt: sql`now()`, outcome: outcome.how } : { failedAt: sql`now()`, error: outcome.error })
      .where(
        and(
          eq(garbagePushChunks.tenantId, tenantId),
          eq(garbagePushChunks.runId, runId),
          eq(garbagePushChunks.seq, seq),
          isNull(garbagePushChunks.sentAt),
          isNull(garbagePushChunks.failedAt),
        ),
      )
      .returning({ size: garbagePushChunks.size });
    if (!chunk) return;
    if (outcome.sent) await recordUsage(tx, tenantId, "line_messages", chunk.size);
    const [run] = await tx
      .update(garbagePushRuns)
      .set(
        outcome.sent
          ? { sentChunks: sql`${garbagePushRuns.sentChunks} + 1` }
          : { failedChunks: sql`${garbagePushRuns.failedChunks} + 1` },
      )
      .where(and(eq(garbagePushRuns.tenantId, tenantId), eq(garbagePushRuns.id, runId)))
      .returning({
        settled: sql<number>`${garbagePushRuns.sentChunks} + ${garbagePushRuns.failedChunks}`,
        total: garbagePushRuns.totalChunks,
      });
    if (run && Number(run.settled) === run.total)
      await tx
        .update(garbagePushRuns)
        .set({ finishedAt: sql`now()` })
        .where(eq(garbagePushRuns.id, runId));
  });
}

/** Sends one chunk once: an unsent check, the multicast with retryKey (garbage:run:seq), the mark. */
export async function sendGarbagePushChunk(
  deps: PushDeps,
  p: { tenantId: string; runId: string; seq: number },
  opts: { finalAttempt: boolean },
): Promise<string> {
  const { tenantId, runId, seq } = p;
  const prepared = await withTenant(deps.db, tenantId, async (tx) => {
    const [chunk] = await tx
      .select()
      .from(garbagePushChunks)
      .where(
        and(
          eq(garbagePushChunks.tenantId, tenantId),
          eq(garbagePushChunks.runId, runId),
          eq(garbagePushChunks.seq, seq),
        ),
      );
    if (!chunk || chunk.sentAt || chunk.failedAt) return { chunk, creds: null };
    return { chunk, creds: await loadChannelCredentials(tx, deps.key, tenantId) };
  });
  if (!prepared.chunk) return "not-found";
  if (prepared.chunk.sentAt || prepared.chunk.failedAt) return "already-done";
  if (!prepared.creds) {
    await markChunk(deps.db, tenantId, runId, seq, { sent: false, error: "LINEの設定がありません。" });
    return "no-channel";
  }
  const base = deps.line ?? lineApiConfigFromEnv();
  const client = createLineClient(prepared.creds, { ...base, limiter: chainLimiters(base.limiter, deps.pacer) });
  const message = { type: "text", text: prepared.chunk.text } as LineMessage;
  try {
    const r = await client.multicast(prepared.chunk.userIds, [message], {
      retryKey: retryKeyFrom(`garbage:${runId}:${seq}`),
    });
    await markChunk(deps.db, tenantId, runId, seq, { sent: true, how: r.status });
    return r.status;
  } catch (e) {
    if (e instanceof LineApiError && !e.retryable) {
      await markChunk(deps.db, tenantId, runId, seq, {
        sent: false,
        error: `LINEへの送信に失敗しました（${e.kind}）。`,
      });
      return `failed: ${e.kind}`;
    }
    if (opts.finalAttempt)
      await markChunk(deps.db, tenantId, runId, seq, {
        sent: false,
        error: "LINEに接続できないため、送信できませんでした。",
      });
    throw e;
  }
}
