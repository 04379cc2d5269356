import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { lineFriendSnapshots } from "#db/schema/index";
import { createQueues } from "#jobs/queues.server";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * The real worker process (`tsx jobs/worker.ts`, test env) under SIGTERM: a job that is running
 * when the signal arrives still completes, and the process then exits 0 by itself. The job is made
 * slow without any test hook: the test holds a lock on the snapshot table the job writes to.
 */
const dbs = testDbs();
// A private prefix: this worker must not pick up other test files' jobs, nor they its own.
const prefix = `mdgtest:shutdown${randomBytes(3).toString("hex")}`;
const queues = createQueues(process.env.REDIS_URL!, prefix);
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await queues.close();
  await dbs.close();
});

async function freePort() {
  return new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("worker process", () => {
  it(
    "on SIGTERM finishes the active job, then exits 0; /healthz answers while it runs",
    { timeout: 200_000 },
    async () => {
      const city = await makeTenant(dbs.appDb, { status: "active" });
      const healthPort = await freePort();
      const output: string[] = [];
      child = spawn(process.execPath, ["--import", "tsx", "jobs/worker.ts"], {
        env: {
          ...process.env,
          NODE_ENV: "test",
          REDIS_PREFIX: prefix,
          WORKER_HEALTH_PORT: String(healthPort),
          LOG_LEVEL: "info",
          // Nothing this worker might relay may reach a real mail server or LINE.
          SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
          LINE_API_BASE: `http://127.0.0.1:${await freePort()}`,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout!.on("data", (b: Buffer) => output.push(b.toString()));
      child.stderr!.on("data", (b: Buffer) => output.push(b.toString()));
      const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));

      const health = await until("worker /healthz", async () => {
        const res = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
        return res.status === 200
          ? ((await res.json()) as { redis: string; postgres: string; queues: Record<string, unknown> })
          : null;
      });
      expect(health).toMatchObject({ redis: "ok", postgres: "ok" });
      expect(Object.keys(health.queues)).toContain("maintenance");

      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let lockHeld!: () => void;
      const locked = new Promise<void>((r) => (lockHeld = r));
      const holder = dbs.ownerDb.transaction(async (tx) => {
        await tx.execute(sql`lock table line_friend_snapshots in exclusive mode`);
        lockHeld();
        await released;
      });
      await locked;

      const jobId = `shutdown-${city.id}`;
      await queues.add("snapshot-tenant-friend-counts", { tenantId: city.id, day: "2026-05-05" }, { jobId });
      // Generous on a busy box: a worker started from source (tsx) compiles its modules first.
      const job = await until(
        "the job to be active",
        async () => {
          const j = await queues.queues.maintenance.getJob(jobId);
          return j && (await j.getState()) === "active" ? j : null;
        },
        90_000,
      );

      child.kill("SIGTERM");
      // The worker waits: the job is blocked on our lock, so it cannot have finished, and neither has the process.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(child.exitCode).toBeNull();
      expect(await job.getState()).toBe("active");

      release();
      await holder;
      const code = await Promise.race([exited, new Promise<"hung">((r) => setTimeout(() => r("hung"), 30_000))]);
      expect(code, output.join("")).toBe(0);
      expect(await (await queues.queues.maintenance.getJob(jobId))!.getState()).toBe("completed");
      const [snap] = await dbs.ownerDb
        .select()
        .from(lineFriendSnapshots)
        .where(eq(lineFriendSnapshots.tenantId, city.id));
      expect(snap).toMatchObject({ day: "2026-05-05", following: 0 });
      const logs = output.join("");
      expect(logs).toContain('"msg":"worker stopped"');
      // Structured logs name the job and the city.
      expect(logs).toMatch(new RegExp(`"jobId":"${jobId}".*"tenantId":"${city.id}"`));
    },
  );
});
