/**
 * `npm run bench:status-import`: a status lookup's CSV import at city scale (issue 19).
 *
 *  1. Generates deterministic 100,000-row Shift_JIS CSVs: a roster (接種券番号, 生年月日) and a status
 *     file (申請番号, 生年月日, 状況, 日付) for the same people — mixed western and era dates, 10 %
 *     full-width numbers — and a second status file where every tenth row moved on.
 *  2. Creates a fresh database (BENCH_DB_NAME, default madoguchi_bench_status) with the real migrations.
 *  3. Baseline, in the same run: the roster import as production runs it (ADR 020) on the roster file.
 *  4. The status import as production runs it: upload stored with its job (queueImport), then the
 *     worker's half (importStatuses: decode, parse, check, HMAC, stage, duplicate check, merge); then a
 *     re-import where 10,000 statuses changed (changes recorded, notices queued for followed rows).
 *  5. Writes bench/results/status-import.json and .md. Target: 100,000 rows in under 60 s.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import iconv from "iconv-lite";
import postgres from "postgres";
import { sql } from "drizzle-orm";

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const TARGET_SECONDS = 60;
const DB_NAME = process.env.BENCH_DB_NAME ?? "madoguchi_bench_status";
const OWNER_URL = `postgres://madoguchi_owner:madoguchi_owner@127.0.0.1:5432/${DB_NAME}`;
const APP_URL = `postgres://madoguchi_app:madoguchi_app@127.0.0.1:5432/${DB_NAME}`;
const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));

process.env.DATABASE_URL = APP_URL;
process.env.DATABASE_OWNER_URL = OWNER_URL;

const { bootstrapDatabase } = await import("../db/bootstrap");
const { createDb } = await import("../db/client.server");
const { withTenant } = await import("../db/with-tenant.server");
const { makeTenant } = await import("../tests/factories/tenants");
const { queueRosterImport, runQueuedImport } = await import("../app/features/roster/roster-queue.server");
const { createLookup, queueImport } = await import("../app/features/status-lookup/admin.server");
const { importStatuses } = await import("../app/features/status-lookup/import.server");
const { keyPatternOf } = await import("../app/features/status-lookup/keys");
const { subscribeIn } = await import("../app/features/status-lookup/check.server");
const { ERAS } = await import("../app/features/roster/birth-date");

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const toFullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
function eraText(iso: string) {
  const era = [...ERAS].reverse().find((e) => e.start <= iso)!;
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const year = y - Number(era.start.slice(0, 4)) + 1;
  return `${era.name}${year === 1 ? "元" : year}年${m}月${d}日`;
}
const STATUSES = ["受付済み", "審査中", "振込予定", "不備あり"];

function generate(rows: number) {
  const random = prng(20261208);
  const roster = ["接種券番号,生年月日"];
  const first = ["申請番号,生年月日,状況,日付"];
  const second = ["申請番号,生年月日,状況,日付"];
  const start = Date.UTC(1925, 0, 1);
  const span = Date.UTC(2008, 11, 31) - start;
  for (let i = 0; i < rows; i++) {
    const key = String(10_000_000 + ((i * 7919) % 90_000_000));
    const ticket = `00${key}`;
    const birth = new Date(start + Math.floor(random() * (span / 86_400_000)) * 86_400_000).toISOString().slice(0, 10);
    const birthCell = random() < 0.5 ? birth.replaceAll("-", "/") : eraText(birth);
    const keyCell = random() < 0.1 ? toFullWidth(key) : key;
    const s = STATUSES[i % 3]!; // 受付済み, 審査中, 振込予定
    const date = s === "振込予定" ? "2027-01-15" : "";
    roster.push(`${ticket},${birthCell}`);
    first.push(`${keyCell},${birthCell},${s},${date}`);
    const moved = i % 10 === 0 ? (s === "振込予定" ? "振込予定" : "審査中") : s;
    const movedDate = moved === "振込予定" ? (i % 10 === 0 ? "2027-01-22" : date) : "";
    second.push(`${keyCell},${birthCell},${moved},${movedDate}`);
  }
  const enc = (lines: string[]) => iconv.encode(lines.join("\r\n") + "\r\n", "cp932");
  return { roster: enc(roster), first: enc(first), second: enc(second) };
}

async function timed<T>(fn: () => Promise<T>) {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  try {
    const result = await fn();
    return { result, seconds: (performance.now() - t0) / 1000, peakRssMiB: Math.round(peakRss / 1024 / 1024) };
  } finally {
    clearInterval(sampler);
  }
}
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

async function main() {
  const loadAtStart = round(loadavg()[0]!);
  const dir = mkdtempSync(join(tmpdir(), "mdg-bench-status-"));
  const files = generate(ROWS);
  const rosterPath = join(dir, "roster.csv");
  writeFileSync(rosterPath, files.roster);
  console.log(
    `generated ${ROWS.toLocaleString()} rows (${(files.first.length / 1024 / 1024).toFixed(1)} MiB status CSV)`,
  );
  await bootstrapDatabase(
    { ownerUrl: OWNER_URL, superuserUrl: process.env.DATABASE_SUPERUSER_URL },
    { recreate: true },
  );
  const app = createDb(APP_URL, 4);
  try {
    const rosterCity = await makeTenant(app.db, { name: "ベンチ名簿市" });
    const city = await makeTenant(app.db, { name: "ベンチ状況市" });
    const upload = { path: rosterPath, filename: "roster.csv", bytes: files.roster.length, cleanup: async () => {} };
    const baseline = await timed(async () => {
      const { importId } = await queueRosterImport(app.db, {
        tenantId: rosterCity.id,
        file: upload,
        staffUserId: null,
      });
      return runQueuedImport(app.db, { tenantId: rosterCity.id, importId });
    });
    if (baseline.result.status !== "completed") throw new Error("roster baseline did not complete");
    console.log(`baseline roster import: ${baseline.seconds.toFixed(2)} s`);

    const lookup = await createLookup(
      app.db,
      city.id,
      {
        title: "ベンチ給付金",
        keyLabel: "申請番号",
        keyPattern: keyPatternOf({ kind: "digits", length: 8 }),
        statuses: STATUSES.map((label, i) => ({
          code: `s${i + 1}`,
          label,
          text: label === "振込予定" ? "振込予定日は{{date}}です。" : `${label}です。`,
        })),
        note: "",
        opensOn: "2026-01-01",
        closesOn: "2027-12-31",
        contact: "",
        purgeAfterDays: 90,
      },
      { staffUserId: null as unknown as string },
    );
    const run = (bytes: Buffer) => async () => {
      const q = await queueImport(
        app.db,
        city.id,
        { lookupId: lookup.id, filename: "status.csv", bytes },
        {
          staffUserId: null as unknown as string,
        },
      );
      if (!q.ok) throw new Error(q.message);
      return importStatuses(app.db, { tenantId: city.id, importId: q.importId, today: "2026-12-08" });
    };
    const imported = await timed(run(files.first));
    if (imported.result.status !== "completed" || imported.result.added !== ROWS)
      throw new Error(`import did not complete: ${JSON.stringify(imported.result).slice(0, 500)}`);
    console.log(`status import: ${imported.seconds.toFixed(2)} s`);
    // 1,000 followed rows, so the re-import also queues notices.
    await withTenant(app.db, city.id, async (tx) => {
      const rows = await tx.execute<{ id: string }>(
        sql`select id from status_lookup_rows where lookup_id = ${lookup.id} order by id limit 1000`,
      );
      for (const r of rows)
        await subscribeIn(tx, { tenantId: city.id, rowId: r.id, lang: "ja", email: `b${r.id}@example.jp` });
    });
    const reimport = await timed(run(files.second));
    if (reimport.result.status !== "completed") throw new Error("re-import did not complete");
    console.log(`re-import with changes: ${reimport.seconds.toFixed(2)} s (${reimport.result.changed} changed)`);

    const results = {
      benchmark: "status-import",
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? "unknown",
        memoryGiB: round(totalmem() / 1024 ** 3, 1),
        loadAverage1m: loadAtStart,
        node: process.version,
      },
      input: { rows: ROWS, bytes: files.first.length, encoding: "Shift_JIS (CP932)" },
      import: {
        seconds: round(imported.seconds),
        rowsPerSecond: Math.round(ROWS / imported.seconds),
        peakRssMiB: imported.peakRssMiB,
      },
      reimportWithChanges: {
        seconds: round(reimport.seconds),
        changed: reimport.result.changed,
        rowsPerSecond: Math.round(ROWS / reimport.seconds),
      },
      baselineRosterImport: { seconds: round(baseline.seconds), rowsPerSecond: Math.round(ROWS / baseline.seconds) },
      importToBaselineRatio: round(imported.seconds / baseline.seconds),
      targetSeconds: TARGET_SECONDS,
      pass: imported.seconds < TARGET_SECONDS && reimport.seconds < TARGET_SECONDS,
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "status-import.json"), JSON.stringify(results, null, 2) + "\n");
    writeFileSync(join(RESULTS, "status-import.md"), markdown(results));
    console.log(
      `${results.pass ? "PASS" : "FAIL"}: ${results.import.seconds} s, ${results.importToBaselineRatio}× the roster import`,
    );
    if (!results.pass) process.exitCode = 1;
  } finally {
    await app.sql.end({ timeout: 5 });
    rmSync(dir, { recursive: true, force: true });
    if (process.env.BENCH_KEEP_DB !== "1") {
      const admin = postgres(OWNER_URL.replace(`/${DB_NAME}`, "/postgres"), { max: 1, onnotice: () => {} });
      await admin.unsafe(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).finally(() => admin.end({ timeout: 1 }));
    }
  }
}

function markdown(r: {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; loadAverage1m: number; node: string };
  input: { rows: number; bytes: number };
  import: { seconds: number; rowsPerSecond: number; peakRssMiB: number };
  reimportWithChanges: { seconds: number; changed: number; rowsPerSecond: number };
  baselineRosterImport: { seconds: number; rowsPerSecond: number };
  importToBaselineRatio: number;
  targetSeconds: number;
  pass: boolean;
}) {
  const n = (x: number) => x.toLocaleString("en-US");
  return `# Benchmark: status lookup import (申請状況の取り込み)

Run: ${r.date} — ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}
(1-minute load average at start: ${r.machine.loadAverage1m}; PostgreSQL on the same machine, shared with other work).
Command: \`npm run bench:status-import\` (source: \`bench/status-import.ts\`).

Input: ${n(r.input.rows)} rows, ${(r.input.bytes / 1024 / 1024).toFixed(1)} MiB Shift_JIS, era and western birth dates, 10 % full-width numbers.

| run | wall time | rows/s |
|---|---:|---:|
| **upload + status import** (store, decode, parse, check, HMAC, stage, duplicate check, merge) | **${r.import.seconds} s** | ${n(r.import.rowsPerSecond)} |
| re-import, ${n(r.reimportWithChanges.changed)} statuses changed (diff recorded, notices queued) | ${r.reimportWithChanges.seconds} s | ${n(r.reimportWithChanges.rowsPerSecond)} |
| baseline, same run: the roster import of the same people | ${r.baselineRosterImport.seconds} s | ${n(r.baselineRosterImport.rowsPerSecond)} |

Status import / roster import: **${r.importToBaselineRatio}×**. Peak RSS: ${r.import.peakRssMiB} MiB.

Target: ${n(r.input.rows)} rows in under ${r.targetSeconds} s — **${r.pass ? "PASS" : "FAIL"}**.
`;
}

await main();
