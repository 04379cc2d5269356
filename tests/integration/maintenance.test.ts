import { createServer } from "node:net";
import { Worker } from "bullmq";
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import {
  auditLog,
  broadcastChunks,
  broadcastRuns,
  broadcasts,
  deliveries,
  lineFriendSnapshots,
  lineFriends,
  lineWebhookEvents,
  outbox,
  vendorAuditLog,
} from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { QUEUES } from "#jobs/catalogue";
import { startHealthServer, workerHealth } from "#jobs/health.server";
import { snapshotFriendCounts, snapshotTenantFriendCounts } from "#jobs/processors/maintenance/friend-snapshots";
import { purgeRetention } from "#jobs/processors/maintenance/purge-retention";
import { bullPrefix, createQueues, redisConnection } from "#jobs/queues.server";
import { friendDashboard, recentSnapshots, snapshotNow } from "~/features/friend-stats/friend-stats.server";
import { tokyoDateOf } from "~/lib/japan-time";
import { listFailedJobs, retryFailedJob } from "~/features/jobs-admin/failed-jobs.server";
import { AGE_OPTIONS, GENDER_OPTIONS } from "~/features/line/survey-messages";
import { makeStaff, makeVendor } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

const dbs = testDbs();
const queues = createQueues(process.env.REDIS_URL!, process.env.REDIS_PREFIX!);
afterAll(async () => {
  await queues.close();
  await dbs.close();
});

async function friend(tenantId: string, n: number, attrs: Partial<typeof lineFriends.$inferInsert>) {
  const rows = Array.from({ length: n }, (_, i) => ({
    tenantId,
    lineUserId: `U${crypto.randomUUID().replace(/-/g, "")}${i}`,
    ...attrs,
  }));
  await withTenant(dbs.appDb, tenantId, (tx) => tx.insert(lineFriends).values(rows));
}

describe("friend-count snapshots", () => {
  it("fans out one outbox job per active city and writes one row per city and day, however often it runs", async () => {
    const city = await makeTenant(dbs.appDb, { status: "active", areas: ["港", "本町"] });
    const dormant = await makeTenant(dbs.appDb, { status: "onboarding" });
    await friend(city.id, 3, { ageBand: "30s", gender: "female", area: "港" });
    await friend(city.id, 2, { ageBand: "70plus", gender: "male" });
    await friend(city.id, 1, { status: "blocked", ageBand: "20s" });

    const fan = await snapshotFriendCounts({ db: dbs.appDb }, { day: "2026-04-01" });
    expect(fan.cities).toBeGreaterThanOrEqual(1);
    const rows = await dbs.ownerDb.select().from(outbox).where(eq(outbox.jobName, "snapshot-tenant-friend-counts"));
    expect(rows.filter((r) => r.tenantId === city.id).map((r) => r.payload)).toEqual([
      { tenantId: city.id, day: "2026-04-01" },
    ]);
    expect(rows.some((r) => r.tenantId === dormant.id)).toBe(false);

    expect(await snapshotTenantFriendCounts({ db: dbs.appDb }, { tenantId: city.id, day: "2026-04-01" })).toEqual({
      day: "2026-04-01",
      following: 5,
      blocked: 1,
    });
    await friend(city.id, 4, { gender: "other", area: "本町" });
    await snapshotTenantFriendCounts({ db: dbs.appDb }, { tenantId: city.id, day: "2026-04-01" });
    await snapshotTenantFriendCounts({ db: dbs.appDb }, { tenantId: city.id, day: "2026-04-02" });
    const snaps = await dbs.ownerDb.select().from(lineFriendSnapshots).where(eq(lineFriendSnapshots.tenantId, city.id));
    expect(snaps).toHaveLength(2);
    const first = snaps.find((s) => s.day === "2026-04-01")!;
    expect(first).toMatchObject({
      following: 9,
      blocked: 1,
      byAgeBand: { "30s": 3, "70plus": 2, unknown: 4 },
      byGender: { female: 3, male: 2, other: 4 },
      byArea: { 港: 3, 本町: 4, unknown: 2 },
    });

    // The dashboard's view: newest first from the query, oldest first in the trend; labels in Japanese.
    const view = friendDashboard(await withTenant(dbs.appDb, city.id, (tx) => recentSnapshots(tx, city.id)), {
      ageBands: AGE_OPTIONS,
      genders: GENDER_OPTIONS,
      areas: city.areas,
    });
    expect(view.trend.map((t) => t.day)).toEqual(["2026-04-01", "2026-04-02"]);
    expect(view.latest!.breakdowns.find((b) => b.title === "地区")!.rows).toEqual([
      { label: "港", count: 3 },
      { label: "本町", count: 4 },
      { label: "未回答", count: 2 },
    ]);
  });

  it("「今すぐ集計する」 takes today's (Japan time) row at once and audits who asked", async () => {
    const city = await makeTenant(dbs.appDb, { status: "active" });
    const analyst = await makeStaff(dbs.appDb, { tenantId: city.id, role: "analyst" });
    await friend(city.id, 2, { gender: "female" });
    const now = new Date("2026-04-30T16:30:00Z"); // 01:30 on 1 May in Japan
    const s = await snapshotNow(dbs.appDb, { tenantId: city.id, staffUserId: analyst.user.id, ip: "203.0.113.4" }, now);
    expect(s).toMatchObject({ day: tokyoDateOf(now), following: 2 });
    expect(s.day).toBe("2026-05-01");
    const audit = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, "friends.snapshot")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: analyst.user.id, detail: { day: "2026-05-01" } });
  });
});

