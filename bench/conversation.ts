/**
 * `npm run bench:conversation` — a resident's LINE message to the account's reply, through the whole
 * production path (issue 16): LINE emulator → signed webhook → web ack and outbox → worker → the
 * conversation engine → reply accepted by the emulator.
 *
 *  1. A fresh database (madoguchi_bench_conversation): one city, its LINE channel and 2,000 published
 *     FAQ entries (the demo's 33 plus generated ones with variants, 40 categories).
 *  2. The LINE emulator in this process; `node build/node/web.js` (BENCH_WEB_CONCURRENCY, default 1)
 *     and `node build/node/worker.js` as in production, the worker sending to the emulator.
 *  3. Open loop at BENCH_RATE text events/s (default 200) for BENCH_SECONDS (default 10), each from a
 *     new LINE user (so every reply is matched to its event), released by the clock:
 *       - baseline, the bare reply path: 「問い合わせ」, a fixed keyword (no FAQ lookup);
 *       - FAQ: a mix of clear questions, ambiguous ones (3 quick replies) and unknown ones (fallback
 *         with suggestions, counted in 未回答).
 *     then the baseline again (order and drift of a shared machine show in the two baselines).
 *     Latency: from the event's release to the emulator recording the reply (its own clock, this
 *     process). Events whose reply never came within BENCH_DRAIN_SECONDS count as missing.
 * Results: bench/results/conversation.json and .md. Target: FAQ p99 ≤ 1 s at 200 events/s.
 * `npm run build` first. On a 2-core box the generator, emulator, web, worker, PostgreSQL and Redis
 * share the cores: the report gives the load average and each process's CPU.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";

const PORT = Number(process.env.BENCH_PORT ?? 3393);
const DB = "madoguchi_bench_conversation";
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS ?? 60);
const ENTRIES = Number(process.env.BENCH_FAQ_ENTRIES ?? 2_000);
const WEB_PROCESSES = Number(process.env.BENCH_WEB_CONCURRENCY ?? 1);
const OUT_DIR = process.env.BENCH_OUT_DIR ?? "bench/results";
const TARGET_P99_MS = 1_000;
const ownerUrl = `postgres://madoguchi_owner:madoguchi_owner@127.0.0.1:5432/${DB}`;
const appUrl = `postgres://madoguchi_app:madoguchi_app@127.0.0.1:5432/${DB}`;
const origin = `http://127.0.0.1:${PORT}`;

process.env.MADOGUCHI_MASTER_KEY = randomBytes(32).toString("base64");
process.env.DATABASE_URL = appUrl;
process.env.REDIS_PREFIX = `mdgbench:${randomBytes(3).toString("hex")}`;

if (!existsSync("build/node/web.js") || !existsSync("build/node/worker.js")) {
  console.error("bench:conversation needs the production build: run `npm run build` first.");
  process.exit(1);
}
const { bootstrapDatabase } = await import("../db/bootstrap");
const { createDb } = await import("../db/client.server");
const { withTenant } = await import("../db/with-tenant.server");
const { faqEntries } = await import("../db/schema/index");
const { DEMO_FAQ } = await import("../db/seed-faq");
const { makeTenant } = await import("../tests/factories/tenants");
const { makeLineChannel } = await import("../tests/factories/line");
const { startLineEmulator } = await import("../emulators/line/server");
const { spawnProductionWeb, waitForHealthy } = await import("./lib/web-server");
const { processTreeCpu } = await import("./lib/http-load");
const { assertPortFree, openLoop, percentile } = await import("./lib/load-patterns");

await assertPortFree(PORT);
const loadStart = loadavg();
console.log("seeding…");
await bootstrapDatabase({ ownerUrl }, { recreate: true });
const { db } = createDb(appUrl, 4);
const key = Buffer.from(process.env.MADOGUCHI_MASTER_KEY, "base64");
const city = await makeTenant(db, {
  slug: "bench-conversation-city",
  name: "ベンチ市",
  status: "active",
  contact: {
    phones: [{ label: "市役所 代表", number: "0736-00-1111", hours: "平日 8:30〜17:15" }],
    webUrl: null,
    disasterUrl: null,
    disasterPhone: null,
  },
});
const channel = await makeLineChannel(db, key, city.id);

// 2,000 entries: the demo's, then generated subject × topic questions with variants and answers of
// a realistic length, so the index and the category counts are the size a large city would have.
const SUBJECTS =
  "国民年金 介護保険 後期高齢者医療 児童扶養手当 就学援助 放課後児童クラブ 予防接種 がん検診 犬の登録 狂犬病予防 空き家 浄化槽 水道 下水道 市営住宅 固定資産税 軽自動車税 市民税 道路 街路灯 公園 墓地 火葬場 選挙 成人式 図書館 公民館 体育館 文化ホール 防災無線 ハザードマップ 自主防災 消防団 交通安全 自転車 バス 駐輪場 住宅リフォーム 太陽光 補助金 移住 空き店舗 農地 鳥獣被害 林業 漁業 商工会 観光 ふるさと納税 外国人相談 多文化共生 男女共同参画 人権相談 消費生活 法律相談 行政相談 情報公開 個人情報".split(
    " ",
  );
const TOPICS =
  "の申請方法 の必要書類 の手数料 の受付時間 の窓口 の期限 の対象者 の変更手続き の廃止手続き の再発行 のオンライン申請 の郵送申請 の相談先 の支払い方法 の減免 の助成 の更新 の問い合わせ先 について知りたい の予約 の持ち物 の代理申請 の必要な期間 の結果の通知 の申込書のダウンロード の注意事項 の休日対応 の障害者向けの配慮 の外国語対応 の最新情報 の問い合わせ番号 の説明会 の締め切り の受け取り方 のよくある間違い".split(
    " ",
  );
const rows = DEMO_FAQ.map((e) => ({ ...e, variants: e.variants ?? [] }));
for (let i = 0; rows.length < ENTRIES; i++) {
  const subject = SUBJECTS[i % SUBJECTS.length]!;
  const topic = TOPICS[Math.floor(i / SUBJECTS.length) % TOPICS.length]!;
  rows.push({
    category: `${subject.slice(0, 4)}${i % 40}`,
    question: `${subject}${topic}（${i}）`,
    answer: `${subject}${topic}は、担当課の窓口（平日8:30〜17:15）でご案内しています。必要なものは本人確認書類です。詳しくはホームページをご覧ください。\nhttps://www.example.jp/faq/${i}`,
    variants: [`${subject} ${topic.replace(/^の/, "")}`],
  });
}
await withTenant(db, city.id, async (tx) => {
  for (let i = 0; i < rows.length; i += 500)
    await tx.insert(faqEntries).values(rows.slice(i, i + 500).map((r) => ({ tenantId: city.id, ...r })));
});

const emu = await startLineEmulator({ port: 0 });
const control = (path: string, body?: unknown) =>
  fetch(`${emu.url}/__emulator${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
await control("/channels", { ...channel, webhookUrl: `${origin}/webhooks/line/${city.id}` });

console.log("starting web and worker…");
const web = spawnProductionWeb({ port: PORT, origin, processes: WEB_PROCESSES });
const worker = spawn(process.execPath, ["build/node/worker.js"], {
  env: {
    ...process.env,
    NODE_ENV: "production",
    REDIS_URL: "redis://127.0.0.1:6379/0",
    APP_ORIGIN: origin,
    LINE_API_BASE: emu.url,
    LINE_DATA_API_BASE: emu.url,
    STRIPE_API_BASE: "http://127.0.0.1:9",
    STRIPE_SECRET_KEY: `sk_test_bench_${randomBytes(8).toString("hex")}`,
    STRIPE_WEBHOOK_SECRET: `whsec_bench_${randomBytes(8).toString("hex")}`,
    SMTP_URL: "smtp://127.0.0.1:9",
    LOG_LEVEL: "warn",
    WORKER_HEALTH_PORT: "0",
  },
  stdio: ["ignore", "ignore", "inherit"],
});
let stopping = false;
const stopAll = () => {
  for (const p of [web, worker]) if (p.exitCode === null) p.kill("SIGTERM");
};
process.once("exit", stopAll);
for (const [name, p] of [
  ["web", web],
  ["worker", worker],
] as const)
  p.once("exit", (code) => {
    if (!stopping) {
      console.error(`${name} exited early (code ${code})`);
      stopAll();
      process.exit(1);
    }
  });
await waitForHealthy(origin);
await new Promise((r) => setTimeout(r, 2_000)); // the worker connects and starts its relay

const newUserId = () => `U${randomBytes(16).toString("hex")}`;
const FAQ_TEXTS = [
  "マイナカード 受取",
  "ﾍﾟｯﾄﾎﾞﾄﾙ",
  "粗大ごみを出したい",
  "児童手当の振込日",
  "住民票をコンビニで取りたい",
  "マイナンバーカード",
  "国民健康保険",
  "図書館の予約",
  "犬の登録の必要書類",
  "ハチの巣の駆除",
];

type Phase = {
  name: string;
  latencies: number[];
  missing: number;
  viaPush: number;
  wallSeconds: number;
  cpu: Record<string, number>;
};

async function phase(name: string, textOf: (i: number) => string, count: number): Promise<Phase> {
  const users = Array.from({ length: count }, newUserId);
  const releasedAt = new Float64Array(count);
  const since = Date.now();
  const web0 = processTreeCpu(web.pid!);
  const worker0 = processTreeCpu(worker.pid!);
  const gen0 = process.cpuUsage();
  const r = await openLoop(
    async (i) => {
      releasedAt[i] = Date.now();
      const res = await control("/events", {
        channelId: channel.channelId,
        userId: users[i],
        events: [{ type: "message", message: { type: "text", text: textOf(i) } }],
      });
      await res.arrayBuffer();
      return res.status;
    },
    { rate: RATE, count },
  );
  // Wait for every reply (or the drain limit), then match replies to events by user.
  const deadline = Date.now() + DRAIN_SECONDS * 1000;
  let sent: { to: string[]; at: string; kind: string }[] = [];
  for (;;) {
    const res = await control(`/sent?channelId=${channel.channelId}&since=${since}`);
    sent = ((await res.json()) as { messages: typeof sent }).messages;
    if (sent.length >= count || Date.now() > deadline) break;
    await new Promise((res2) => setTimeout(res2, 250));
  }
  const web1 = processTreeCpu(web.pid!);
  const worker1 = processTreeCpu(worker.pid!);
  const gen = process.cpuUsage(gen0);
  const byUser = new Map(sent.map((s) => [s.to[0]!, s]));
  const latencies: number[] = [];
  let viaPush = 0;
  users.forEach((u, i) => {
    const s = byUser.get(u);
    if (!s) return;
    latencies.push(Date.parse(s.at) - releasedAt[i]!);
    if (s.kind === "push") viaPush++;
  });
  const cpu = (a: { user: number; system: number }, b: { user: number; system: number }) =>
    Math.round((b.user + b.system - a.user - a.system) * 100) / 100;
  return {
    name,
    latencies,
    missing: count - latencies.length,
    viaPush,
    wallSeconds: r.wallSeconds,
    cpu: {
      webSeconds: cpu(web0, web1),
      workerSeconds: cpu(worker0, worker1),
      generatorAndEmulatorSeconds: Math.round(((gen.user + gen.system) / 1e6) * 100) / 100,
    },
  };
}

const count = RATE * SECONDS;
console.log("warm-up…");
await phase("warm-up", (i) => FAQ_TEXTS[i % FAQ_TEXTS.length]!, 50);
console.log(`baseline (keyword reply) at ${RATE}/s for ${SECONDS}s…`);
const bare = await phase("keyword", () => "問い合わせ", count);
console.log(`FAQ at ${RATE}/s for ${SECONDS}s…`);
const faq = await phase("faq", (i) => `${FAQ_TEXTS[i % FAQ_TEXTS.length]}`, count);
// The baseline again: on a shared box the first phase also pays for warming up, and the load of
// other processes drifts; two baseline runs around the FAQ run show how much.
console.log("baseline again…");
const bareAfter = await phase("keyword-after", () => "問い合わせ", count);
stopping = true;
stopAll();
await emu.close();

const summary = (p: Phase) => ({
  events: count,
  replies: p.latencies.length,
  missing: p.missing,
  viaPush: p.viaPush,
  latencyMs: {
    p50: Math.round(percentile(p.latencies, 50) ?? NaN),
    p90: Math.round(percentile(p.latencies, 90) ?? NaN),
    p99: Math.round(percentile(p.latencies, 99) ?? NaN),
    max: Math.round(Math.max(...p.latencies)),
  },
  cpu: p.cpu,
});
const result = {
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAvgBefore: loadStart, loadAvgAfter: loadavg() },
  config: { ratePerSecond: RATE, seconds: SECONDS, faqEntries: rows.length, webProcesses: WEB_PROCESSES },
  baselineKeyword: summary(bare),
  faq: summary(faq),
  baselineKeywordAfter: summary(bareAfter),
  target: { p99Ms: TARGET_P99_MS },
  met: (summary(faq).latencyMs.p99 ?? Infinity) <= TARGET_P99_MS && faq.missing === 0,
};
writeFileSync(`${OUT_DIR}/conversation.json`, JSON.stringify(result, null, 2) + "\n");
const line = (name: string, s: ReturnType<typeof summary>) =>
  `| ${name} | ${s.events} | ${s.replies} | ${s.missing} | ${s.latencyMs.p50} | ${s.latencyMs.p90} | ${s.latencyMs.p99} | ${s.latencyMs.max} | ${s.cpu.webSeconds} | ${s.cpu.workerSeconds} |`;
const md = `# bench:conversation — LINE message → reply accepted by the emulator

Run ${result.at} on ${result.machine.cpus} × ${result.machine.model}; load average before ${loadStart.map((x) => x.toFixed(2)).join(" / ")}, after ${result.machine.loadAvgAfter.map((x) => x.toFixed(2)).join(" / ")}.
${RATE} text events/s for ${SECONDS} s per phase, open loop, each from a new LINE user; ${rows.length} published FAQ entries; ${WEB_PROCESSES} web process(es), 1 worker; the emulator and the load generator share this process (${faq.cpu.generatorAndEmulatorSeconds} CPU s in the FAQ phase).

| phase | events | replies | missing | p50 ms | p90 ms | p99 ms | max ms | web CPU s | worker CPU s |
|---|---|---|---|---|---|---|---|---|---|
${line("baseline: keyword 「問い合わせ」 (bare reply path)", result.baselineKeyword)}
${line("FAQ: clear, ambiguous and unknown questions", result.faq)}
${line("baseline again, after the FAQ phase", result.baselineKeywordAfter)}

Target: FAQ p99 ≤ ${TARGET_P99_MS} ms with nothing missing — **${result.met ? "met" : "not met"}**. Replies sent by push (the reply token was over 50 s old): baseline ${bare.viaPush}, FAQ ${faq.viaPush}, baseline again ${bareAfter.viaPush}.
Latency runs from the event's release by the generator to the emulator recording the reply, so it includes the webhook ack, the outbox relay, the BullMQ hop, the engine's transaction and the reply call.
`;
writeFileSync(`${OUT_DIR}/conversation.md`, md);
console.log(md);
process.exit(0);
