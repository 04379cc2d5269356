import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { auditLog, garbagePushChunks, garbagePushRuns, type Tenant } from "#db/schema/index";
import { addException, setPushTime } from "~/features/garbage/garbage.server";
import { sendGarbagePushChunk, sweepGarbagePush, type PushDeps } from "~/features/garbage/push.server";
import { addFriend } from "#tests/factories/broadcasts";
import { importGarbageFixture } from "#tests/factories/garbage";
import { emulatorControl, makeLineChannel, type PlainChannel } from "#tests/factories/line";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * Issue 16 part B, item 4: 「明日は〇〇の日です」 the evening before, to friends who chose ごみ, in
 * their language, once per friend per day, never on exception days — through the LINE emulator.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 9);
let emu: LineEmulator;
let ctl: ReturnType<typeof emulatorControl>;
let city: Tenant;
let channel: PlainChannel;
let deps: PushDeps;
const queued: { runId: string; seq: number }[] = [];
const U = (n: number) => `U${n.toString(16).padStart(32, "0")}`;
const jst = (date: string, time: string) => new Date(`${date}T${time}:00+09:00`);

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  city = await makeTenant(dbs.appDb, { name: "ごみ配信テスト市", areas: ["打田", "粉河", "那賀", "桃山", "貴志川"] });
  channel = await makeLineChannel(dbs.appDb, key, city.id);
  await ctl.registerChannel(channel);
  await importGarbageFixture(dbs.appDb, city);
  deps = {
    db: dbs.appDb,
    key,
    line: { apiBase: emu.url, dataApiBase: emu.url, limiter: null, retry: { sleep: async () => {} } },
    queue: { addChunks: async (_t, runId, seqs) => void queued.push(...seqs.map((seq) => ({ runId, seq }))) },
    pacer: null,
  };
  await addFriend(dbs.appDb, city.id, { lineUserId: U(1), area: "打田", topics: ["garbage"] });
  await addFriend(dbs.appDb, city.id, { lineUserId: U(2), area: "打田", topics: ["garbage", "events"] });
  await dbs.ownerDb.execute(sql`update line_friends set language = 'en' where line_user_id = ${U(2)}`);
  await addFriend(dbs.appDb, city.id, { lineUserId: U(3), area: "打田", topics: ["events"] });
  await addFriend(dbs.appDb, city.id, { lineUserId: U(4), area: "粉河", topics: ["garbage"] });
  await addFriend(dbs.appDb, city.id, { lineUserId: U(5), area: "打田", topics: ["garbage"], status: "blocked" });
});
afterAll(async () => {
  await emu.close();
  await dbs.close();
});

async function drain() {
  const out = [];
  while (queued.length)
    out.push(await sendGarbagePushChunk(deps, { tenantId: city.id, ...queued.shift()! }, { finalAttempt: false }));
  return out;
}
const sentTo = async () => (await ctl.sent(channel.channelId)).filter((m) => m.kind === "multicast");

describe("evening-before garbage push", () => {
  it("nothing before the city sets a time or before that time", async () => {
    expect(await sweepGarbagePush(deps, jst("2026-12-09", "19:00"))).toBe("started 0");
    expect(await setPushTime(dbs.appDb, city.id, "18:00", { staffUserId: null })).toBe(true);
    expect(await sweepGarbagePush(deps, jst("2026-12-09", "17:59"))).toBe("started 0");
    expect(queued).toEqual([]);
    const audits = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, "garbage.push-time")));
    expect(audits).toHaveLength(1);
  });

  it("at the time: tomorrow's categories per area, in each friend's language, to the ごみ topic only", async () => {
    expect(await sweepGarbagePush(deps, jst("2026-12-09", "18:00"))).toBe("started 1");
    expect(await drain()).toEqual(["sent", "sent", "sent"]);
    const sent = await sentTo();
    const byUser = new Map(sent.flatMap((m) => m.to.map((u) => [u, m] as const)));
    expect([...byUser.keys()].sort()).toEqual([U(1), U(2), U(4)]);
    // Thu 12/10: 打田 燃やすごみ (月 木); 粉河 古紙・古布 (2nd Thursday).
    expect(byUser.get(U(1))!.messages[0]!.text).toBe(
      "【ごみの日のお知らせ】\n明日（12月10日（木））は燃やすごみの日です。",
    );
    expect(byUser.get(U(2))!.messages[0]!.text).toBe(
      "[Garbage day reminder]\nTomorrow (Thu 12/10) is the day for: 燃やすごみ.",
    );
    expect(byUser.get(U(4))!.messages[0]!.text).toContain("古紙・古布の日です");
    expect(new Set(sent.map((m) => m.retryKey)).size).toBe(3);
  });

  it("once per friend per day: later sweeps and a repeated chunk send nothing more", async () => {
    const before = (await sentTo()).length;
    expect(await sweepGarbagePush(deps, jst("2026-12-09", "18:05"))).toBe("started 0");
    expect(await sweepGarbagePush(deps, jst("2026-12-09", "23:59"))).toBe("started 0");
    const [run] = await dbs.ownerDb
      .select()
      .from(garbagePushRuns)
      .where(and(eq(garbagePushRuns.tenantId, city.id), eq(garbagePushRuns.collectionDate, "2026-12-10")));
    expect(run).toMatchObject({ totalChunks: 3, sentChunks: 3, totalRecipients: 3 });
    expect(run!.finishedAt).not.toBeNull();
    expect(
      await sendGarbagePushChunk(deps, { tenantId: city.id, runId: run!.id, seq: 0 }, { finalAttempt: false }),
    ).toBe("already-done");
    expect((await sentTo()).length).toBe(before);
  });

  it("a chunk whose job was lost is resumed by the next sweep, with the same retry key", async () => {
    // Fri 12/11: 粉河 燃やすごみ (火 金) only.
    expect(await sweepGarbagePush(deps, jst("2026-12-10", "18:00"))).toBe("started 1");
    queued.length = 0; // the job vanished (Redis lost it)
    expect(await sweepGarbagePush(deps, jst("2026-12-10", "18:01"))).toBe("started 1");
    expect(await drain()).toEqual(["sent"]);
    const last = (await sentTo()).at(-1)!;
    expect(last.to).toEqual([U(4)]);
    expect(last.messages[0]!.text).toContain("燃やすごみの日です");
  });

  it("never on exception days", async () => {
    await addException(
      dbs.appDb,
      city.id,
      { date: "2026-12-15", category: null, note: "臨時休止" },
      { staffUserId: null },
    );
    const before = (await sentTo()).length;
    // Tue 12/15 would be 打田 資源 and 粉河 燃やすごみ: the exception cancels both.
    await sweepGarbagePush(deps, jst("2026-12-14", "18:30"));
    await drain();
    expect((await sentTo()).length).toBe(before);
    const chunks = await dbs.ownerDb.select().from(garbagePushChunks).where(eq(garbagePushChunks.tenantId, city.id));
    expect(chunks.some((c) => c.text.includes("12月15日"))).toBe(false);
  });
});

