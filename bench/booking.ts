/**
 * `npm run bench:booking` — an opening rush through the whole HTTP stack, with a same-run baseline.
 *
 *  1. A fresh database: one city, one service, 200 slots × 50 web seats = 10,000 seats, 50,000 roster
 *     entries. The production build is served by `npm start` (server/index.ts, NODE_ENV=production)
 *     with BENCH_WEB_CONCURRENCY (default 2) web processes, as a city would run it on a 2-core box.
 *  2. 50,000 booking attempts — the resident's final "この内容で予約する" POST as the browser sends it
 *     with JavaScript on (POST /c/:city/reserve/book, JSON), each with its own sealed flow cookie and
 *     idempotency key, to a uniformly random slot, CONCURRENCY at a time.
 *  3. Baseline in the same run: pgbench doing the same conditional UPDATE (seat counter + capacity
 *     check) 50,000 times on an identical 200×50 table — the database's bare ceiling for this work.
 *  4. Checks: no slot above capacity, counters equal reservation rows.
 * Results: bench/results/booking.json and booking.md. Targets: ≥ 625 bookings/s and ≥ 0.5× baseline.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PORT = Number(process.env.BENCH_PORT ?? 3390);
const DB = "madoguchi_bench_booking";
const SLOTS = 200;
const SEATS = 50;
const ATTEMPTS = Number(process.env.BENCH_ATTEMPTS ?? 50_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const ownerUrl = `postgres://madoguchi_owner:madoguchi_owner@127.0.0.1:5432/${DB}`;
const appUrl = `postgres://madoguchi_app:madoguchi_app@127.0.0.1:5432/${DB}`;
const origin = `http://127.0.0.1:${PORT}`;

// The bench seals flow cookies itself, so it must share the server's key: a fresh random one.
process.env.MADOGUCHI_MASTER_KEY = randomBytes(32).toString("base64");
process.env.DATABASE_URL = appUrl;
process.env.REDIS_PREFIX = `mdgbench:${randomBytes(3).toString("hex")}`;

const { bootstrapDatabase } = await import("../db/bootstrap");
const { createDb } = await import("../db/client.server");
const { makeTenant } = await import("../tests/factories/tenants");
const { makeService, makeSlot, makeTicketHolders, makeVenue, ticketNumbers } = await import("../tests/factories/reservations");
const { flowCookie } = await import("../app/features/reservations/resident-flow.server");
const { createLoadClient, processTreeCpu } = await import("./lib/http-load");

if (!existsSync("build/server/index.js") || !existsSync("build/node/web.js")) throw new Error("run `npm run build` first");
console.log("seeding…");
await bootstrapDatabase({ ownerUrl }, { recreate: true });
const { db, sql } = createDb(appUrl, 4);
const city = await makeTenant(db, { slug: "bench-city", name: "ベンチ市", status: "active" });
const service = await makeService(db, city.id, { doses: 1, bookingWindowDays: 60 });
const venue = await makeVenue(db, city.id);
const slotIds: string[] = [];
const day0 = Date.now() + 2 * 24 * 3600 * 1000;
for (let i = 0; i < SLOTS; i++) {
  const s = await makeSlot(db, city.id, { venueId: venue.id, serviceId: service.id, startsAt: new Date(day0 + i * 30 * 60_000), webCapacity: SEATS, phoneCapacity: 0 });
  slotIds.push(s.id);
}
const holders = await makeTicketHolders(db, city.id, ticketNumbers(ATTEMPTS, 1_000_000_000).map((t, i) => ({ ticketNumber: t, birthDate: `19${40 + (i % 60)}-01-01` })));
const cookies = holders.map((h) => flowCookie(city, { channel: "web", serviceId: service.id, ticketHolderId: h.id, contact: { name: "ベンチ 太郎", phone: "0900000000", email: "" } }).split(";")[0]!);

console.log("starting web…");
const WEB_PROCESSES = Number(process.env.BENCH_WEB_CONCURRENCY ?? 2);
const DB_POOL = Number(process.env.BENCH_DB_POOL ?? 20);
const web = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=.tmp/prof"] : []), "build/node/web.js"], {
  env: {
    ...process.env,
    NODE_ENV: "production",
    WEB_CONCURRENCY: String(WEB_PROCESSES),
    DATABASE_POOL_MAX: String(DB_POOL),
    PORT: String(PORT),
    HOST: "127.0.0.1",
    APP_ORIGIN: origin,
    REDIS_URL: "redis://127.0.0.1:6379/0",
    LINE_API_BASE: "http://127.0.0.1:9",
    LINE_DATA_API_BASE: "http://127.0.0.1:9",
    STRIPE_API_BASE: "http://127.0.0.1:9",
    SMTP_URL: "smtp://127.0.0.1:9",
    LOG_LEVEL: "warn",
  },
  stdio: ["ignore", "ignore", "inherit"],
});
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${origin}/healthz`)).ok) break;
  } catch {
    /* starting */
  }
  if (i > 200) throw new Error("web did not start");
  await new Promise((r) => setTimeout(r, 100));
}
for (let i = 0; i < 200; i++) await fetch(`${origin}/c/bench-city`).then((r) => r.arrayBuffer()); // warm up

