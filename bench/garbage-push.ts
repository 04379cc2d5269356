/**
 * `npm run bench:garbage-push` — the evening-before garbage push to 100,000 LINE friends, against a
 * same-run baseline: a plain broadcast multicast to the same 100,000 (ADR 051).
 *
 *  1. A fresh database: one city with its LINE channel and 5 areas, 100,000 following friends with
 *     the ごみ topic (a third each in ja, やさしい日本語 and en), plus 1,000 without it and 1,000 who
 *     blocked the account: neither may receive anything. A 5374 set (the demo fixture, with
 *     燃やすごみ every day in every area, so the whole audience is due).
 *  2. The LINE emulator in this process with a multicast rate limit (BENCH_MULTICAST_RATE, default
 *     40 requests/s); both senders use the production pacer (Redis, the same key) at that rate and
 *     BENCH_CONCURRENCY chunk sends in flight, in this process (the code the worker's jobs call).
 *  3. Baseline: createBroadcast (segment: topic ごみ) → startRun → every chunk through sendChunk.
 *     Garbage: startGarbagePush for tomorrow → every chunk through sendGarbagePushChunk; then the
 *     start and every chunk again (a repeated sweep and redelivered jobs), which must send nothing.
 *  4. From the emulator's record: 429s, recipients delivered twice, missing, and outsiders reached.
 * Results: bench/results/garbage-push.json and garbage-push.md.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";

const DB = process.env.BENCH_DB_NAME ?? "madoguchi_bench_garbage";
const FRIENDS = Number(process.env.BENCH_FRIENDS ?? 100_000);
const RATE = Number(process.env.BENCH_MULTICAST_RATE ?? 40);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const AREAS = ["打田", "粉河", "那賀", "桃山", "貴志川"];
const DATE = "2027-02-10"; // a Wednesday without holidays or closures
const ownerUrl = `postgres://madoguchi_owner:madoguchi_owner@127.0.0.1:5432/${DB}`;
const appUrl = `postgres://madoguchi_app:madoguchi_app@127.0.0.1:5432/${DB}`;
const key = randomBytes(32);
const redisPrefix = `mdgbench:${randomBytes(3).toString("hex")}`;

const { bootstrapDatabase } = await import("../db/bootstrap");
const { createDb } = await import("../db/client.server");
const { eq, sql } = await import("drizzle-orm");
const { broadcastRuns, garbagePushRuns } = await import("../db/schema/index");
const { Redis } = await import("ioredis");
const { startLineEmulator } = await import("../emulators/line/server");
const { makeTenant } = await import("../tests/factories/tenants");
const { makeLineChannel } = await import("../tests/factories/line");
const { seedFriends } = await import("../tests/factories/broadcasts");
const { garbageFixtureFiles, importGarbageFixture } = await import("../tests/factories/garbage");
const { createBroadcast } = await import("../app/features/broadcasts/broadcasts.server");
const { sendChunk, startRun } = await import("../app/features/broadcasts/run.server");
const { sendGarbagePushChunk, startGarbagePush } = await import("../app/features/garbage/push.server");
const { createPacer } = await import("../app/integrations/line/pacer.server");

console.log("seeding…");
await bootstrapDatabase({ ownerUrl }, { recreate: true });
const { db, sql: pg } = createDb(appUrl, CONCURRENCY + 4);
const owner = createDb(ownerUrl, 2);
const city = await makeTenant(db, { slug: "bench-garbage", name: "ベンチ市", status: "active", areas: AREAS });
const channel = await makeLineChannel(db, key, city.id);
await seedFriends(db, city.id, { count: FRIENDS, seed: "gp", areas: AREAS, topics: ["garbage"] });
await seedFriends(db, city.id, { count: 1_000, seed: "gp-other", areas: AREAS, topics: ["events"] });
await seedFriends(db, city.id, {
  count: 1_000,
  seed: "gp-blocked",
  areas: AREAS,
  topics: ["garbage"],
  status: "blocked",
});
await owner.db.execute(sql`
  update line_friends set language = (array[null, 'ja-x-easy', 'en'])[1 + abs(hashtext(line_user_id)) % 3]
   where tenant_id = ${city.id}`);
const files = garbageFixtureFiles();
const areaDays = [
  "地名,センター,燃やすごみ,燃やさないごみ",
  ...AREAS.map((a) => `${a},,月 火 水 木 金 土 日,水2`),
].join("\n");
await importGarbageFixture(db, city, {
  files: { ...files, "area_days.csv": new TextEncoder().encode(areaDays), "center.csv": undefined },
});
await owner.sql`vacuum (analyze) line_friends`;

const emu = await startLineEmulator({ port: 0, rateLimits: { multicast: RATE } });
const control = (path: string, init?: RequestInit) => fetch(`${emu.url}/__emulator${path}`, init).then((r) => r.json());
await control("/channels", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(channel),
});
const redis = new Redis("redis://127.0.0.1:6379/0", { maxRetriesPerRequest: null });
const pacer = createPacer({ redis, keyPrefix: `${redisPrefix}:rl:line_multicast`, perSecond: RATE });
const line = { apiBase: emu.url, dataApiBase: emu.url, limiter: null, retry: {} };

/** Runs `send` for every queued seq with CONCURRENCY in flight, as the worker's chunk jobs would. */
async function drain(seqs: number[], send: (seq: number) => Promise<string>) {
  const outcomes: Record<string, number> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < seqs.length) {
        const out = await send(seqs[next++]!);
        outcomes[out] = (outcomes[out] ?? 0) + 1;
      }
    }),
  );
  return outcomes;
}

