/**
 * `npm run bench:broadcast` — one broadcast to 300,000 LINE friends through the real worker.
 *
 *  1. A fresh database: one city with its LINE channel, 300,000 following friends (plus 2,000 who
 *     blocked the account and must not receive it), seeded with one INSERT … SELECT generate_series.
 *  2. The LINE emulator in this process with a multicast rate limit (BENCH_MULTICAST_RATE, default
 *     40 requests/s for the channel); the production worker (`node build/node/worker.js`) paced at the
 *     same rate (LINE_MULTICAST_PER_SECOND), BROADCAST_CONCURRENCY chunk jobs in flight.
 *  3. "Send now" exactly as the admin's composer does (createBroadcast: broadcast, run, outbox row),
 *     then the clock runs until the run is marked sent: relay → start job (audience snapshot into
 *     600 chunks) → 600 multicasts of 500 → each marked sent.
 *  4. From the emulator's record: 429 answers, recipients delivered twice, recipients missing.
 * The floor is chunks ÷ rate (the fastest the rate limit allows); the ratio floor ÷ wall time is the
 * share of the rate-limit ceiling reached. Target ≥ 0.8, 429s = duplicates = missing = 0.
 * Results: bench/results/broadcast.json and broadcast.md. `npm run build` first.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";

const DB = "madoguchi_bench_broadcast";
const FRIENDS = Number(process.env.BENCH_FRIENDS ?? 300_000);
const BLOCKED = 2_000;
const RATE = Number(process.env.BENCH_MULTICAST_RATE ?? 40);
const CONCURRENCY = Number(process.env.BENCH_BROADCAST_CONCURRENCY ?? 16);
// Worker processes: they share the channel's pace through Redis, as a city's workers would.
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const ownerUrl = `postgres://madoguchi_owner:madoguchi_owner@127.0.0.1:5432/${DB}`;
const appUrl = `postgres://madoguchi_app:madoguchi_app@127.0.0.1:5432/${DB}`;
const keyB64 = randomBytes(32).toString("base64");
const key = Buffer.from(keyB64, "base64");
const redisPrefix = `mdgbench:${randomBytes(3).toString("hex")}`;

const { bootstrapDatabase } = await import("../db/bootstrap");
const { createDb } = await import("../db/client.server");
const { eq } = await import("drizzle-orm");
const { broadcastRuns } = await import("../db/schema/index");
const { startLineEmulator } = await import("../emulators/line/server");
const { makeTenant } = await import("../tests/factories/tenants");
const { makeLineChannel } = await import("../tests/factories/line");
const { seedFriends } = await import("../tests/factories/broadcasts");
const { createBroadcast } = await import("../app/features/broadcasts/broadcasts.server");
const { cpuDelta, pidsCpu } = await import("./lib/load-patterns");

if (!existsSync("build/node/worker.js")) throw new Error("run `npm run build` first");
console.log("seeding…");
await bootstrapDatabase({ ownerUrl }, { recreate: true });
const { db, sql: pg } = createDb(appUrl, 4);
// Reading the run and the friend lists across RLS: the owner role (the bench is not a tenant request).
const owner = createDb(ownerUrl, 2);
const city = await makeTenant(db, {
  slug: "bench-city",
  name: "ベンチ市",
  status: "active",
  areas: ["北", "南", "東", "西"],
});
const channel = await makeLineChannel(db, key, city.id);
const seedStart = performance.now();
await seedFriends(db, city.id, {
  count: FRIENDS,
  seed: "bench",
  areas: ["北", "南", "東", "西"],
  topics: ["garbage", "events"],
});
await seedFriends(db, city.id, {
  count: BLOCKED,
  seed: "bench-blocked",
  areas: ["北"],
  topics: ["garbage"],
  status: "blocked",
});
const seedSeconds = (performance.now() - seedStart) / 1000;
// Measure the broadcast, not the seeding's aftermath: vacuum (visibility map, statistics) and flush
// the 300,000 new rows before the clock starts, as a city's long-lived friend table would be.
await owner.sql`vacuum (analyze) line_friends`;
await owner.sql.unsafe("checkpoint").catch(async () => {
  const su = createDb(`postgres://postgres@127.0.0.1:5432/${DB}`, 1);
  await su.sql.unsafe("checkpoint").catch(() => console.log("(no CHECKPOINT: needs a superuser)"));
  await su.sql.end({ timeout: 1 });
});

const emu = await startLineEmulator({ port: 0, rateLimits: { multicast: RATE } });
const control = (path: string, init?: RequestInit) => fetch(`${emu.url}/__emulator${path}`, init).then((r) => r.json());
await control("/channels", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(channel),
});

const unused = "http://127.0.0.1:9";
// BENCH_PROFILE=1: the worker runs under the CPU profiler; a summary is printed at the end.
const profileDir = process.env.BENCH_PROFILE === "1" ? mkdtempSync(join(tmpdir(), "bc-prof-")) : null;
const workers = Array.from({ length: WORKERS }, () =>
  spawn(
    process.execPath,
    [...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), "build/node/worker.js"],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: appUrl,
        REDIS_URL: "redis://127.0.0.1:6379/0",
        REDIS_PREFIX: redisPrefix,
        MADOGUCHI_MASTER_KEY: keyB64,
        APP_ORIGIN: "https://bench.madoguchi.example",
        LINE_API_BASE: emu.url,
        LINE_DATA_API_BASE: emu.url,
        STRIPE_API_BASE: unused,
        SMTP_URL: "smtp://127.0.0.1:9",
        LINE_MULTICAST_PER_SECOND: String(RATE),
        BROADCAST_CONCURRENCY: String(CONCURRENCY),
        LOG_LEVEL: "warn",
        // Production refuses the dev placeholders; generated, clearly fake, and Stripe is a closed port.
        STRIPE_SECRET_KEY: `sk_test_bench_${randomBytes(8).toString("hex")}`,
        STRIPE_WEBHOOK_SECRET: `whsec_bench_${randomBytes(8).toString("hex")}`,
        WORKER_HEALTH_PORT: "0",
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  ),
);
const pids = workers.map((w) => w.pid!);
await new Promise((r) => setTimeout(r, 2_000)); // the worker connects and starts its relay

console.log(`sending to ${FRIENDS.toLocaleString()} friends at ${RATE} multicasts/s…`);
const cpuBefore = pidsCpu(pids);
const benchCpuBefore = process.cpuUsage();
const t0 = performance.now();
const created = await createBroadcast(db, {
  tenantId: city.id,
  upload: null,
  now: new Date(),
  actor: { staffUserId: "00000000-0000-4000-8000-00000000b000", ip: null },
  draft: {
    title: "ベンチ配信",
    kind: "text",
    text: "【ベンチ市】ごみ収集日のお知らせです。",
    segment: { match: "all", topics: [], topicsMatch: "any", genders: [], ageBands: [], areas: [] },
    schedule: { mode: "now" },
  },
});
if (!created.ok) throw new Error(`createBroadcast refused: ${JSON.stringify(created.errors)}`);
type Run = typeof broadcastRuns.$inferSelect;
let run: Run | undefined;
for (;;) {
  [run] = await owner.db.select().from(broadcastRuns).where(eq(broadcastRuns.broadcastId, created.id));
  if (run && (run.status === "sent" || run.status === "failed")) break;
  if (performance.now() - t0 > 15 * 60_000) throw new Error("the broadcast did not finish within 15 minutes");
  await new Promise((r) => setTimeout(r, 50));
}
const wallSeconds = (performance.now() - t0) / 1000;
console.log(`run ${run!.status} after ${wallSeconds.toFixed(2)} s; checking the emulator's record…`);
const workerCpu = cpuDelta(cpuBefore, pidsCpu(pids));
const benchCpu = process.cpuUsage(benchCpuBefore);

type Sent = { kind: string; to: string[]; at: string; retryKey?: string };
const sent = ((await control(`/sent?channelId=${channel.channelId}&kind=multicast`)) as { messages: Sent[] }).messages;
const stats = (await control(`/stats?channelId=${channel.channelId}`)) as {
  status429: number;
  status409: number;
  recipients: number;
};
const delivered = sent.flatMap((m) => m.to);
const unique = new Set(delivered);
const expected = (
  await owner.sql`select line_user_id from line_friends where tenant_id = ${city.id} and status = 'following'`
).map((r) => r.line_user_id as string);
const missing = expected.filter((id) => !unique.has(id)).length;
const blocked = new Set(
  (await owner.sql`select line_user_id from line_friends where tenant_id = ${city.id} and status = 'blocked'`).map(
    (r) => r.line_user_id as string,
  ),
);
const blockedReached = [...unique].filter((id) => blocked.has(id)).length;
const chunks = run!.totalChunks;
const floorSeconds = chunks / RATE;
const firstAt = Math.min(...sent.map((m) => Date.parse(m.at)));
const lastAt = Math.max(...sent.map((m) => Date.parse(m.at)));
const [snap] =
  await owner.sql`select extract(epoch from (snapshot_at - created_at)) as s from broadcast_runs where id = ${run!.id}`;

console.log("stopping the workers…");
await Promise.all(
  workers.map(async (w) => {
    const exited = new Promise((r) => w.once("exit", r));
    w.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (w.exitCode === null) w.kill("SIGKILL");
  }),
);
await emu.close();
await pg.end({ timeout: 1 });
await owner.sql.end({ timeout: 1 });

const result = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, loadavgAtEnd: loadavg().map((n) => Number(n.toFixed(2))) },
  setup: {
    friends: FRIENDS,
    blockedFriends: BLOCKED,
    seedSeconds: Number(seedSeconds.toFixed(2)),
    multicastRateLimit: RATE,
    workerPacing: RATE,
    chunkConcurrency: CONCURRENCY,
    worker: `node build/node/worker.js (NODE_ENV=production), ${WORKERS} process(es)`,
  },
  run: {
    status: run!.status,
    recipients: run!.totalRecipients,
    chunks,
    sentChunks: run!.sentChunks,
    failedChunks: run!.failedChunks,
  },
  wallSeconds: Number(wallSeconds.toFixed(2)),
  floorSeconds: Number(floorSeconds.toFixed(2)),
  ratioToCeiling: Number((floorSeconds / wallSeconds).toFixed(3)),
  snapshotSeconds: Number(Number(snap!.s).toFixed(2)),
  sendPhaseSeconds: Number(((lastAt - firstAt) / 1000).toFixed(2)),
  /** The rate limit allows the first request at once and then one per 1/rate: (chunks - 1) / rate. */
  sendPhaseRatio: Number(((chunks - 1) / RATE / ((lastAt - firstAt) / 1000)).toFixed(3)),
  multicastsPerSecond: Number((chunks / wallSeconds).toFixed(1)),
  status429: stats.status429,
  status409: stats.status409,
  duplicates: delivered.length - unique.size,
  missing,
  blockedReached,
  cpuSeconds: {
    worker: { user: Number(workerCpu.user.toFixed(2)), system: Number(workerCpu.system.toFixed(2)) },
    benchAndEmulator: {
      user: Number((benchCpu.user / 1e6).toFixed(2)),
      system: Number((benchCpu.system / 1e6).toFixed(2)),
    },
  },
  pass: {
    ratio: floorSeconds / wallSeconds >= 0.8,
    no429: stats.status429 === 0,
    noDuplicates: delivered.length === unique.size,
    noneMissing: missing === 0,
  },
};
writeFileSync("bench/results/broadcast.json", `${JSON.stringify(result, null, 2)}\n`);
const yes = (b: boolean) => (b ? "yes" : "no");
const md = `# Broadcast benchmark (${result.date.slice(0, 10)})

One broadcast ("send now", every following friend) to ${FRIENDS.toLocaleString("en")} LINE friends (${BLOCKED.toLocaleString("en")} more have blocked the account and must not receive it), through the production worker (\`node build/node/worker.js\`, ${WORKERS} process(es), ${CONCURRENCY} chunk jobs in flight each) against the LINE emulator with a multicast rate limit of **${RATE} requests/s** for the channel; the worker paces multicasts at the same rate through Redis. ${result.machine.cpus} cores shared by the worker, PostgreSQL, Redis, the emulator and the bench (load average ${result.machine.loadavgAtEnd.join(" / ")} at the end).

| measure | value | target | pass |
|---|---|---|---|
| wall time, send-now → run marked sent (s) | ${result.wallSeconds} | | |
| rate-limit floor: ${chunks} multicasts ÷ ${RATE}/s (s) | ${result.floorSeconds} | | |
| share of the rate-limit ceiling (floor ÷ wall) | ${result.ratioToCeiling} | ≥ 0.8 | ${yes(result.pass.ratio)} |
| 429 answers from LINE | ${result.status429} | 0 | ${yes(result.pass.no429)} |
| recipients delivered twice | ${result.duplicates} | 0 | ${yes(result.pass.noDuplicates)} |
| recipients missing | ${result.missing} | 0 | ${yes(result.pass.noneMissing)} |
| blocked friends reached | ${result.blockedReached} | 0 | ${yes(result.blockedReached === 0)} |

| detail | value |
|---|---|
| recipients / chunks (≤ 500 each) | ${result.run.recipients.toLocaleString("en")} / ${chunks} |
| audience snapshot (run created → chunks committed, s) | ${result.snapshotSeconds} |
| first → last multicast accepted by LINE (s) | ${result.sendPhaseSeconds} |
| share of the ceiling during the send phase ((chunks − 1) ÷ rate ÷ send phase) | ${result.sendPhaseRatio} |
| multicasts/s over the wall time | ${result.multicastsPerSecond} |
| 409 answers (retry key already accepted) | ${result.status409} |
| worker CPU (all processes), user + system (s) | ${result.cpuSeconds.worker.user} + ${result.cpuSeconds.worker.system} |
| bench + in-process emulator CPU, user + system (s) | ${result.cpuSeconds.benchAndEmulator.user} + ${result.cpuSeconds.benchAndEmulator.system} |
| seeding ${(FRIENDS + BLOCKED).toLocaleString("en")} friends (INSERT … SELECT generate_series, s) | ${result.setup.seedSeconds} |

The wall time includes the outbox relay (polls every 0.5 s), the start job's snapshot of the audience into chunks (one transaction, by design: it is what makes a crashed run resumable without a recipient missed or doubled) and the last chunk's commit; the send phase alone shows how close the paced multicasts come to the rate limit. LINE's real multicast limit is 200/s per channel; the bench uses a lower one so the run is long enough for start-up costs to show.
`;
writeFileSync("bench/results/broadcast.md", md);
if (profileDir) {
  const { summarizeCpuProfiles } = await import("./lib/cpuprofile");
  const p = summarizeCpuProfiles(profileDir);
  console.log(
    "worker CPU profile:",
    JSON.stringify({ busyMs: p.busyMs, groups: p.groups.slice(0, 12), functions: p.functions.slice(0, 25) }, null, 1),
  );
}
console.log(md);
