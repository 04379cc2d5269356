import { and, eq } from "drizzle-orm";
import { Worker, type JobsOptions } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { auditLog, reminderSends, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import type { JobName } from "#jobs/catalogue";
import { processorFor } from "#jobs/processors/index.server";
import { sendReminder } from "#jobs/processors/reminders/send-reminder";
import { bullPrefix, createQueues, redisConnection, type Queues } from "#jobs/queues.server";
import { relayOutboxOnce } from "#jobs/relay.server";
import { recordFollow } from "~/features/line/friends.server";
import { markCalled, viewCallList } from "~/features/reminders/call-list.server";
import { dueAt } from "~/features/reminders/rules";
import { STUCK_AFTER_MS, STUCK_REASON } from "~/features/reminders/stuck.server";
import { sweepReminders } from "~/features/reminders/sweep.server";
import { bookSlot } from "~/features/reservations/booking.server";
import { tokyoDateOf } from "~/lib/japan-time";
import type { LineApiConfig } from "~/integrations/line/client.server";
import { createMailer } from "~/integrations/mail.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { closeRedis } from "~/lib/redis.server";
import { emulatorControl, makeLineChannel, type PlainChannel } from "#tests/factories/line";
import { makeService, makeSlot, makeTicketHolders, makeVenue } from "#tests/factories/reservations";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";
import { relayAndProcess } from "#tests/setup/jobs";

/**
 * A `send-reminder` job whose LINE push fails on every attempt (the emulator's push limit set to 0:
 * every push is answered 429), through the real outbox relay, BullMQ retries and the worker's
 * processor: the ledger row stays "queued" while retries remain, becomes "failed" with a reason on
 * the last attempt, the resident — reachable by LINE on paper — is then on the call list, and
 * neither the sweep nor a stray job sends it afterwards.
 */
const dbs = testDbs();
const key = masterKey(env().MADOGUCHI_MASTER_KEY);
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const DAY_BEFORE = { kind: "days-before", days: 1, at: "10:00" } as const;
const ATTEMPTS = 3;
// Its own queues: jobs another file left queued under the run's shared prefix (other keys, other
// cities) must not reach this file's workers.
const prefix = `${process.env.REDIS_PREFIX}:remfail`;

let emu: LineEmulator;
let ctl: ReturnType<typeof emulatorControl>;
let line: LineApiConfig;
let city: Tenant;
let channel: PlainChannel;
let operator: Awaited<ReturnType<typeof makeStaff>>;

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  line = { apiBase: emu.url, dataApiBase: emu.url, limiter: null, retry: { sleep: async () => {} } };
  city = await makeTenant(dbs.appDb, { name: "リマインダー失敗市" });
  channel = await makeLineChannel(dbs.appDb, key, city.id);
  await ctl.registerChannel({ ...channel, loginChannelSecret: "login-secret-reminder-failure" });
  operator = await makeStaff(dbs.appDb, { tenantId: city.id, role: "operator" });
});
afterAll(async () => {
  await emu.close();
  await closeRedis();
  await dbs.close();
});

/**
 * Relays this city's outbox with the catalogue's options except a short retry schedule (ATTEMPTS
 * tries, 20 ms apart instead of 8 over ~10 minutes), runs the real "reminders" processor until the
 * job is failed for good, and records the ledger row's status after each failed attempt.
 */
async function relayAndExhaust(reminderId: string) {
  const queues = createQueues(process.env.REDIS_URL!, prefix);
  const jobIds: string[] = [];
  const shortRetries: Queues = {
    ...queues,
    add: (name: JobName, payload: unknown, opts: JobsOptions) => (
      jobIds.push(opts.jobId!),
      queues.add(name, payload, { ...opts, attempts: ATTEMPTS, backoff: { type: "fixed", delay: 20 } })
    ),
  };
  const mailer = createMailer("smtp://127.0.0.1:9", "test@madoguchi.example");
  const worker = new Worker(
    "reminders",
    processorFor("reminders", { db: dbs.appDb, mailer, key, appOrigin: "http://madoguchi.test", line }),
    {
      connection: redisConnection(process.env.REDIS_URL!),
      prefix: bullPrefix(prefix),
    },
  );
  const statusAfterAttempt: Promise<string>[] = [];
  worker.on("failed", () => void statusAfterAttempt.push(ledgerRow(reminderId).then((r) => r.status)));
  try {
    expect((await relayOutboxOnce(dbs.appDb, shortRetries, { batch: 100, tenantId: city.id })).relayed).toBe(1);
    const job = async () => (await queues.queues.reminders.getJob(jobIds[0]!))!;
    for (let i = 0; i < 200 && (await (await job()).getState()) !== "failed"; i++)
      await new Promise((r) => setTimeout(r, 50));
    const final = await job();
    return {
      state: await final.getState(),
      attemptsMade: final.attemptsMade,
      failedReason: final.failedReason,
      statuses: await Promise.all(statusAfterAttempt),
    };
  } finally {
    await worker.close();
    await queues.close();
    mailer.close();
  }
}

