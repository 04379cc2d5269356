import { randomUUID } from "node:crypto";
import { Queue, Worker, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { lineWebhookEvents, outbox, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { bullPrefix, redisConnection } from "#jobs/queues.server";
import { countWebhookRefusal, webhookRefusals } from "~/features/line/webhook-refusals.server";
import { handleLineWebhook } from "~/features/line/webhook.server";
import { bookSlot } from "~/features/reservations/booking.server";
import { healthQueues } from "~/features/tenant-health/queue-counts.server";
import { tenantHealth, type HealthDeps } from "~/features/tenant-health/health.server";
import { tokyoMidnight } from "~/lib/japan-time";
import { recordUsage } from "~/features/usage/record.server";
import { emulatorControl, fakeChannel, makeLineChannel, webhookBody } from "#tests/factories/line";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * The vendor's tenant-health table against the real database, Redis (BullMQ queues and counters)
 * and the LINE emulator: each figure comes from where the platform records it, per city, and the
 * worst city comes first.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 5);
const prefix = process.env.REDIS_PREFIX!;
let redis: Redis;
let emu: LineEmulator;
let queues: Queue[];
let healthy: Tenant;
let broken: Tenant;
let unset: Tenant;
let healthyChannel: ReturnType<typeof fakeChannel>;
const added: { queue: Queue; id: string }[] = [];

const deps = (): HealthDeps => ({ db: dbs.appDb, key, redis, redisPrefix: prefix, queues, lineApiBase: emu.url });
const mine = async () =>
  (await tenantHealth(deps())).filter((r) => [healthy.id, broken.id, unset.id].includes(r.tenantId));

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
  emu = await startLineEmulator({ port: 0 });
  queues = healthQueues(redis, prefix);
  healthy = await makeTenant(dbs.appDb, { name: "健康市" });
  broken = await makeTenant(dbs.appDb, { name: "不調市" });
  unset = await makeTenant(dbs.appDb, { name: "未設定町" });
  await makeTenant(dbs.appDb, { name: "準備中村", status: "onboarding" });
  healthyChannel = await makeLineChannel(dbs.appDb, key, healthy.id, fakeChannel(`health-ok-${Date.now()}`));
  await emulatorControl(emu.url).registerChannel(healthyChannel);
  // The broken city's token is unknown to LINE (revoked).
  await makeLineChannel(dbs.appDb, key, broken.id, fakeChannel(`health-bad-${Date.now()}`));

  // Two bookings today in the healthy city.
  const service = await makeService(dbs.appDb, healthy.id);
  const venue = await makeVenue(dbs.appDb, healthy.id);
  const slot = await makeSlot(dbs.appDb, healthy.id, {
    venueId: venue.id,
    serviceId: service.id,
    startsAt: new Date(Date.now() + 3 * 86_400_000),
  });
  const people = await makeTicketHolders(dbs.appDb, healthy.id, [
    { ticketNumber: "7100000001", birthDate: "1950-01-01" },
    { ticketNumber: "7100000002", birthDate: "1951-01-01" },
  ]);
  for (const h of people) {
    const r = await bookSlot(dbs.appDb, {
      tenantId: healthy.id,
      slotId: slot.id,
      ticketHolderId: h.id,
      channel: "web",
      contact: { name: "健康 太郎", phone: "", email: "" },
      idempotencyKey: randomUUID(),
    });
    expect(r.ok).toBe(true);
  }
  await withTenant(dbs.appDb, healthy.id, (tx) => recordUsage(tx, healthy.id, "broadcasts", 1));

  // The broken city: failed events (one with a reply error, one never processed and stale), and
  // events that do not count (fresh and unprocessed; older than 24 h); an outbox row not relayed yet.
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
  await withTenant(dbs.appDb, broken.id, async (tx) => {
    const ev = (over: Partial<typeof lineWebhookEvents.$inferInsert>) => ({
      tenantId: broken.id,
      webhookEventId: randomUUID(),
      type: "message",
      payload: {},
      ...over,
    });
    await tx
      .insert(lineWebhookEvents)
      .values([
        ev({ receivedAt: minutesAgo(60), processedAt: minutesAgo(59), error: "reply: server (500)" }),
        ev({ receivedAt: minutesAgo(30) }),
        ev({ receivedAt: minutesAgo(1) }),
        ev({ receivedAt: minutesAgo(25 * 60), error: "reply: server (500)" }),
      ]);
    await tx.insert(outbox).values({
      tenantId: broken.id,
      jobName: "process-line-event",
      payload: { tenantId: broken.id, eventId: randomUUID() },
      availableAt: new Date(Date.now() + 3_600_000),
    });
  });
});

afterAll(async () => {
  for (const { queue, id } of added) await (await queue.getJob(id))?.remove().catch(() => {});
  await Promise.all(queues.map((q) => q.close()));
  redis.disconnect();
  await emu.close();
  await dbs.close();
});