// A second reference in the same run: the HTTP stack's own ceiling for a trivial DB-backed GET.
const load = createLoadClient(origin, CONCURRENCY);
const hzCpu0 = processTreeCpu(web.pid!);
const hz0 = performance.now();
let hzNext = 0;
await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
  while (hzNext++ < 5000) await load.request("GET", "/healthz", {});
}));
const healthzPerSecond = 5000 / ((performance.now() - hz0) / 1000);
const hzCpu1 = processTreeCpu(web.pid!);
const healthzCpuMs = ((hzCpu1.user + hzCpu1.system - hzCpu0.user - hzCpu0.system) * 1000) / 5000;

type Outcome = "booked" | "full" | "other";
const latencies: Record<Outcome, number[]> = { booked: [], full: [], other: [] };
const otherSamples: string[] = [];
let lastBookedAt = 0;
let next = 0;
console.log(`${ATTEMPTS} attempts, ${CONCURRENCY} at a time…`);
const cpu0 = processTreeCpu(web.pid!);
const t0 = performance.now();
async function client() {
  while (next < ATTEMPTS) {
    const i = next++;
    const slot = slotIds[Math.floor(Math.random() * SLOTS)]!;
    const started = performance.now();
    let outcome: Outcome = "other";
    try {
      const res = await load.request(
        "POST",
        "/c/bench-city/reserve/book",
        { origin, cookie: cookies[i]!, "content-type": "application/json" },
        JSON.stringify({ slot, idempotencyKey: crypto.randomUUID() }),
      );
      const body = res.body;
      if (res.status === 200 && body.includes("/reserve/done/")) outcome = "booked";
      else if (res.status === 200 && body.includes('"reason":"full"')) outcome = "full";
      else if (otherSamples.length < 5) otherSamples.push(`${res.status} ${body.slice(0, 200)}`);
    } catch (e) {
      if (otherSamples.length < 5) otherSamples.push(String(e));
    }
    const done = performance.now();
    latencies[outcome].push(done - started);
    if (outcome === "booked") lastBookedAt = done;
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, client));
const wall = (performance.now() - t0) / 1000;
const cpu1 = processTreeCpu(web.pid!);
const webCpuMsPerAttempt = { user: ((cpu1.user - cpu0.user) * 1000) / ATTEMPTS, system: ((cpu1.system - cpu0.system) * 1000) / ATTEMPTS };
load.close();
const fillSeconds = (lastBookedAt - t0) / 1000;
web.kill("SIGTERM");