const ledgerRow = async (id: string) =>
  (await dbs.ownerDb.select().from(reminderSends).where(eq(reminderSends.id, id)))[0]!;

/** A LINE friend of the city booked (as "line") into a fresh slot `daysAhead` days from today at `hour` in Japan. */
async function bookLineFriend(opts: {
  venue: string;
  daysAhead: number;
  hour: number;
  ticketNumber: string;
  name: string;
  phone: string;
}) {
  const tokyoToday = Math.floor((Date.now() + 9 * HOUR) / DAY) * DAY - 9 * HOUR;
  const service = await makeService(dbs.appDb, city.id);
  const venue = await makeVenue(dbs.appDb, city.id, { name: opts.venue });
  const slot = await makeSlot(dbs.appDb, city.id, {
    venueId: venue.id,
    serviceId: service.id,
    startsAt: new Date(tokyoToday + opts.daysAhead * DAY + opts.hour * HOUR),
  });
  const userId = await ctl.newUser();
  await withTenant(dbs.appDb, city.id, (tx) => recordFollow(tx, city.id, userId, new Date()));
  const [holder] = await makeTicketHolders(dbs.appDb, city.id, [
    { ticketNumber: opts.ticketNumber, birthDate: "1948-03-03" },
  ]);
  const booked = await bookSlot(dbs.appDb, {
    tenantId: city.id,
    slotId: slot.id,
    ticketHolderId: holder!.id,
    channel: "line",
    lineUserId: userId,
    contact: { name: opts.name, phone: opts.phone, email: "" },
    idempotencyKey: crypto.randomUUID(),
  });
  if (!booked.ok) throw new Error(booked.message);
  return { slot, userId, reservationId: booked.reservation.id };
}

describe("a reminder whose send fails for good", () => {
  it("is marked failed on the job's last attempt, lands on the call list, and is never sent again", async () => {
    const { slot, userId, reservationId } = await bookLineFriend({
      venue: "南公民館",
      daysAhead: 4,
      hour: 9.5,
      ticketNumber: "5400000001",
      name: "不達 一郎",
      phone: "073-222-3333",
    });
    await relayAndProcess(dbs.appDb, { smtpPort: 9, key, tenantId: city.id, line }); // the confirmation, pushed normally

    // From now on LINE refuses every push with 429 (retryable): the job can only use up its retries.
    await ctl.rateLimits(channel.channelId, { push: 0 });
    const due = dueAt(DAY_BEFORE, slot.startsAt);
    expect((await sweepReminders(dbs.appDb, due, { tenantIds: [city.id] })).queued).toBe(1);
    const [queued] = await dbs.ownerDb
      .select()
      .from(reminderSends)
      .where(eq(reminderSends.reservationId, reservationId));
    expect(queued).toMatchObject({ status: "queued", ruleKey: "d1-1000" });

    const outcome = await relayAndExhaust(queued!.id);
    expect(outcome).toMatchObject({ state: "failed", attemptsMade: ATTEMPTS });
    expect(outcome.failedReason).toContain("rate_limited");
    // Still queued after the attempts that will be retried; failed only by the last one.
    expect(outcome.statuses).toEqual(["queued", "queued", "failed"]);
    const failed = await ledgerRow(queued!.id);
    expect(failed).toMatchObject({
      status: "failed",
      failReason: "LINEが混雑していて送れませんでした",
      channel: null,
      sentAt: null,
    });
    expect(failed.failedAt).not.toBeNull();
    const pushed = (await ctl.sent(channel.channelId, userId)).filter(
      (m) => m.kind === "push" && m.messages[0]?.text?.includes("ご予約日時が近づいています"),
    );
    expect(pushed).toHaveLength(0);
    const audit = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, "reminder.failed")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorKind: "system",
      targetId: reservationId,
      detail: { reminderId: queued!.id, rule: "d1-1000" },
    });

    // On the call list of the day the reminder fell on, although LINE reaches this resident on paper.
    const date = tokyoDateOf(due);
    const list = await viewCallList(dbs.appDb, { tenantId: city.id, date, staffUserId: operator.user.id, ip: null });
    expect(list.filter((r) => r.reservationId === reservationId)).toEqual([
      expect.objectContaining({
        contactName: "不達 一郎",
        contactPhone: "073-222-3333",
        ruleKey: "d1-1000",
        failReason: "LINEが混雑していて送れませんでした",
        calledAt: null,
      }),
    ]);

    // LINE is back: neither the sweep nor a stray job sends the failed reminder late.
    await ctl.rateLimits(channel.channelId, { push: 2000 });
    expect(
      (await sweepReminders(dbs.appDb, new Date(due.getTime() + 5 * 60_000), { tenantIds: [city.id] })).queued,
    ).toBe(0);
    expect(
      await dbs.ownerDb.select().from(reminderSends).where(eq(reminderSends.reservationId, reservationId)),
    ).toHaveLength(1);
    const mailer = createMailer("smtp://127.0.0.1:9", "test@madoguchi.example");
    expect(
      await sendReminder(
        { db: dbs.appDb, mailer, key, appOrigin: "http://madoguchi.test", line },
        { tenantId: city.id, reminderId: queued!.id },
      ),
    ).toBe("already-failed");
    mailer.close();
    expect(
      (await ctl.sent(channel.channelId, userId)).filter(
        (m) => m.kind === "push" && m.messages[0]?.text?.includes("ご予約日時が近づいています"),
      ),
    ).toHaveLength(0);

    // Staff phone the resident: 電話済み is recorded on the row, which stays on the list with its reason.
    expect(
      await markCalled(dbs.appDb, {
        tenantId: city.id,
        date,
        reservationId,
        slotId: slot.id,
        ruleKey: "d1-1000",
        undo: false,
        staffUserId: operator.user.id,
        ip: null,
      }),
    ).toEqual({ ok: true });
    const after = await viewCallList(dbs.appDb, { tenantId: city.id, date, staffUserId: operator.user.id, ip: null });
    expect(after.find((r) => r.reservationId === reservationId)).toMatchObject({
      failReason: "LINEが混雑していて送れませんでした",
      calledAt: expect.any(Date),
    });
  });
});