describe("webhook refusals", () => {
  it("the webhook reports a bad signature of a known city to its refusal hook, and not an unknown city", async () => {
    const seen: [string, number][] = [];
    const body = Buffer.from(webhookBody([]));
    const r = await handleLineWebhook(
      { tenantId: broken.id, rawBody: body, signature: "forged", method: "POST" },
      { db: dbs.appDb, key, onRefused: (id, status) => seen.push([id, status]) },
    );
    expect(r.status).toBe(401);
    const unknown = await handleLineWebhook(
      { tenantId: randomUUID(), rawBody: body, signature: "forged", method: "POST" },
      { db: dbs.appDb, key, onRefused: (id, status) => seen.push([id, status]) },
    );
    expect(unknown.status).toBe(404);
    expect(seen).toEqual([[broken.id, 401]]);
  });

  it("hourly counters sum the last 24 hours only, per city", async () => {
    const now = Date.now();
    await countWebhookRefusal(redis, prefix, broken.id, now);
    await countWebhookRefusal(redis, prefix, broken.id, now - 23 * 3_600_000);
    await countWebhookRefusal(redis, prefix, broken.id, now - 25 * 3_600_000);
    const sums = await webhookRefusals(redis, prefix, [broken.id, healthy.id], now);
    expect(sums.get(broken.id)).toBe(2);
    expect(sums.get(healthy.id)).toBe(0);
  });
});

describe("the health table", () => {
  it("counts per city from the database, queues, Redis and LINE, and puts the worst city first", async () => {
    const mail = queues.find((q) => q.name === "mail")!;
    // A job waiting (delayed) for the healthy city, and one that failed for good for the broken one.
    const waiting = await mail.add(
      "send-staff-invitation",
      { tenantId: healthy.id, invitationId: randomUUID() },
      { delay: 3_600_000 },
    );
    added.push({ queue: mail, id: waiting.id! });
    const failingQueue = new Queue("line", { connection: redis, prefix: bullPrefix(prefix) });
    const events = new QueueEvents("line", {
      connection: redisConnection(process.env.REDIS_URL!),
      prefix: bullPrefix(prefix),
    });
    await events.waitUntilReady();
    const worker = new Worker(
      "line",
      async (job) => {
        if ((job.data as { tenantId: string }).tenantId === broken.id) throw new Error("LINE said no");
      },
      { connection: redisConnection(process.env.REDIS_URL!), prefix: bullPrefix(prefix) },
    );
    const job = await failingQueue.add(
      "process-line-event",
      { tenantId: broken.id, eventId: randomUUID() },
      { attempts: 1 },
    );
    added.push({ queue: failingQueue, id: job.id! });
    await job.waitUntilFinished(events).catch(() => {});
    await worker.close();
    await events.close();
    await failingQueue.close();

    const rows = await mine();
    expect(rows.map((r) => r.name)).toEqual(["不調市", "未設定町", "健康市"]);
    const [bad, none, good] = rows;
    expect(bad).toMatchObject({
      severity: "critical",
      token: "invalid",
      webhookErrors: 2 + 2,
      failedJobs: 1,
      queueDepth: 1,
      bookingsToday: 0,
      lastBroadcastAt: null,
    });
    expect(none).toMatchObject({ severity: "critical", token: "missing", webhookErrors: 0, failedJobs: 0 });
    // Queue depth: the two bookings' notices in the outbox (not relayed in this test) + the delayed job.
    expect(good).toMatchObject({
      severity: "ok",
      token: "valid",
      webhookErrors: 0,
      failedJobs: 0,
      queueDepth: 3,
      bookingsToday: 2,
      reasons: [],
    });
    expect(good!.lastBroadcastAt).toBeInstanceOf(Date);
    expect(rows.some((r) => r.name === "準備中村")).toBe(false);
  });

  it("caches a token's validity per credentials version: a change on LINE shows after the cache, a new token at once", async () => {
    expect((await mine()).find((r) => r.tenantId === healthy.id)!.token).toBe("valid");
    // LINE revokes the token (the emulator no longer knows it): still "valid" from the cache.
    await emulatorControl(emu.url).registerChannel({
      ...healthyChannel,
      channelAccessToken: `rotated-${randomUUID()}`,
    });
    expect((await mine()).find((r) => r.tenantId === healthy.id)!.token).toBe("valid");
    // The city saves new credentials (the row's version changes): checked again at once.
    await makeLineChannel(dbs.appDb, key, healthy.id, {
      ...healthyChannel,
      channelAccessToken: `also-unknown-${randomUUID()}`,
    });
    const after = (await mine()).find((r) => r.tenantId === healthy.id)!;
    expect(after).toMatchObject({ token: "invalid", severity: "critical" });
  });

  it("Japan's day: bookings count from midnight JST", () => {
    expect(tokyoMidnight(new Date("2026-11-21T14:59:00Z")).toISOString()).toBe("2026-11-20T15:00:00.000Z");
    expect(tokyoMidnight(new Date("2026-11-21T15:00:00Z")).toISOString()).toBe("2026-11-21T15:00:00.000Z");
  });
});