describe("retention purge", () => {
  it("deletes webhook events and delivery keys past the period, keeps recent ones, and never goes below 7 days", async () => {
    const city = await makeTenant(dbs.appDb, { status: "active" });
    const now = new Date("2026-06-30T00:00:00Z");
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    await withTenant(dbs.appDb, city.id, async (tx) => {
      for (const [label, age] of [
        ["old", 40],
        ["recent", 20],
        ["fresh", 3],
      ] as const) {
        await tx.insert(lineWebhookEvents).values({
          tenantId: city.id,
          webhookEventId: `${label}-${city.id}`,
          type: "message",
          payload: { text: "個人的な内容" },
          receivedAt: daysAgo(age),
        });
        await tx
          .insert(deliveries)
          .values({ key: `${label}:${city.id}`, tenantId: city.id, channel: "mail", deliveredAt: daysAgo(age) });
      }
    });
    const kept = async () => ({
      events: (await dbs.ownerDb.select().from(lineWebhookEvents).where(eq(lineWebhookEvents.tenantId, city.id)))
        .map((e) => e.webhookEventId.split("-")[0])
        .sort(),
      keys: (await dbs.ownerDb.select().from(deliveries).where(eq(deliveries.tenantId, city.id)))
        .map((d) => d.key.split(":")[0])
        .sort(),
    });
    const r = await purgeRetention({ db: dbs.appDb }, { retentionDays: 30, now });
    expect(r.webhookEvents).toBeGreaterThanOrEqual(1);
    expect(await kept()).toEqual({ events: ["fresh", "recent"], keys: ["fresh", "recent"] });
    // A misconfigured 1 day is raised to 7: the 3-day-old event still dedupes LINE's redelivery.
    expect((await purgeRetention({ db: dbs.appDb }, { retentionDays: 1, now })).days).toBe(7);
    expect(await kept()).toEqual({ events: ["fresh"], keys: ["fresh"] });
  });
});

describe("retention purge of broadcast recipient lists", () => {
  it("empties the LINE user ids of chunks settled before the period, keeping their counts; unsent and recent chunks keep theirs", async () => {
    const city = await makeTenant(dbs.appDb, { status: "active" });
    const now = new Date("2026-06-30T00:00:00Z");
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    const runId = await withTenant(dbs.appDb, city.id, async (tx) => {
      const [b] = await tx
        .insert(broadcasts)
        .values({
          tenantId: city.id,
          title: "ごみの日",
          messageKind: "text",
          content: { text: "明日は燃えるごみの日です" } as never,
          segment: {} as never,
          status: "sent",
        })
        .returning();
      const [run] = await tx
        .insert(broadcastRuns)
        .values({ tenantId: city.id, broadcastId: b!.id, scheduledFor: daysAgo(40), status: "sent" })
        .returning();
      await tx.insert(broadcastChunks).values([
        { tenantId: city.id, runId: run!.id, seq: 0, userIds: ["U1", "U2"], size: 2, sentAt: daysAgo(40) },
        { tenantId: city.id, runId: run!.id, seq: 1, userIds: ["U3"], size: 1, failedAt: daysAgo(35) },
        { tenantId: city.id, runId: run!.id, seq: 2, userIds: ["U4"], size: 1, sentAt: daysAgo(5) },
        { tenantId: city.id, runId: run!.id, seq: 3, userIds: ["U5"], size: 1 },
      ]);
      return run!.id;
    });
    const r = await purgeRetention({ db: dbs.appDb }, { retentionDays: 30, now });
    expect(r.broadcastRecipientLists).toBe(2);
    const chunks = await dbs.ownerDb
      .select()
      .from(broadcastChunks)
      .where(eq(broadcastChunks.runId, runId))
      .orderBy(broadcastChunks.seq);
    expect(chunks.map((c) => [c.seq, c.userIds, c.size])).toEqual([
      [0, [], 2],
      [1, [], 1],
      [2, ["U4"], 1],
      [3, ["U5"], 1],
    ]);
  });
});

