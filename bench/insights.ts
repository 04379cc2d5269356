/**
 * `npm run bench:insights` — the insights dashboard at a large city's scale (issue 20).
 *
 *  1. A fresh database (BENCH_DB): one city with 300,000 LINE friends and ~1,000,000 reservations
 *     over two years (600,000 roster entries, two thirds of them with a second dose), generated in
 *     SQL by the same generator as the demo (db/seed-insights.ts), daily friend snapshots included.
 *  2. Each figure provider, and the whole dashboard (every provider, k-anonymity applied, as the
 *     page's loader runs it), for the default 30 days, a year and the maximum 2 years; ITERATIONS
 *     runs each, p50/p99.
 *  3. Baseline of the same run: a plain `SELECT count(*) FROM reservations` (the biggest table).
 * Results: bench/results/insights.json and insights.md. Target: each p99 ≤ 500 ms.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const DB = process.env.BENCH_DB ?? "madoguchi_bench_insights";
const FRIENDS = Number(process.env.BENCH_FRIENDS ?? 300_000);
const HOLDERS = Number(process.env.BENCH_HOLDERS ?? 600_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20);
const ownerUrl = `postgres://madoguchi_owner:madoguchi_owner@127.0.0.1:5432/${DB}`;
const appUrl = `postgres://madoguchi_app:madoguchi_app@127.0.0.1:5432/${DB}`;
const RESULTS = join(import.meta.dirname, "results");
process.env.DATABASE_URL = appUrl;

const { bootstrapDatabase } = await import("../db/bootstrap");
const { createDb } = await import("../db/client.server");
const { withTenant } = await import("../db/with-tenant.server");
const { makeTenant } = await import("../tests/factories/tenants");
const { seedInsightsHistory } = await import("../db/seed-insights");
const { FIGURE_PROVIDERS, loadInsights } = await import("../app/features/insights/providers.server");
const { addDays, tokyoDateOf } = await import("../app/lib/japan-time");
const { sql: dsql } = await import("drizzle-orm");

const log = (s: string) => process.stdout.write(`${s}\n`);
// BENCH_REUSE=1 measures again on the database a previous run generated (seeding takes minutes).
const reuse = process.env.BENCH_REUSE === "1";
if (!reuse) {
  log(`seeding ${DB}…`);
  await bootstrapDatabase({ ownerUrl }, { recreate: true });
}
const owner = createDb(ownerUrl, 2);
const app = createDb(appUrl, 4);
const areas = ["中央", "北", "南", "東", "西", "山間", "臨海", "新町"];
const t0 = performance.now();
let city: { id: string; slug: string };
if (reuse) {
  [city] = await owner.sql<{ id: string; slug: string }[]>`select id, slug from tenants where slug = 'bench-insights'`;
} else {
  city = await makeTenant(app.db, { slug: "bench-insights", name: "ベンチ市", status: "active", areas });
  await seedInsightsHistory(owner.db, city.id, { friends: FRIENDS, holders: HOLDERS, days: 730, venues: 8, areas });
  await owner.sql`vacuum analyze`; // as autovacuum would have done: visibility maps for index-only scans
}
const seedSeconds = (performance.now() - t0) / 1000;
const [counts] = await owner.sql<{ friends: number; reservations: number; slots: number }[]>`
  select (select count(*) from line_friends)::int as friends, (select count(*) from reservations)::int as reservations,
         (select count(*) from slots)::int as slots`;
log(`seeded in ${seedSeconds.toFixed(0)} s: ${JSON.stringify(counts)}`);

async function measure(name: string, fn: () => Promise<unknown>) {
  await fn(); // warm
  const ms: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const s = performance.now();
    await fn();
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.ceil(p * ms.length) - 1)]!;
  const r = { name, p50: Math.round(q(0.5) * 10) / 10, p99: Math.round(q(0.99) * 10) / 10 };
  log(`${name}: p50 ${r.p50} ms, p99 ${r.p99} ms`);
  return r;
}

const today = tokyoDateOf(new Date());
const periods = { "30日": addDays(today, -29), "1年": addDays(today, -364), "2年": addDays(today, -730) };
// The baseline: a plain count of the biggest table, all of it (the owner, no row security).
const rows = [
  await measure("baseline: SELECT count(*) FROM reservations", async () => {
    const [r] = await owner.sql<{ n: number }[]>`select count(*)::int as n from reservations`;
    if (r!.n !== counts!.reservations) throw new Error("baseline counted the wrong rows");
  }),
];
for (const [label, from] of Object.entries(periods)) {
  const ctx = { tenantId: city.id, citySlug: city.slug, period: { from, to: today }, role: "admin", areas };
  for (const p of FIGURE_PROVIDERS) {
    rows.push(
      await measure(`${label}: ${p.title}`, () =>
        withTenant(app.db, city.id, async (tx) => {
          await tx.execute(dsql`set local jit = off`); // as loadInsights does
          return p.load(tx, ctx);
        }),
      ),
    );
  }
  rows.push(await measure(`${label}: ダッシュボード全体 (loadInsights)`, () => loadInsights(app.db, ctx)));
}
const baseline = rows[0]!.p99;
const result = {
  date: new Date().toISOString(),
  load: (await import("node:os")).loadavg()[0],
  data: counts,
  seedSeconds: Math.round(seedSeconds),
  iterations: ITERATIONS,
  targetP99Ms: 500,
  results: rows.map((r) => ({ ...r, vsBaseline: Math.round((r.p99 / baseline) * 100) / 100 })),
};
mkdirSync(RESULTS, { recursive: true });
writeFileSync(join(RESULTS, "insights.json"), JSON.stringify(result, null, 2) + "\n");
writeFileSync(
  join(RESULTS, "insights.md"),
  [
    `# bench:insights — ${result.date}`,
    "",
    `${counts!.friends.toLocaleString()} friends, ${counts!.reservations.toLocaleString()} reservations, ${counts!.slots.toLocaleString()} slots, 2 years; load average ${result.load.toFixed(1)} (shared 2-core box); ${ITERATIONS} runs each.`,
    "",
    "| query | p50 ms | p99 ms | p99 ÷ baseline p99 | ≤ 500 ms |",
    "|---|---|---|---|---|",
    ...result.results.map(
      (r) => `| ${r.name} | ${r.p50} | ${r.p99} | ${r.vsBaseline} | ${r.p99 <= 500 ? "yes" : "**no**"} |`,
    ),
    "",
  ].join("\n"),
);
await owner.sql.end();
await app.sql.end();
log("written bench/results/insights.{json,md}");