await sql.end();
// The owner connection sees every row (the app role would see none outside withTenant).
const owner = createDb(ownerUrl, 1);
const [check] = (await owner.sql`
  select coalesce(sum(greatest(s.web_booked - s.web_capacity, 0)), 0)::int as over,
         coalesce(sum(abs(s.web_booked - coalesce(r.n, 0))), 0)::int as mismatch,
         coalesce(sum(s.web_booked), 0)::int as booked
    from slots s left join (select slot_id, count(*)::int as n from reservations where status = 'booked' group by slot_id) r on r.slot_id = s.id`) as unknown as { over: number; mismatch: number; booked: number }[];
await owner.sql.end();

// Baselines: the same conditional UPDATE straight into PostgreSQL with pgbench — and, for an
// apples-to-apples view, pgbench running the booking's whole transaction shape (begin, tenant
// setting, idempotency lock, the reads, seat + reservation + outbox in one statement, commit) on
// scratch tables. Prepared statements, as postgres.js uses.
console.log("pgbench baselines…");
const admin = createDb(ownerUrl, 1);
await admin.sql.unsafe(`drop table if exists bench_slots, bench_res, bench_outbox;
  create table bench_slots (id int primary key, booked int not null default 0, cap int not null);
  insert into bench_slots select g, 0, ${SEATS} from generate_series(1, ${SLOTS}) g;
  create table bench_res (id bigserial primary key, slot_id int not null, key text not null unique);
  create table bench_outbox (id bigserial primary key, payload jsonb not null);`);