type Sent = { kind: string; to: string[]; at: string };
const sentSoFar = async () =>
  ((await control(`/sent?channelId=${channel.channelId}&kind=multicast`)) as { messages: Sent[] }).messages;
const stats = async () =>
  (await control(`/stats?channelId=${channel.channelId}`)) as { status429: number; status409: number };
const expected = new Set(
  (
    await owner.sql`select line_user_id from line_friends where tenant_id = ${city.id} and status = 'following' and 'garbage' = any(topics)`
  ).map((r) => r.line_user_id as string),
);

function measure(sent: Sent[], wallSeconds: number, chunks: number, s429: number, s409: number) {
  const delivered = sent.flatMap((m) => m.to);
  const unique = new Set(delivered);
  const first = Math.min(...sent.map((m) => Date.parse(m.at)));
  const last = Math.max(...sent.map((m) => Date.parse(m.at)));
  return {
    chunks,
    recipients: delivered.length,
    wallSeconds: Number(wallSeconds.toFixed(2)),
    floorSeconds: Number((chunks / RATE).toFixed(2)),
    ratioToCeiling: Number((chunks / RATE / wallSeconds).toFixed(3)),
    sendPhaseRatio: Number(((chunks - 1) / RATE / ((last - first) / 1000)).toFixed(3)),
    status429: s429,
    status409: s409,
    duplicates: delivered.length - unique.size,
    missing: [...expected].filter((id) => !unique.has(id)).length,
    outsidersReached: [...unique].filter((id) => !expected.has(id)).length,
  };
}

// Baseline: a plain broadcast multicast of the same audience, same pacer, same concurrency.
console.log(`baseline: broadcast to ${FRIENDS.toLocaleString()} at ${RATE} multicasts/s…`);
const bDeps = { db, key, appOrigin: "https://bench.example", line, pacer, queue: { addChunks: async () => {} } };
let t0 = performance.now();
const created = await createBroadcast(db, {
  tenantId: city.id,
  upload: null,
  now: new Date(),
  actor: { staffUserId: "00000000-0000-4000-8000-00000000b000", ip: null },
  draft: {
    title: "ベンチ配信",
    kind: "text",
    text: "【ベンチ市】明日は燃やすごみの日です。",
    segment: { match: "all", topics: ["garbage"], topicsMatch: "any", genders: [], ageBands: [], areas: [] },
    schedule: { mode: "now" },
  },
});
if (!created.ok) throw new Error("createBroadcast refused");
const [bRun] = await owner.db.select().from(broadcastRuns).where(eq(broadcastRuns.broadcastId, created.id));
let bSeqs: number[] = [];
await startRun(
  { ...bDeps, queue: { addChunks: async (_t, _r, seqs) => void (bSeqs = seqs) } },
  { tenantId: city.id, runId: bRun!.id },
);
await drain(bSeqs, (seq) => sendChunk(bDeps, { tenantId: city.id, runId: bRun!.id, seq }, { finalAttempt: false }));
const bWall = (performance.now() - t0) / 1000;
const bSent = await sentSoFar();
const bStats = await stats();
const baseline = measure(bSent, bWall, bSeqs.length, bStats.status429, bStats.status409);

// The garbage push: snapshot per area × language, then paced chunks.
console.log("garbage push…");
let gSeqs: number[] = [];
let runId = "";
const gDeps = {
  db,
  key,
  line,
  pacer,
  queue: { addChunks: async (_t: string, r: string, seqs: number[]) => void ((runId = r), (gSeqs = seqs)) },
};
t0 = performance.now();
await startGarbagePush(gDeps, city.id, DATE);
const snapshotSeconds = (performance.now() - t0) / 1000;
const outcomes = await drain(gSeqs, (seq) =>
  sendGarbagePushChunk(gDeps, { tenantId: city.id, runId, seq }, { finalAttempt: false }),
);
const gWall = (performance.now() - t0) / 1000;
const gSent = (await sentSoFar()).slice(bSent.length);
const gStats = await stats();
const garbage = measure(
  gSent,
  gWall,
  gSeqs.length,
  gStats.status429 - bStats.status429,
  gStats.status409 - bStats.status409,
);
const languages = new Set(
  (await owner.sql`select distinct text from garbage_push_chunks where tenant_id = ${city.id}`).map(
    (r) => r.text as string,
  ),
).size;

