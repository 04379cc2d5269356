import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createQueues } from "#jobs/queues.server";
import { REPEATING_JOBS, registerRepeatingJobs } from "#jobs/repeating-jobs";
import { freePort } from "#tests/setup/private-postgres";

/**
 * The repeating jobs of the catalogue (ADR 030): registered once however many workers start, and
 * registered again by a running worker when Redis lost them (issue 12.5). Each part uses its own
 * Redis prefix: no other test file's workers may run these sweeps, nor this worker their jobs.
 */
const redisUrl = process.env.REDIS_URL!;
const registryPrefix = `mdgtest:repeat${randomBytes(3).toString("hex")}`;
const workerPrefix = `mdgtest:repeatw${randomBytes(3).toString("hex")}`;
const queues = createQueues(redisUrl, registryPrefix);
const workerQueues = createQueues(redisUrl, workerPrefix);
const redis = new Redis(redisUrl);
let child: ChildProcess | undefined;

/** Deletes every key under a prefix (never FLUSHDB: the test Redis is shared). */
async function dropPrefix(prefix: string) {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== "0");
}

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
  await queues.close();
  await workerQueues.close();
  await dropPrefix(registryPrefix);
  await dropPrefix(workerPrefix);
  redis.disconnect();
});

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("repeating jobs", () => {
  it("registers each repeating job once, however many workers start", async () => {
    await Promise.all([registerRepeatingJobs(queues), registerRepeatingJobs(queues)]);
    const reminders = await queues.queues.reminders.getJobSchedulers();
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({ key: "sweep-reminders-every-minute", name: "sweep-reminders", every: 60_000 });
    const next = await queues.queues.reminders.getJobs(["delayed", "waiting"]);
    expect(next.filter((j) => j.name === "sweep-reminders")).toHaveLength(1);

    const maintenance = await queues.queues.maintenance.getJobSchedulers();
    expect(maintenance.map((s) => s.key).sort()).toEqual([
      "purge-conversation-daily",
      "purge-retention-daily",
      "purge-status-lookups-daily",
      "snapshot-friend-counts-daily",
    ]);
    for (const s of maintenance) expect(s.tz).toBe("Asia/Tokyo");
    expect(maintenance.find((s) => s.key === "purge-retention-daily")!.pattern).toBe("30 3 * * *");

    const broadcast = await queues.queues.broadcast.getJobSchedulers();
    expect(broadcast.sort((a, b) => a.key.localeCompare(b.key))).toMatchObject([
      { key: "broadcast-sweep", name: "sweep-broadcasts", pattern: "0 * * * * *" },
      { key: "garbage-push-sweep", name: "sweep-garbage-push", pattern: "15 * * * * *" },
    ]);
    expect(REPEATING_JOBS.map((j) => j.repeat.id).sort()).toEqual(
      [
        "broadcast-sweep",
        "garbage-push-sweep",
        "purge-conversation-daily",
        "purge-retention-daily",
        "purge-status-lookups-daily",
        "snapshot-friend-counts-daily",
        "sweep-reminders-every-minute",
      ].sort(),
    );
  });

  it(
    "a running worker registers them again after Redis lost them, and the reminder sweep runs again",
    { timeout: 150_000 },
    async () => {
      const healthPort = await freePort();
      const output: string[] = [];
      child = spawn(process.execPath, ["--import", "tsx", "jobs/worker.ts"], {
        env: {
          ...process.env,
          NODE_ENV: "test",
          REDIS_PREFIX: workerPrefix,
          WORKER_HEALTH_PORT: String(healthPort),
          LOG_LEVEL: "info",
          // Nothing this worker might send may reach a real mail server or LINE.
          SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
          LINE_API_BASE: `http://127.0.0.1:${await freePort()}`,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout!.on("data", (b: Buffer) => output.push(b.toString()));
      child.stderr!.on("data", (b: Buffer) => output.push(b.toString()));
      const sweeps = (from = 0) =>
        output
          .join("")
          .slice(from)
          .split("\n")
          .filter((l) => l.includes('"msg":"job completed"') && l.includes('"job":"sweep-reminders"')).length;

      // At start: every scheduler is registered, and the `every` sweep runs at once.
      await until("the first reminder sweep", async () => sweeps() > 0, 60_000);
      expect(await workerQueues.queues.reminders.getJobScheduler("sweep-reminders-every-minute")).toBeTruthy();

      // Redis comes back empty (here: this worker's keys deleted under it, as a flush or an empty replica would).
      await dropPrefix(workerPrefix);
      expect(await workerQueues.queues.reminders.getJobScheduler("sweep-reminders-every-minute")).toBeFalsy();
      const mark = output.join("").length;

      // Within a minute the worker notices, registers all of them again, and the sweep runs again.
      await until("the sweep to run again", async () => sweeps(mark) > 0, 60_000);
      const after = output.join("").slice(mark);
      expect(after).toContain("repeating jobs missing from Redis; registering them again");
      for (const job of REPEATING_JOBS)
        expect(await workerQueues.queues[job.queue].getJobScheduler(job.repeat.id), job.repeat.id).toBeTruthy();
      expect(child.exitCode).toBeNull();
    },
  );
});