const dir = mkdtempSync(join(tmpdir(), "pgbench-"));
writeFileSync(join(dir, "update.sql"), `\\set s random(1, ${SLOTS})\nupdate bench_slots set booked = booked + 1 where id = :s and booked < cap;\n`);
writeFileSync(
  join(dir, "booking-tx.sql"),
  `\\set s random(1, ${SLOTS})
\\set k random(1, 2000000000)
begin;
select set_config('app.tenant_id', '00000000-0000-4000-8000-000000000001', true);
select pg_advisory_xact_lock(hashtextextended('k' || :k, 0));
select id from bench_res where key = 'k' || :k;
select booked, cap from bench_slots where id = :s;
with seat as (update bench_slots set booked = booked + 1 where id = :s and booked < cap returning id),
     ins as (insert into bench_res (slot_id, key) select id, gen_random_uuid()::text from seat returning id)
insert into bench_outbox (payload) select jsonb_build_object('reservationId', id) from ins;
commit;
`,
);
const clients = 16;
function pgbench(file: string) {
  const run = spawnSync("pgbench", ["-n", "-M", "prepared", "-h", "127.0.0.1", "-U", "madoguchi_owner", "-c", String(clients), "-j", "2", "-t", String(Math.ceil(ATTEMPTS / clients)), "-f", join(dir, file), DB], { env: { ...process.env, PGPASSWORD: "madoguchi_owner" }, encoding: "utf8" });
  return Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(run.stdout)?.[1] ?? NaN);
}
const tps = pgbench("update.sql");
await admin.sql.unsafe("update bench_slots set booked = 0");
const txTps = pgbench("booking-tx.sql");
await admin.sql.end();

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
};
const attemptsPerSecond = ATTEMPTS / wall;
const bookingsPerSecond = latencies.booked.length / fillSeconds;
const ratio = attemptsPerSecond / tps;
const result = {
  date: new Date().toISOString(),
  machine: { cpus: (await import("node:os")).cpus().length, node: process.version },
  setup: { slots: SLOTS, seatsPerSlot: SEATS, seats: SLOTS * SEATS, attempts: ATTEMPTS, concurrency: CONCURRENCY, webProcesses: WEB_PROCESSES, dbPoolPerProcess: DB_POOL },
  http: {
    wallSeconds: Math.round(wall * 100) / 100,
    attemptsPerSecond: Math.round(attemptsPerSecond),
    booked: latencies.booked.length,
    full: latencies.full.length,
    other: latencies.other.length,
    otherSamples,
    secondsToFill: Math.round(fillSeconds * 100) / 100,
    webCpuMsPerAttempt: { user: Math.round(webCpuMsPerAttempt.user * 100) / 100, system: Math.round(webCpuMsPerAttempt.system * 100) / 100 },
    bookingsPerSecond: Math.round(bookingsPerSecond),
    latencyMs: { booked: { p50: pct(latencies.booked, 50), p99: pct(latencies.booked, 99) }, full: { p50: pct(latencies.full, 50), p99: pct(latencies.full, 99) } },
  },
  baseline: { tool: "pgbench", clients, transactionsPerSecond: Math.round(tps), bookingTransactionShapePerSecond: Math.round(txTps) },
  ratioToBookingTransactionBaseline: Math.round((attemptsPerSecond / txTps) * 1000) / 1000,
  httpCeiling: { route: "GET /healthz (one SELECT 1)", requestsPerSecond: Math.round(healthzPerSecond), webCpuMsPerRequest: Math.round(healthzCpuMs * 100) / 100 },
  ratioToBaseline: Math.round(ratio * 1000) / 1000,
  overbooking: { seatsOverCapacity: check!.over, counterRowMismatch: check!.mismatch, seatsBooked: check!.booked },
  targets: { bookingsPerSecond: 625, ratioToBaseline: 0.5 },
};
const pass = { bookingsPerSecond: bookingsPerSecond >= 625, ratio: ratio >= 0.5, overbooking: check!.over === 0 && check!.mismatch === 0 && latencies.other.length === 0 };
writeFileSync("bench/results/booking.json", JSON.stringify({ ...result, pass }, null, 2) + "\n");
writeFileSync(
  "bench/results/booking.md",
  `# Booking opening benchmark (${result.date.slice(0, 10)})

${SLOTS} slots × ${SEATS} web seats = ${SLOTS * SEATS} seats; ${ATTEMPTS} attempts through the HTTP stack (\`npm start\`: production build, ${WEB_PROCESSES} web process(es), ${DB_POOL} PostgreSQL connections each), ${CONCURRENCY} concurrent clients, on ${result.machine.cpus} cores.

| measure | value | target | pass |
|---|---|---|---|
| bookings/s (seats taken ÷ time to take the last one) | ${result.http.bookingsPerSecond} | ≥ 625 | ${pass.bookingsPerSecond ? "yes" : "no"} |
| attempts/s over HTTP | ${result.http.attemptsPerSecond} | | |
| web CPU per attempt, user + system (ms, all web processes) | ${result.http.webCpuMsPerAttempt.user} + ${result.http.webCpuMsPerAttempt.system} | | |
| pgbench baseline, same conditional UPDATE (tps) | ${result.baseline.transactionsPerSecond} | | |
| ratio attempts/s ÷ baseline tps | ${result.ratioToBaseline} | ≥ 0.5 | ${pass.ratio ? "yes" : "no"} |
| pgbench, the booking's whole transaction shape (tps) | ${result.baseline.bookingTransactionShapePerSecond} | | |
| ratio attempts/s ÷ whole-transaction tps | ${result.ratioToBookingTransactionBaseline} | | |
| same-run HTTP ceiling: GET /healthz (req/s; web CPU ms per request) | ${result.httpCeiling.requestsPerSecond}; ${result.httpCeiling.webCpuMsPerRequest} | | |
| booked / full / other answers | ${result.http.booked} / ${result.http.full} / ${result.http.other} | other = 0 | ${result.http.other === 0 ? "yes" : "no"} |
| p50 / p99 of successful bookings (ms) | ${result.http.latencyMs.booked.p50} / ${result.http.latencyMs.booked.p99} | | |
| p50 / p99 of "full" answers (ms) | ${result.http.latencyMs.full.p50} / ${result.http.latencyMs.full.p99} | | |
| seats over capacity / counter≠rows | ${check!.over} / ${check!.mismatch} | 0 / 0 | ${pass.overbooking ? "yes" : "no"} |
`,
);
console.log(readable());
function readable() {
  return JSON.stringify({ ...result.http, baselineTps: result.baseline.transactionsPerSecond, ratio: result.ratioToBaseline, overbooking: result.overbooking, pass }, null, 2);
}
process.exit(0);