async function freePort() {
  return new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe("worker health", () => {
  it("answers /healthz with PostgreSQL, Redis and queue counts; degraded (503) when Redis is unreachable", async () => {
    const port = await freePort();
    const server = startHealthServer({ port, host: "127.0.0.1", db: dbs.appDb, queues, log: () => {} })!;
    await new Promise((r) => server.once("listening", r));
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        status: string;
        postgres: string;
        redis: string;
        queues: Record<string, { failed: number }>;
      };
      expect(body).toMatchObject({ status: "ok", postgres: "ok", redis: "ok" });
      expect(Object.keys(body.queues).sort()).toEqual([...QUEUES].sort());
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
    } finally {
      server.close();
    }
    const dead = createQueues(`redis://127.0.0.1:${await freePort()}`, "mdgtest:dead");
    try {
      expect(await workerHealth(dbs.appDb, dead)).toMatchObject({ status: "degraded", postgres: "ok", redis: "down" });
    } finally {
      await dead.close();
    }
  });
});

describe("failed jobs for vendor staff", () => {
  it("lists a failed job with its city and a truncated reason, and retries it with an audit entry", async () => {
    const city = await makeTenant(dbs.appDb, { status: "active", name: "失敗テスト市" });
    const vendor = await makeVendor(dbs.appDb);
    const jobId = `test-fail-${city.id}`;
    // A worker on the test prefix whose processor always throws, so the job lands in "failed".
    const worker = new Worker(
      "maintenance",
      async () => {
        throw new Error(`boom ${"x".repeat(400)}`);
      },
      { connection: redisConnection(process.env.REDIS_URL!), prefix: bullPrefix(process.env.REDIS_PREFIX!) },
    );
    const failed = new Promise<void>((resolve) => worker.on("failed", (job) => job?.id === jobId && resolve()));
    await queues.add("snapshot-tenant-friend-counts", { tenantId: city.id, day: "2026-04-03" }, { jobId, attempts: 1 });
    await failed;
    await worker.close();

    const list = await listFailedJobs(dbs.appDb, queues);
    if (!list.ok) throw new Error("redis down?");
    const row = list.jobs.find((j) => j.id === jobId)!;
    expect(row).toMatchObject({
      queue: "maintenance",
      name: "snapshot-tenant-friend-counts",
      cityName: "失敗テスト市",
      attemptsMade: 1,
    });
    expect(row.failedReason.length).toBeLessThanOrEqual(201);
    expect(JSON.stringify(row)).not.toContain("2026-04-03");

    const r = await retryFailedJob(
      dbs.appDb,
      { vendorUserId: vendor.user.id, ip: "203.0.113.5", queue: "maintenance", jobId },
      queues,
    );
    expect(r.ok).toBe(true);
    expect(await (await queues.queues.maintenance.getJob(jobId))!.getState()).toBe("waiting");
    expect(
      (await retryFailedJob(dbs.appDb, { vendorUserId: vendor.user.id, queue: "maintenance", jobId }, queues)).ok,
    ).toBe(false);
    const audit = await dbs.ownerDb
      .select()
      .from(vendorAuditLog)
      .where(and(eq(vendorAuditLog.vendorUserId, vendor.user.id), eq(vendorAuditLog.action, "job.retry")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ tenantId: city.id, detail: { queue: "maintenance", jobId } });
    await queues.queues.maintenance.remove(jobId);
  });
});
