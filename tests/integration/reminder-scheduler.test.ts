import type { Job } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { processorFor } from "#jobs/processors/index.server";
import { createMailer } from "~/integrations/mail.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/** The sweep job reaches the sweep (its registration as a repeating job: repeating-jobs.test.ts). */
const dbs = testDbs();
afterAll(async () => {
  await dbs.close();
});

describe("the reminder sweep job", () => {
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
