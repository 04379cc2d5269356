import { spawn, type ChildProcess } from "node:child_process";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { broadcastRuns } from "#db/schema/index";
import { seedFriends } from "#tests/factories/broadcasts";
import { emulatorControl, makeLineChannel, type PlainChannel } from "#tests/factories/line";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";
import { createBroadcast } from "~/features/broadcasts/broadcasts.server";

/**
 * The real worker process (`tsx jobs/worker.ts`) is SIGKILLed in the middle of a broadcast and
 * started again: every recipient must have received the message exactly once, none missing. The
 * emulator's multicast limit (4/s) and the worker's pacing keep the send slow enough to kill it
 * half-way; WORKER_LOCK_MS=2000 lets the restarted worker take over the dead one's jobs quickly.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 11);
const FRIENDS = 10_000; // 20 chunks
const TEXT = "クラッシュ試験のお知らせ";
let emu: LineEmulator;
let ctl: ReturnType<typeof emulatorControl>;
let channel: PlainChannel;
let tenantId: string;
const children: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const child = spawn("node_modules/.bin/tsx", ["jobs/worker.ts"], {
    // Its own process group, so SIGKILL reaches tsx's node child too.
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "test",
      // Its own key space: the worker registers the per-minute sweep scheduler, which must not feed
      // sweep jobs into the queues that later test files run their own workers on.
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}:crash`,
      MADOGUCHI_MASTER_KEY: key.toString("base64"),
      APP_ORIGIN: "https://madoguchi.test",
      LINE_API_BASE: emu.url,
      LINE_DATA_API_BASE: emu.url,
      SMTP_URL: "smtp://127.0.0.1:9",
      LINE_MULTICAST_PER_SECOND: "4",
      BROADCAST_CONCURRENCY: "4",
      WORKER_LOCK_MS: "2000",
      LOG_LEVEL: "warn",
    },
  });
  child.stderr?.on("data", () => {}); // drained; the assertions say what matters
  children.push(child);
  return child;
}

const kill = (child: ChildProcess) => {
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // already gone
  }
};

type Stats = { recipients: number; status409: number; status429: number };
const stats = async () =>
  (await (await fetch(`${emu.url}/__emulator/stats?channelId=${channel.channelId}`)).json()) as Stats;

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0, rateLimits: { multicast: 4 } });
  ctl = emulatorControl(emu.url);
  const city = await makeTenant(dbs.appDb, { name: "クラッシュ試験市", areas: ["本町"] });
  tenantId = city.id;
  channel = await makeLineChannel(dbs.appDb, key, city.id);
  await ctl.registerChannel(channel);
  await seedFriends(dbs.appDb, city.id, { count: FRIENDS, seed: "crash", areas: ["本町"], topics: ["garbage"] });
});
afterAll(async () => {
  for (const c of children) kill(c);
  await emu.close();
  await dbs.close();
});

describe("a broadcast survives a worker killed mid-send", () => {
  it("every recipient receives it exactly once after SIGKILL and restart", { timeout: 120_000 }, async () => {
    const created = await createBroadcast(dbs.appDb, {
      tenantId,
      upload: null,
      now: new Date(),
      actor: { staffUserId: "00000000-0000-4000-8000-000000000002", ip: null },
      draft: {
        title: "クラッシュ試験",
        kind: "text",
        text: TEXT,
        segment: { match: "all", topics: ["garbage"], topicsMatch: "any", genders: [], ageBands: [], areas: [] },
        schedule: { mode: "now" },
      },
    });
    expect(created.ok).toBe(true);
    const broadcastId = (created as { id: string }).id;

    const first = startWorker();
    // Kill the moment LINE has accepted a few chunks: polling fast, so the worker is often caught
    // between LINE's answer and its own commit (the case the retry key exists for).
    const deadline = Date.now() + 60_000;
    let atKill: number;
    for (;;) {
      atKill = (await stats()).recipients;
      if (atKill >= 3_000) break;
      if (Date.now() > deadline) throw new Error("the worker sent nothing within 60 s");
      await new Promise((r) => setTimeout(r, 5));
    }
    kill(first);
    expect(atKill).toBeLessThan(FRIENDS);
    const [mid] = await dbs.ownerDb.select().from(broadcastRuns).where(eq(broadcastRuns.broadcastId, broadcastId));
    expect(mid!.status).toBe("sending");

    startWorker();
    let run = mid!;
    while (run.status === "sending" || run.status === "pending") {
      if (Date.now() > deadline + 30_000) throw new Error(`run stuck at ${run.sentChunks}/${run.totalChunks}`);
      await new Promise((r) => setTimeout(r, 200));
      [run] = (await dbs.ownerDb.select().from(broadcastRuns).where(eq(broadcastRuns.broadcastId, broadcastId))) as [
        typeof run,
      ];
    }
    expect(run).toMatchObject({
      status: "sent",
      totalRecipients: FRIENDS,
      sentRecipients: FRIENDS,
      totalChunks: 20,
      sentChunks: 20,
      failedChunks: 0,
    });

    const delivered = (await ctl.sent(channel.channelId))
      .filter((m) => m.kind === "multicast" && m.messages[0]!.text === TEXT)
      .flatMap((m) => m.to);
    expect(delivered).toHaveLength(FRIENDS); // nobody twice …
    expect(new Set(delivered).size).toBe(FRIENDS); // … and nobody missing
    const s = await stats();
    expect(s.recipients).toBe(FRIENDS);
    expect(s.status429).toBe(0);
  });
});