describe("retention", () => {
  it("the daily purge drops settled push chunks (their LINE user ids) and keeps the runs' counts", async () => {
    const { purgeRetention } = await import("#jobs/processors/maintenance/purge-retention");
    const r = await purgeRetention(
      { db: dbs.appDb },
      { retentionDays: 7, now: new Date(Date.now() + 30 * 86_400_000) },
    );
    expect(r.garbagePushLists).toBeGreaterThanOrEqual(4);
    expect(await dbs.ownerDb.select().from(garbagePushChunks).where(eq(garbagePushChunks.tenantId, city.id))).toEqual(
      [],
    );
    const runs = await dbs.ownerDb.select().from(garbagePushRuns).where(eq(garbagePushRuns.tenantId, city.id));
    expect(runs.find((x) => x.collectionDate === "2026-12-10")).toMatchObject({ sentChunks: 3, totalRecipients: 3 });
  });
});

describe("through the worker's processor and BullMQ", () => {
  it("the sweep job queues chunk jobs that the same queue's processor sends", async () => {
    const { Worker } = await import("bullmq");
    const { processorFor } = await import("#jobs/processors/index.server");
    const { garbagePushQueue } = await import("#jobs/processors/garbage/garbage-push");
    const { bullPrefix, createQueues, redisConnection } = await import("#jobs/queues.server");
    const { createMailer } = await import("~/integrations/mail.server");
    // A private prefix: other test files' broadcast jobs (their cities, their keys) must not reach this worker.
    const prefix = `${process.env.REDIS_PREFIX!}-garbage-${Date.now()}`;
    const queues = createQueues(process.env.REDIS_URL!, prefix);
    const mailer = createMailer("smtp://127.0.0.1:9", "test@madoguchi.example");
    const done: string[] = [];
    const failures: string[] = [];
    const worker = new Worker(
      "broadcast",
      processorFor("broadcast", {
        db: dbs.appDb,
        key,
        appOrigin: "https://madoguchi.test",
        mailer,
        line: deps.line,
        broadcast: { queue: { addChunks: async () => {} }, pacer: null },
        garbagePush: garbagePushQueue(queues),
      }),
      { connection: redisConnection(process.env.REDIS_URL!), prefix: bullPrefix(prefix), concurrency: 2 },
    );
    worker.on("completed", (job) => void done.push(job.name));
    worker.on("failed", (job, e) => void failures.push(`${job?.name}: ${e.message}`));
    try {
      const before = (await sentTo()).length;
      // Wed 12/16 18:00 → Thu 12/17: 打田 燃やすごみ, for U1 (ja) and U2 (en).
      await queues.queues.broadcast.add("sweep-garbage-push", { at: "2026-12-16T18:00:00+09:00" });
      for (let i = 0; i < 200 && done.filter((n) => n === "send-garbage-push-chunk").length < 2; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(failures).toEqual([]);
      const sent = (await sentTo()).slice(before);
      expect(sent.flatMap((m) => m.to).sort()).toEqual([U(1), U(2)]);
    } finally {
      await worker.close();
      await queues.close();
      mailer.close();
    }
  });
});