describe("a reminder whose send job never finishes (stalled jobs, Redis gone for hours)", () => {
  it("is failed by the sweep two hours after it was queued, lands on the call list, and a late job sends nothing", async () => {
    const { slot, userId, reservationId } = await bookLineFriend({
      venue: "北公民館",
      daysAhead: 5,
      hour: 14,
      ticketNumber: "5400000002",
      name: "停滞 花子",
      phone: "073-222-4444",
    });
    const due = dueAt(DAY_BEFORE, slot.startsAt);
    // Queued, and its job never runs (this test relays nothing: the job is as good as stalled).
    expect((await sweepReminders(dbs.appDb, due, { tenantIds: [city.id] })).queued).toBe(1);
    const [row] = await dbs.ownerDb.select().from(reminderSends).where(eq(reminderSends.reservationId, reservationId));
    // Just under two hours: still waiting, nothing failed.
    expect(
      await sweepReminders(dbs.appDb, new Date(due.getTime() + STUCK_AFTER_MS - 60_000), { tenantIds: [city.id] }),
    ).toMatchObject({ queued: 0, stuck: 0 });
    expect((await ledgerRow(row!.id)).status).toBe("queued");
    // Past two hours: failed with the reason, audited, and on that day's call list.
    const late = new Date(due.getTime() + STUCK_AFTER_MS + 60_000);
    expect(await sweepReminders(dbs.appDb, late, { tenantIds: [city.id] })).toMatchObject({ queued: 0, stuck: 1 });
    expect(await ledgerRow(row!.id)).toMatchObject({ status: "failed", failReason: STUCK_REASON, failedAt: late });
    const audit = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.tenantId, city.id),
          eq(auditLog.action, "reminder.failed"),
          eq(auditLog.targetId, reservationId),
        ),
      );
    expect(audit).toHaveLength(1);
    const list = await viewCallList(dbs.appDb, {
      tenantId: city.id,
      date: tokyoDateOf(due),
      staffUserId: operator.user.id,
      ip: null,
    });
    expect(list.filter((r) => r.reservationId === reservationId)).toEqual([
      expect.objectContaining({ contactName: "停滞 花子", failReason: STUCK_REASON }),
    ]);
    // Failed once: a later sweep does not count it again.
    expect((await sweepReminders(dbs.appDb, new Date(late.getTime() + 60_000), { tenantIds: [city.id] })).stuck).toBe(
      0,
    );
    // The job finally runs (Redis back): it sends nothing, so the resident is phoned, not also messaged.
    const mailer = createMailer("smtp://127.0.0.1:9", "test@madoguchi.example");
    expect(
      await sendReminder(
        { db: dbs.appDb, mailer, key, appOrigin: "http://madoguchi.test", line },
        { tenantId: city.id, reminderId: row!.id },
      ),
    ).toBe("already-failed");
    mailer.close();
    expect(
      (await ctl.sent(channel.channelId, userId)).filter(
        (m) => m.kind === "push" && m.messages[0]?.text?.includes("ご予約日時が近づいています"),
      ),
    ).toHaveLength(0);
  });
});
