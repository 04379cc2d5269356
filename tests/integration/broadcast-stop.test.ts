import { and, eq } from "drizzle-orm";
import { Worker } from "bullmq";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { auditLog, broadcastChunks, broadcastRuns, broadcasts, usageMonthly, type Tenant } from "#db/schema/index";
import { chunkJobId, chunkQueue } from "#jobs/processors/broadcast/broadcast";
import { processorFor } from "#jobs/processors/index.server";
import { bullPrefix, createQueues, redisConnection } from "#jobs/queues.server";
import { seedFriends } from "#tests/factories/broadcasts";
import { emulatorControl, makeLineChannel, type PlainChannel } from "#tests/factories/line";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";
import { createBroadcast, stopRun } from "~/features/broadcasts/broadcasts.server";
import type { ComposedDraft } from "~/features/broadcasts/compose";
import { sendChunk, startRun, type BroadcastDeps } from "~/features/broadcasts/run.server";
import { startDueBroadcast } from "~/features/broadcasts/sweep.server";
import { unsentRecipients } from "~/features/broadcasts/view";
import type { LineApiConfig } from "~/integrations/line/client.server";
import type { ChannelLimiter } from "~/integrations/line/retry.server";
import { createMailer } from "~/integrations/mail.server";
import { closeRedis } from "~/lib/redis.server";
import * as page from "~/routes/c.$city.admin.broadcasts.$broadcastId";
import { staffContext, tenantContext } from "~/tenants/context";

/**
 * 送信を中止 on a run that is already sending, against the LINE emulator, real Redis (BullMQ) and
 * PostgreSQL: chunks sent before the stop stay sent and counted, chunk jobs that run after it send
 * nothing, a chunk mid-send when the stop lands finishes and is counted, the run ends "cancelled",
 * and a recurring broadcast keeps its schedule.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 9);
let emu: LineEmulator;
let ctl: ReturnType<typeof emulatorControl>;
let city: Tenant;
let channel: PlainChannel;
let line: LineApiConfig;
let queues: ReturnType<typeof createQueues>;
let deps: BroadcastDeps;
// Its own queues: jobs another file left queued under the run's shared prefix (other keys, other
// cities) must not reach this file's workers.
const prefix = `${process.env.REDIS_PREFIX}:stop`;
const actor = { staffUserId: "00000000-0000-4000-8000-000000000002", ip: "127.0.0.1" };
const seg: ComposedDraft["segment"] = {
  match: "all",
  topics: [],
  topicsMatch: "any",
  genders: [],
  ageBands: [],
  areas: ["西地区"],
};
const draft = (d: Partial<ComposedDraft> = {}): ComposedDraft => ({
  title: "中止テスト",
  kind: "text",
  text: "中止テスト",
  segment: seg,
  schedule: { mode: "now" },
  ...d,
});

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  city = await makeTenant(dbs.appDb, { name: "配信中止市", areas: ["西地区"] });
  channel = await makeLineChannel(dbs.appDb, key, city.id);
  await ctl.registerChannel(channel);
  line = { apiBase: emu.url, dataApiBase: emu.url, limiter: null, retry: { sleep: async () => {} } };
  queues = createQueues(process.env.REDIS_URL!, prefix);
  deps = { db: dbs.appDb, key, appOrigin: "https://madoguchi.test", line, queue: chunkQueue(queues), pacer: null };
  // 1,200 friends = chunks of 500, 500 and 200.
  await seedFriends(dbs.appDb, city.id, { count: 1_200, seed: "stop", areas: ["西地区"], topics: [] });
});
afterAll(async () => {
  await queues.close();
  await emu.close();
  await closeRedis();
  await dbs.close();
});

const runRow = async (runId: string) =>
  (await dbs.ownerDb.select().from(broadcastRuns).where(eq(broadcastRuns.id, runId)))[0]!;
const runOf = async (broadcastId: string) =>
  (await dbs.ownerDb.select().from(broadcastRuns).where(eq(broadcastRuns.broadcastId, broadcastId)))[0]!;
const delivered = async (text: string) =>
  (await ctl.sent(channel.channelId))
    .filter((m) => m.kind === "multicast" && m.messages[0]?.text === text)
    .flatMap((m) => m.to);
const chunkIds = async (runId: string, seq: number) =>
  (
    await dbs.ownerDb
      .select()
      .from(broadcastChunks)
      .where(and(eq(broadcastChunks.runId, runId), eq(broadcastChunks.seq, seq)))
  )[0]!.userIds;
const lineUsage = async () =>
  (
    await dbs.ownerDb
      .select()
      .from(usageMonthly)
      .where(and(eq(usageMonthly.tenantId, city.id), eq(usageMonthly.metric, "line_messages")))
  )[0]?.count ?? 0;

/** Runs the worker's real processor on the "broadcast" queue until the given chunk jobs have completed; returns their results. */
async function drainChunks(runId: string, seqs: number[]) {
  const mailer = createMailer("smtp://127.0.0.1:9", "test@madoguchi.example");
  const results = new Map<string, unknown>();
  const worker = new Worker(
    "broadcast",
    processorFor("broadcast", {
      db: dbs.appDb,
      key,
      appOrigin: deps.appOrigin,
      mailer,
      line,
      broadcast: { queue: deps.queue, pacer: null },
    }),
    {
      connection: redisConnection(process.env.REDIS_URL!),
      prefix: bullPrefix(prefix),
      concurrency: 2,
    },
  );
  const failures: string[] = [];
  worker.on("completed", (job, r) => void results.set(job.id!, r));
  worker.on("failed", (job, e) => void failures.push(`${job?.id}: ${e.message}`));
  try {
    const ids = seqs.map((s) => chunkJobId(runId, s));
    for (let i = 0; i < 200 && !ids.every((id) => results.has(id)); i++) await new Promise((r) => setTimeout(r, 50));
    expect(failures).toEqual([]);
    return ids.map((id) => results.get(id));
  } finally {
    await worker.close();
    mailer.close();
  }
}

