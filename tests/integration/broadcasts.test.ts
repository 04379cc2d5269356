import { and, eq, sql } from "drizzle-orm";
import { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { broadcastChunks, broadcastRuns, broadcasts, outbox, usageMonthly, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { chunkQueue } from "#jobs/processors/broadcast/broadcast";
import { processorFor } from "#jobs/processors/index.server";
import { bullPrefix, createQueues, redisConnection } from "#jobs/queues.server";
import { relayOutboxOnce } from "#jobs/relay.server";
import { addFriend, seedFriends } from "#tests/factories/broadcasts";
import { emulatorControl, makeLineChannel, type PlainChannel } from "#tests/factories/line";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";
import { cancelBroadcast, countRecipients, createBroadcast } from "~/features/broadcasts/broadcasts.server";
import type { ComposedDraft } from "~/features/broadcasts/compose";
import { sendChunk, startRun, type BroadcastDeps } from "~/features/broadcasts/run.server";
import { sweepBroadcasts } from "~/features/broadcasts/sweep.server";
import { createLineClient, retryKeyFrom, type LineApiConfig } from "~/integrations/line/client.server";
import { createPacer } from "~/integrations/line/pacer.server";
import { createMailer } from "~/integrations/mail.server";
import { closeRedis, getRedis } from "~/lib/redis.server";

/**
 * Broadcasts end to end against the LINE emulator, real Redis (BullMQ) and PostgreSQL: segment
 * counts, the composer's refusals, a send-now run through the worker's processor, exactly-once
 * after a crash between LINE's acceptance and our commit, pacing under the multicast limit, and the
 * sweep's schedules (the clock is a parameter).
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 7);
let emu: LineEmulator;
let ctl: ReturnType<typeof emulatorControl>;
let city: Tenant;
let channel: PlainChannel;
let line: LineApiConfig;
let queues: ReturnType<typeof createQueues>;
let deps: BroadcastDeps;
const prefix = process.env.REDIS_PREFIX!;
const actor = { staffUserId: "00000000-0000-4000-8000-000000000001", ip: "127.0.0.1" };

const seg = (s: Partial<ComposedDraft["segment"]> = {}): ComposedDraft["segment"] => ({
  match: "all",
  topics: [],
  topicsMatch: "any",
  genders: [],
  ageBands: [],
  areas: [],
  ...s,
});
const draft = (d: Partial<ComposedDraft> = {}): ComposedDraft => ({
  title: "テスト配信",
  kind: "text",
  text: "お知らせです",
  segment: seg(),
  schedule: { mode: "now" },
  ...d,
});
const U = (n: number) => `U${n.toString(16).padStart(32, "0")}`;

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  city = await makeTenant(dbs.appDb, { name: "配信テスト市", areas: ["北地区", "南地区", "東地区"] });
  channel = await makeLineChannel(dbs.appDb, key, city.id);
  await ctl.registerChannel(channel);
  line = { apiBase: emu.url, dataApiBase: emu.url, limiter: null, retry: { sleep: async () => {} } };
  queues = createQueues(process.env.REDIS_URL!, prefix);
  deps = { db: dbs.appDb, key, appOrigin: "https://madoguchi.test", line, queue: chunkQueue(queues), pacer: null };
  // Named residents for the segment tests (ids 1–6), plus 1,200 generated friends in "西地区" (no topic).
  await addFriend(dbs.appDb, city.id, {
    lineUserId: U(1),
    gender: "female",
    ageBand: "30s",
    area: "北地区",
    topics: ["garbage"],
  });
  await addFriend(dbs.appDb, city.id, {
    lineUserId: U(2),
    gender: "male",
    ageBand: "30s",
    area: "北地区",
    topics: ["garbage", "events"],
  });
  await addFriend(dbs.appDb, city.id, {
    lineUserId: U(3),
    gender: "female",
    ageBand: "70plus",
    area: "南地区",
    topics: ["events"],
  });
  await addFriend(dbs.appDb, city.id, {
    lineUserId: U(4),
    gender: "female",
    ageBand: "30s",
    area: "南地区",
    topics: [],
  });
  await addFriend(dbs.appDb, city.id, {
    lineUserId: U(5),
    gender: "female",
    ageBand: "30s",
    area: "北地区",
    topics: ["garbage"],
    status: "blocked",
  });
  await addFriend(dbs.appDb, city.id, { lineUserId: U(6), area: "東地区", topics: ["disaster"] });
});
afterAll(async () => {
  await queues.close();
  await emu.close();
  await closeRedis();
  await dbs.close();
});

/** Relays this city's outbox and runs the real processor on the "broadcast" queue until the run settles. */
async function runToEnd(runId: string, wiring: Partial<BroadcastDeps> = {}, concurrency = 4) {
  const mailer = createMailer("smtp://127.0.0.1:9", "test@madoguchi.example");
  const d = { ...deps, ...wiring };
  const worker = new Worker(
    "broadcast",
    processorFor("broadcast", {
      db: d.db,
      key,
      appOrigin: d.appOrigin,
      mailer,
      line: d.line,
      broadcast: { queue: d.queue, pacer: d.pacer ?? null },
    }),
    {
      connection: redisConnection(process.env.REDIS_URL!),
      prefix: bullPrefix(prefix),
      concurrency,
    },
  );
  try {
    await relayOutboxOnce(dbs.appDb, queues, { batch: 1000, tenantId: city.id });
    for (let i = 0; i < 300; i++) {
      const [run] = await dbs.ownerDb.select().from(broadcastRuns).where(eq(broadcastRuns.id, runId));
      if (run && (run.status === "sent" || run.status === "failed")) return run;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("run did not finish");
  } finally {
    await worker.close();
    mailer.close();
  }
}

const runOf = async (broadcastId: string) =>
  (await dbs.ownerDb.select().from(broadcastRuns).where(eq(broadcastRuns.broadcastId, broadcastId)))[0]!;
const recipientsOf = async (since: number) =>
  (await ctl.sent(channel.channelId))
    .filter((m) => m.kind === "multicast" && Date.parse((m as { at?: string }).at ?? "0") >= since)
    .flatMap((m) => m.to);

describe("segments", () => {
  it("counts following friends only, with OR inside a criterion and AND/OR between criteria", async () => {
    const count = (s: Partial<ComposedDraft["segment"]>) => countRecipients(dbs.appDb, city.id, seg(s));
    expect(await count({ topics: ["garbage"] })).toBe(2); // U5 is blocked
    expect(await count({ topics: ["garbage", "events"] })).toBe(3);
    expect(await count({ topics: ["garbage", "events"], topicsMatch: "all" })).toBe(1);
    expect(await count({ genders: ["female"], ageBands: ["30s"] })).toBe(2); // U1, U4
    expect(await count({ genders: ["female"], areas: ["南地区"], match: "any" })).toBe(3); // U1, U3, U4
    expect(await count({ topics: ["garbage"], areas: ["南地区"], match: "all" })).toBe(0);
    expect(await count({})).toBe(5);
  });
});

describe("composing", () => {
  it("refuses a segment that matches nobody and queues nothing", async () => {
    const before = await dbs.ownerDb
      .select({ n: sql<number>`count(*)::int` })
      .from(outbox)
      .where(eq(outbox.tenantId, city.id));
    const r = await createBroadcast(dbs.appDb, {
      tenantId: city.id,
      draft: draft({ segment: seg({ topics: ["childcare"] }) }),
      upload: null,
      actor,
      now: new Date(),
    });
    expect(r).toEqual({ ok: false, errors: { segment: expect.stringContaining("当てはまる友だちがいません") } });
    expect(await dbs.ownerDb.select().from(broadcasts).where(eq(broadcasts.tenantId, city.id))).toHaveLength(0);
    const after = await dbs.ownerDb
      .select({ n: sql<number>`count(*)::int` })
      .from(outbox)
      .where(eq(outbox.tenantId, city.id));
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

describe("sending", () => {
  it("send now: every matching friend receives it once, nobody else; chunks, usage and status are recorded", async () => {
    await seedFriends(dbs.appDb, city.id, { count: 1_200, seed: "west", areas: ["西地区"], topics: [] });
    const since = Date.now();
    // 北地区 OR 西地区: U1, U2 (U5 blocked) + 1,200 generated = 1,202 → chunks of 500, 500, 202.
    const created = await createBroadcast(dbs.appDb, {
      tenantId: city.id,
      draft: draft({ segment: seg({ areas: ["北地区", "西地区"] }) }),
      upload: null,
      actor,
      now: new Date(),
    });
    expect(created.ok).toBe(true);
    const id = (created as { id: string }).id;
    const run = await runToEnd((await runOf(id)).id);
    expect(run).toMatchObject({
      status: "sent",
      totalRecipients: 1_202,
      totalChunks: 3,
      sentChunks: 3,
      sentRecipients: 1_202,
      failedChunks: 0,
    });
    const got = await recipientsOf(since);
    expect(got).toHaveLength(1_202);
    expect(new Set(got).size).toBe(1_202);
    expect(got).toContain(U(1));
    expect(got).not.toContain(U(3));
    expect(got).not.toContain(U(5));
    const records = (await ctl.sent(channel.channelId)).filter((m) => m.kind === "multicast" && m.to.includes(U(1)));
    expect(records.at(-1)!.messages[0]).toEqual({ type: "text", text: "お知らせです" });
    const keys = (await ctl.sent(channel.channelId))
      .filter((m) => m.kind === "multicast")
      .slice(-3)
      .map((m) => m.retryKey);
    expect(new Set(keys)).toEqual(new Set([0, 1, 2].map((s) => retryKeyFrom(`broadcast:${run.id}:${s}`))));
    const [b] = await dbs.ownerDb.select().from(broadcasts).where(eq(broadcasts.id, id));
    expect(b!.status).toBe("sent");
    const usage = await dbs.ownerDb.select().from(usageMonthly).where(eq(usageMonthly.tenantId, city.id));
    expect(usage.find((u) => u.metric === "line_messages")?.count).toBe(1_202);
    expect(usage.find((u) => u.metric === "broadcasts")?.count).toBe(1);
  });

  it("a chunk LINE accepted before the worker died is not delivered twice: the same retry key gets 409 and the chunk is marked", async () => {
    const created = await createBroadcast(dbs.appDb, {
      tenantId: city.id,
      draft: draft({ text: "再送テスト", segment: seg({ areas: ["西地区"] }) }),
      upload: null,
      actor,
      now: new Date(),
    });
    const run = await runOf((created as { id: string }).id);
    const queued: number[] = [];
    await startRun(
      { ...deps, queue: { addChunks: async (_t, _r, seqs) => void queued.push(...seqs) } },
      { tenantId: city.id, runId: run.id },
    );
    expect(queued).toEqual([0, 1, 2]);
    // The "crash": chunk 1 reached LINE with its key, but its mark-sent transaction never committed.
    const [chunk] = await dbs.ownerDb
      .select()
      .from(broadcastChunks)
      .where(and(eq(broadcastChunks.runId, run.id), eq(broadcastChunks.seq, 1)));
    await createLineClient(channel, line).multicast(chunk!.userIds, [{ type: "text", text: "再送テスト" }], {
      retryKey: retryKeyFrom(`broadcast:${run.id}:1`),
    });
    // A repeated start (the crashed start job retried) queues the same chunks again and snapshots nothing new.
    await startRun({ ...deps, queue: { addChunks: async () => {} } }, { tenantId: city.id, runId: run.id });
    expect(await dbs.ownerDb.select().from(broadcastChunks).where(eq(broadcastChunks.runId, run.id))).toHaveLength(3);
    for (const seq of [0, 1, 2])
      await sendChunk(deps, { tenantId: city.id, runId: run.id, seq }, { finalAttempt: false });
    // And a duplicate chunk job after that changes nothing.
    expect(await sendChunk(deps, { tenantId: city.id, runId: run.id, seq: 1 }, { finalAttempt: false })).toBe(
      "already-done",
    );
    const [chunk1] = await dbs.ownerDb
      .select()
      .from(broadcastChunks)
      .where(and(eq(broadcastChunks.runId, run.id), eq(broadcastChunks.seq, 1)));
    expect(chunk1!.outcome).toBe("already-accepted");
    const sends = (await ctl.sent(channel.channelId)).filter(
      (m) => m.kind === "multicast" && m.messages[0]!.text === "再送テスト",
    );
    const all = sends.flatMap((m) => m.to);
    expect(all).toHaveLength(1_200);
    expect(new Set(all).size).toBe(1_200);
    const [done] = await dbs.ownerDb.select().from(broadcastRuns).where(eq(broadcastRuns.id, run.id));
    expect(done).toMatchObject({ status: "sent", sentRecipients: 1_200, sentChunks: 3 });
  });

  it("a chunk still unsent a day after the snapshot is not sent (LINE forgets retry keys after 24 h): recorded as failed", async () => {
    const created = await createBroadcast(dbs.appDb, {
      tenantId: city.id,
      draft: draft({ text: "期限切れテスト", segment: seg({ topics: ["events"] }) }),
      upload: null,
      actor,
      now: new Date(),
    });
    const run = await runOf((created as { id: string }).id);
    await startRun({ ...deps, queue: { addChunks: async () => {} } }, { tenantId: city.id, runId: run.id });
    await dbs.ownerDb
      .update(broadcastRuns)
      .set({ snapshotAt: new Date(Date.now() - 25 * 3600_000) })
      .where(eq(broadcastRuns.id, run.id));
    expect(await sendChunk(deps, { tenantId: city.id, runId: run.id, seq: 0 }, { finalAttempt: false })).toBe(
      "expired",
    );
    expect((await ctl.sent(channel.channelId)).filter((m) => m.messages[0]!.text === "期限切れテスト")).toHaveLength(0);
    const [done] = await dbs.ownerDb.select().from(broadcastRuns).where(eq(broadcastRuns.id, run.id));
    expect(done).toMatchObject({ status: "failed", failedChunks: 1, failedRecipients: 2, sentChunks: 0 });
    expect(done!.error).toContain("二重送信を避けて");
  });

  it("paced at the channel's multicast limit, concurrent chunks draw no 429 from LINE", async () => {
    await ctl.rateLimits(channel.channelId, { multicast: 5 });
    const before = (await (await fetch(`${emu.url}/__emulator/stats?channelId=${channel.channelId}`)).json()) as {
      status429: number;
    };
    await seedFriends(dbs.appDb, city.id, { count: 3_000, seed: "pace", areas: ["中地区"], topics: [] });
    await withTenant(dbs.appDb, city.id, (tx) =>
      tx.execute(sql`update tenants set areas = areas || '["中地区"]'::jsonb where id = ${city.id}`),
    );
    const created = await createBroadcast(dbs.appDb, {
      tenantId: city.id,
      draft: draft({ text: "ペース", segment: seg({ areas: ["中地区"] }) }),
      upload: null,
      actor,
      now: new Date(),
    });
    const pacer = createPacer({ redis: getRedis(), keyPrefix: `${prefix}:rl:test_multicast`, perSecond: 5 });
    // 3,000 recipients = 6 chunks, 8 in flight: without pacing the 6th request inside one second is refused.
    const run = await runToEnd((await runOf((created as { id: string }).id)).id, { pacer }, 8);
    expect(run).toMatchObject({ status: "sent", sentRecipients: 3_000 });
    const after = (await (await fetch(`${emu.url}/__emulator/stats?channelId=${channel.channelId}`)).json()) as {
      status429: number;
    };
    expect(after.status429 - before.status429).toBe(0);
    await ctl.rateLimits(channel.channelId, { multicast: 200 });
  });
});

describe("schedules (the sweep, with the clock as a parameter)", () => {
  const jst = (s: string) => new Date(`${s}+09:00`);

  it("a one-off broadcast starts once when due; a cancelled one never", async () => {
    const t = jst("2030-01-10T09:00:00");
    const made = await createBroadcast(dbs.appDb, {
      tenantId: city.id,
      draft: draft({ schedule: { mode: "once", at: t }, segment: seg({ topics: ["events"] }) }),
      upload: null,
      actor,
      now: jst("2030-01-01T00:00:00"),
    });
    const cancelled = await createBroadcast(dbs.appDb, {
      tenantId: city.id,
      draft: draft({ schedule: { mode: "once", at: t }, segment: seg({ topics: ["events"] }) }),
      upload: null,
      actor,
      now: jst("2030-01-01T00:00:00"),
    });
    const id = (made as { id: string }).id;
    expect(
      await cancelBroadcast(dbs.appDb, { tenantId: city.id, id: (cancelled as { id: string }).id, actor }),
    ).toEqual({ ok: true });
    expect(
      (await cancelBroadcast(dbs.appDb, { tenantId: city.id, id: (cancelled as { id: string }).id, actor })).ok,
    ).toBe(false);
    await sweepBroadcasts(deps, jst("2030-01-10T08:59:00"));
    expect(await dbs.ownerDb.select().from(broadcastRuns).where(eq(broadcastRuns.broadcastId, id))).toHaveLength(0);
    await sweepBroadcasts(deps, jst("2030-01-10T09:00:00"));
    await sweepBroadcasts(deps, jst("2030-01-10T09:01:00"));
    const runs = await dbs.ownerDb.select().from(broadcastRuns).where(eq(broadcastRuns.broadcastId, id));
    expect(runs).toHaveLength(1);
    expect(runs[0]!.scheduledFor).toEqual(t);
    const [b] = await dbs.ownerDb.select().from(broadcasts).where(eq(broadcasts.id, id));
    expect(b).toMatchObject({ status: "sending", nextRunAt: null });
    expect(
      await dbs.ownerDb
        .select()
        .from(broadcastRuns)
        .where(eq(broadcastRuns.broadcastId, (cancelled as { id: string }).id)),
    ).toHaveLength(0);
    const run = await runToEnd(runs[0]!.id);
    expect(run).toMatchObject({ status: "sent", sentRecipients: 2 });
  });

  it("a recurring broadcast runs at each slot and moves to the next; missed slots are skipped, not burst", async () => {
    const rule = { freq: "monthly-nth" as const, weeks: [1, 3], weekday: 3, time: "07:00" };
    const made = await createBroadcast(dbs.appDb, {
      tenantId: city.id,
      draft: draft({ title: "ごみの日", schedule: { mode: "recur", rule }, segment: seg({ topics: ["garbage"] }) }),
      upload: null,
      actor,
      now: jst("2030-01-01T00:00:00"),
    });
    const id = (made as { id: string }).id;
    const next = async () => (await dbs.ownerDb.select().from(broadcasts).where(eq(broadcasts.id, id)))[0]!;
    expect((await next()).nextRunAt).toEqual(jst("2030-01-02T07:00:00"));
    await sweepBroadcasts(deps, jst("2030-01-02T07:00:30"));
    expect(await next()).toMatchObject({ status: "scheduled", nextRunAt: jst("2030-01-16T07:00:00") });
    // The worker was down from the 16th to February: one run for the overdue slot, then the next future one.
    await sweepBroadcasts(deps, jst("2030-02-03T12:00:00"));
    expect((await next()).nextRunAt).toEqual(jst("2030-02-06T07:00:00"));
    const runs = await dbs.ownerDb.select().from(broadcastRuns).where(eq(broadcastRuns.broadcastId, id));
    expect(runs.map((r) => r.scheduledFor.toISOString()).sort()).toEqual(
      [jst("2030-01-02T07:00:00"), jst("2030-01-16T07:00:00")].map((d) => d.toISOString()),
    );
  });
});
