import type { Job } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { processorFor } from "#jobs/processors/index.server";
import { createQueues } from "#jobs/queues.server";
import { registerReminderScheduler, REMINDER_SCHEDULER_ID } from "#jobs/schedulers/reminders";
import { createMailer } from "~/integrations/mail.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/** The worker registers the minute sweep with BullMQ (real Redis, this run's prefix); the sweep job reaches the sweep. */
const dbs = testDbs();
const queues = createQueues(process.env.REDIS_URL!, process.env.REDIS_PREFIX!);
afterAll(async () => {
  // No sweep may be left waiting: the next file's workers would run it against the shared database.
  await queues.queues.reminders.removeJobScheduler(REMINDER_SCHEDULER_ID);
  await queues.queues.reminders.obliterate({ force: true });
  await queues.close();
  await dbs.close();
});

async function until<T>(f: () => Promise<T | undefined>, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("registerReminderScheduler", () => {
  it("schedules one sweep every minute, however many workers register it", async () => {
    const logs: string[] = [];
    registerReminderScheduler(queues, (m) => logs.push(m));
    registerReminderScheduler(queues, (m) => logs.push(m));
    await until(async () => (logs.filter((l) => l === "reminder sweep scheduled").length === 2 ? true : undefined));
    const schedulers = await queues.queues.reminders.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: REMINDER_SCHEDULER_ID, name: "sweep-reminders", every: 60_000 });
    const next = await queues.queues.reminders.getJobs(["delayed", "waiting"]);
    expect(next.filter((j) => j.name === "sweep-reminders")).toHaveLength(1);
  });

  it("the sweep job runs the sweep with the clock it is given", async () => {
    const mailer = createMailer("smtp://127.0.0.1:9", "t@madoguchi.example");
    await makeTenant(dbs.appDb, { name: "掃引テスト市" });
    const run = processorFor("reminders", {
      db: dbs.appDb,
      mailer,
      key: masterKey(env().MADOGUCHI_MASTER_KEY),
      appOrigin: "http://madoguchi.test",
    });
    // A clock in 2000: every session is in the future, none is due yet, so nothing is queued anywhere.
    const result = await run({ name: "sweep-reminders", data: { at: "2000-01-01T10:00:00+09:00" } } as Job);
    expect(result).toMatchObject({ queued: 0, dropped: 0 });
    expect((result as { cities: number }).cities).toBeGreaterThan(0);
    await expect(run({ name: "sweep-reminders", data: { at: "yesterday" } } as Job)).rejects.toThrow();
    mailer.close();
  });
});