describe("送信を中止 on a run that is sending", () => {
  it("one chunk sent, then stopped: the other chunk jobs send nothing; counts, state and audit say so", async () => {
    const usageBefore = await lineUsage();
    const created = await createBroadcast(dbs.appDb, {
      tenantId: city.id,
      draft: draft(),
      upload: null,
      actor,
      now: new Date(),
    });
    const b = (created as { id: string }).id;
    const run = await runOf(b);
    // The start job snapshots and queues the three chunk jobs in BullMQ (no worker is running yet).
    expect(await startRun(deps, { tenantId: city.id, runId: run.id })).toBe("queued 3");
    // One chunk goes out (as a worker would send it) …
    expect(await sendChunk(deps, { tenantId: city.id, runId: run.id, seq: 0 }, { finalAttempt: false })).toBe("sent");
    // … then the admin stops the run.
    const stopped = await stopRun(dbs.appDb, { tenantId: city.id, broadcastId: b, runId: run.id, actor });
    expect(stopped).toEqual({ ok: true, sentRecipients: 500, unsentRecipients: 700, recurring: false });
    // The queued chunk jobs now run through the real processor: chunk 0 is done, 1 and 2 are stopped.
    expect(await drainChunks(run.id, [0, 1, 2])).toEqual(["already-done", "cancelled", "cancelled"]);

    const got = await delivered("中止テスト");
    expect(got).toHaveLength(500);
    expect(new Set(got)).toEqual(new Set(await chunkIds(run.id, 0)));
    const done = await runRow(run.id);
    expect(done).toMatchObject({
      status: "cancelled",
      totalRecipients: 1_200,
      sentChunks: 1,
      sentRecipients: 500,
      failedChunks: 0,
      failedRecipients: 0,
    });
    expect(done.finishedAt).not.toBeNull();
    expect(unsentRecipients(done)).toBe(700);
    const unsent = await dbs.ownerDb.select().from(broadcastChunks).where(eq(broadcastChunks.runId, run.id));
    expect(
      unsent
        .filter((c) => !c.sentAt && !c.failedAt)
        .map((c) => c.seq)
        .sort(),
    ).toEqual([1, 2]);
    expect(await lineUsage()).toBe(usageBefore + 500);
    const [bc] = await dbs.ownerDb.select().from(broadcasts).where(eq(broadcasts.id, b));
    expect(bc!.status).toBe("cancelled");
    const audit = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.tenantId, city.id), eq(auditLog.action, "broadcast.run_cancelled"), eq(auditLog.targetId, b)),
      );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toMatchObject({ runId: run.id, ok: true, sentRecipients: 500, unsentRecipients: 700 });

    // A second stop, and a retried start job, change nothing; the stalled-run sweep never picks it up.
    expect((await stopRun(dbs.appDb, { tenantId: city.id, broadcastId: b, runId: run.id, actor })).ok).toBe(false);
    expect(await startRun(deps, { tenantId: city.id, runId: run.id })).toBe("finished");
    expect(await sendChunk(deps, { tenantId: city.id, runId: run.id, seq: 2 }, { finalAttempt: true })).toBe(
      "cancelled",
    );
    expect(await delivered("中止テスト")).toHaveLength(500);
  });

  it("a chunk mid-send when the stop lands finishes and is counted; the run stays cancelled", async () => {
    const created = await createBroadcast(dbs.appDb, {
      tenantId: city.id,
      draft: draft({ text: "競合テスト" }),
      upload: null,
      actor,
      now: new Date(),
    });
    const b = (created as { id: string }).id;
    const run = await runOf(b);
    await startRun({ ...deps, queue: { addChunks: async () => {} } }, { tenantId: city.id, runId: run.id });
    await sendChunk(deps, { tenantId: city.id, runId: run.id, seq: 0 }, { finalAttempt: false });
    // Chunk 1 has passed its checks and waits for its paced slot (it is "in LINE's hands") when the stop commits.
    let release!: () => void;
    let entered!: () => void;
    const inFlight = new Promise<void>((r) => (entered = r));
    const gate: ChannelLimiter = { acquire: () => (entered(), new Promise<void>((r) => (release = r))) };
    const sending = sendChunk(
      { ...deps, pacer: gate },
      { tenantId: city.id, runId: run.id, seq: 1 },
      { finalAttempt: false },
    );
    await inFlight;
    const stopped = await stopRun(dbs.appDb, { tenantId: city.id, broadcastId: b, runId: run.id, actor });
    expect(stopped).toMatchObject({ ok: true, sentRecipients: 500, unsentRecipients: 700 });
    release();
    expect(await sending).toBe("sent");
    expect(await sendChunk(deps, { tenantId: city.id, runId: run.id, seq: 2 }, { finalAttempt: false })).toBe(
      "cancelled",
    );

    const got = await delivered("競合テスト");
    expect(new Set(got)).toEqual(new Set([...(await chunkIds(run.id, 0)), ...(await chunkIds(run.id, 1))]));
    expect(got).toHaveLength(1_000);
    const done = await runRow(run.id);
    expect(done).toMatchObject({ status: "cancelled", sentChunks: 2, sentRecipients: 1_000 });
    expect(unsentRecipients(done)).toBe(200);
  });

  it("stopping a run before its start job ran snapshots and sends nothing", async () => {
    const created = await createBroadcast(dbs.appDb, {
      tenantId: city.id,
      draft: draft({ text: "開始前テスト" }),
      upload: null,
      actor,
      now: new Date(),
    });
    const b = (created as { id: string }).id;
    const run = await runOf(b);
    expect(await stopRun(dbs.appDb, { tenantId: city.id, broadcastId: b, runId: run.id, actor })).toEqual({
      ok: true,
      sentRecipients: 0,
      unsentRecipients: 0,
      recurring: false,
    });
    expect(await startRun(deps, { tenantId: city.id, runId: run.id })).toBe("finished");
    expect(await dbs.ownerDb.select().from(broadcastChunks).where(eq(broadcastChunks.runId, run.id))).toHaveLength(0);
    expect(await delivered("開始前テスト")).toHaveLength(0);
  });

  it("a recurring broadcast: only the current run stops, the next occurrence stays scheduled", async () => {
    const jst = (s: string) => new Date(`${s}+09:00`);
    const rule = { freq: "weekly" as const, weekdays: [3], time: "07:00" };
    const created = await createBroadcast(dbs.appDb, {
      tenantId: city.id,
      draft: draft({ text: "毎週テスト", schedule: { mode: "recur", rule } }),
      upload: null,
      actor,
      now: jst("2030-01-01T00:00:00"),
    });
    const b = (created as { id: string }).id;
    expect(await startDueBroadcast(deps, city.id, b, jst("2030-01-02T07:00:10"))).toBe(true);
    const run = await runOf(b);
    await startRun({ ...deps, queue: { addChunks: async () => {} } }, { tenantId: city.id, runId: run.id });
    await sendChunk(deps, { tenantId: city.id, runId: run.id, seq: 0 }, { finalAttempt: false });
    expect(await stopRun(dbs.appDb, { tenantId: city.id, broadcastId: b, runId: run.id, actor })).toMatchObject({
      ok: true,
      recurring: true,
      sentRecipients: 500,
    });
    expect(await sendChunk(deps, { tenantId: city.id, runId: run.id, seq: 1 }, { finalAttempt: false })).toBe(
      "cancelled",
    );
    const [bc] = await dbs.ownerDb.select().from(broadcasts).where(eq(broadcasts.id, b));
    expect(bc).toMatchObject({ status: "scheduled", nextRunAt: jst("2030-01-09T07:00:00"), cancelledAt: null });
    expect((await runRow(run.id)).status).toBe("cancelled");
    // The next slot still starts a new run.
    expect(await startDueBroadcast(deps, city.id, b, jst("2030-01-09T07:00:10"))).toBe(true);
    expect(await dbs.ownerDb.select().from(broadcastRuns).where(eq(broadcastRuns.broadcastId, b))).toHaveLength(2);
  });

  it("the broadcast page: 送信を中止 (a form with the run id) stops the latest run and says what went out", async () => {
    const admin = await makeStaff(dbs.appDb, { tenantId: city.id, role: "admin" });
    const created = await createBroadcast(dbs.appDb, {
      tenantId: city.id,
      draft: draft({ text: "画面テスト" }),
      upload: null,
      actor: { staffUserId: admin.user.id, ip: null },
      now: new Date(),
    });
    const b = (created as { id: string }).id;
    const run = await runOf(b);
    await startRun({ ...deps, queue: { addChunks: async () => {} } }, { tenantId: city.id, runId: run.id });
    await sendChunk(deps, { tenantId: city.id, runId: run.id, seq: 0 }, { finalAttempt: false });
    const context = new RouterContextProvider();
    context.set(tenantContext, city);
    context.set(staffContext, { user: admin.user, membership: admin.membership, sessionId: "s" });
    const url = `http://madoguchi.test/c/${city.slug}/admin/broadcasts/${b}`;
    const args = (request: Request) =>
      ({ request, context, params: { city: city.slug, broadcastId: b }, unstable_pattern: "" }) as never;
    const answer = await page.action(
      args(new Request(url, { method: "POST", body: new URLSearchParams({ intent: "stop-run", runId: run.id }) })),
    );
    expect(answer).toEqual({
      ok: true,
      message: expect.stringMatching(/^送信を中止しました。500人に送信済み・700人は未送信です/),
    });
    const shown = await page.loader(args(new Request(url)));
    expect(shown.broadcast.status).toBe("cancelled");
    expect(shown.runs[0]).toMatchObject({
      id: run.id,
      status: "cancelled",
      sentRecipients: 500,
      totalRecipients: 1_200,
    });
    expect(await sendChunk(deps, { tenantId: city.id, runId: run.id, seq: 1 }, { finalAttempt: false })).toBe(
      "cancelled",
    );
  });
});