// Repeats: the next minute's sweep and every job delivered again must send nothing more.
const allSeqs = Array.from({ length: gSeqs.length }, (_, i) => i);
const restart = await startGarbagePush(gDeps, city.id, DATE);
const again = await drain(allSeqs, (seq) =>
  sendGarbagePushChunk(gDeps, { tenantId: city.id, runId, seq }, { finalAttempt: false }),
);
const extra = (await sentSoFar()).length - bSent.length - gSent.length;
const [gRun] = await owner.db.select().from(garbagePushRuns).where(eq(garbagePushRuns.id, runId));

await emu.close();
await redis.quit();
await pg.end({ timeout: 1 });
await owner.sql.end({ timeout: 1 });

const result = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, loadavgAtEnd: loadavg().map((n) => Number(n.toFixed(2))) },
  setup: {
    friends: FRIENDS,
    outsiders: 2_000,
    multicastRateLimit: RATE,
    pacing: RATE,
    concurrency: CONCURRENCY,
    collectionDate: DATE,
  },
  baseline,
  garbage: {
    ...garbage,
    snapshotSeconds: Number(snapshotSeconds.toFixed(2)),
    distinctTexts: languages,
    outcomes,
    run: { totalChunks: gRun!.totalChunks, sentChunks: gRun!.sentChunks, totalRecipients: gRun!.totalRecipients },
  },
  repeat: { restart, outcomes: again, extraDeliveries: extra },
  pass: {
    noDuplicates: garbage.duplicates === 0 && extra === 0,
    noneMissing: garbage.missing === 0,
    noOutsiders: garbage.outsidersReached === 0,
    no429: garbage.status429 === 0,
    pacedLikeBaseline: garbage.ratioToCeiling >= 0.8 * baseline.ratioToCeiling,
  },
};
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/garbage-push.json", `${JSON.stringify(result, null, 2)}\n`);
const yes = (b: boolean) => (b ? "yes" : "no");
const row = (label: string, k: keyof typeof baseline) => `| ${label} | ${baseline[k]} | ${garbage[k]} |`;
const md = `# Garbage push benchmark (${result.date.slice(0, 10)})

「明日は〇〇の日です」 to ${FRIENDS.toLocaleString("en")} friends who chose ごみ (5 areas × 3 languages; 2,000 more without the topic or blocked must get nothing), against the same run's baseline: one plain broadcast multicast to the same audience. Both in this process through the code the worker's jobs call, against the LINE emulator with a multicast limit of **${RATE} requests/s**, paced by the production Redis pacer at that rate with ${CONCURRENCY} sends in flight. ${result.machine.cpus} cores shared with other work (load average ${result.machine.loadavgAtEnd.join(" / ")} at the end).

| measure | baseline (broadcast) | garbage push |
|---|---|---|
${row("multicasts (≤ 500 recipients)", "chunks")}
${row("recipients delivered", "recipients")}
${row("wall time, start → last chunk marked (s)", "wallSeconds")}
${row("rate-limit floor: multicasts ÷ rate (s)", "floorSeconds")}
${row("share of the rate-limit ceiling (floor ÷ wall)", "ratioToCeiling")}
${row("share during the send phase", "sendPhaseRatio")}
${row("429 answers", "status429")}
${row("recipients delivered twice", "duplicates")}
${row("recipients missing", "missing")}
${row("friends without ごみ / blocked reached", "outsidersReached")}

| garbage detail | value |
|---|---|
| audience snapshot (s) | ${result.garbage.snapshotSeconds} |
| distinct message texts (area × language) | ${languages} |
| repeated start + every chunk sent again | start: ${restart}; ${JSON.stringify(again)}; extra deliveries: **${extra}** |

| pass | |
|---|---|
| 0 duplicates (incl. repeats) | ${yes(result.pass.noDuplicates)} |
| none missing | ${yes(result.pass.noneMissing)} |
| nobody outside the audience | ${yes(result.pass.noOutsiders)} |
| no 429 | ${yes(result.pass.no429)} |
| paced like the baseline (≥ 0.8 × its ceiling share) | ${yes(result.pass.pacedLikeBaseline)} |

Chunks are per area and language, so the garbage push needs a few more multicasts than the baseline (each area × language group's last chunk is partly filled).
`;
writeFileSync("bench/results/garbage-push.md", md);
console.log(md);
process.exit(0);
