/**
 * `npm run bench:roster`: the ticket-holder roster import at city scale.
 *
 *  1. Generates a deterministic 100,000-row Shift_JIS CSV (extra columns, mixed western and era
 *     dates, some full-width ticket numbers) in a temp dir.
 *  2. Creates a fresh database (`madoguchi_bench`, or BENCH_DB_NAME) with the real migrations.
 *  3. Baseline: the same 100,000 (hash, birth date) pairs, precomputed, inserted with plain
 *     multi-row INSERTs through postgres.js in one RLS-bound transaction — the floor any import
 *     that writes through the app role can reach.
 *  4. The import as production runs it (ADR 020): the web's half — the upload stored in PostgreSQL
 *     in pieces with its outbox job (queueRosterImport) — then the worker's half (runQueuedImport:
 *     read the pieces back, decode, parse, check, hash, stage, set-wise checks, insert, progress
 *     writes, audit); then a re-import of the same file the same way (every row unchanged).
 *  5. Writes bench/results/roster-import.json and .md. Target: 100,000 rows in under 60 s.
 *
 * BENCH_ROWS changes the size, BENCH_DB_NAME the database; BENCH_KEEP_DB=1 keeps the database and
 * the generated CSV for inspection (both are removed otherwise).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import iconv from "iconv-lite";
import postgres from "postgres";

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const TARGET_SECONDS = 60;
const BATCH = 2000;
const DB_NAME = process.env.BENCH_DB_NAME ?? "madoguchi_bench";
const OWNER_URL = `postgres://madoguchi_owner:madoguchi_owner@127.0.0.1:5432/${DB_NAME}`;
const APP_URL = `postgres://madoguchi_app:madoguchi_app@127.0.0.1:5432/${DB_NAME}`;
const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));

// Before any app module reads its configuration (env() is lazy): the app role on the bench database.
process.env.DATABASE_URL = APP_URL;
process.env.DATABASE_OWNER_URL = OWNER_URL;

const { bootstrapDatabase } = await import("../db/bootstrap");
const { createDb } = await import("../db/client.server");
const { makeTenant } = await import("../tests/factories/tenants");
const { queueRosterImport, runQueuedImport } = await import("../app/features/roster/roster-queue.server");
const { ERAS } = await import("../app/features/roster/birth-date");
const { tenantTicketKey, ticketHash } = await import("../app/features/reservations/ticket.server");
const { masterKey } = await import("../app/lib/crypto.server");
const { env } = await import("../app/lib/env.server");

/** mulberry32: a tiny seeded PRNG, so every run imports byte-for-byte the same file. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAMILY = ["佐藤", "鈴木", "髙橋", "田中", "渡邊", "伊藤", "山本", "中村", "小林", "﨑山"];
const GIVEN = ["花子", "太郎", "一郎", "次郎", "美咲", "健太", "陽子", "翔", "さくら", "勇"];
const TOWNS = ["本町", "新町", "粉河", "打田", "桃山", "那賀"];
const toFullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

function eraText(iso: string, style: number) {
  const era = [...ERAS].reverse().find((e) => e.start <= iso)!;
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const year = y - Number(era.start.slice(0, 4)) + 1;
  if (style === 0) return `${era.name}${year === 1 ? "元" : year}年${m}月${d}日`;
  return `${era.aliases[2]}${year}.${m}.${d}`;
}

/** Rows: 宛名番号, 氏名, 接種券番号, 生年月日, 住所. Ticket numbers are unique (7919 is coprime to 10^9). */
function generateCsv(rows: number) {
  const random = prng(20261121);
  const lines = ["宛名番号,氏名,接種券番号,生年月日,住所"];
  const pairs: { ticket: string; birthDate: string }[] = [];
  const first = Date.UTC(1925, 0, 1);
  const span = Date.UTC(2010, 11, 31) - first;
  for (let i = 0; i < rows; i++) {
    const ticket = String(1_000_000_000 + ((i * 7919) % 1_000_000_000)).padStart(10, "0");
    const birthDate = new Date(first + Math.floor(random() * (span / 86_400_000)) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const style = Math.floor(random() * 4);
    const dateCell =
      style === 0
        ? birthDate.replaceAll("-", "/").replace(/\/0/g, "/")
        : style === 1
          ? birthDate.replaceAll("-", "")
          : eraText(birthDate, style - 2);
    const ticketCell = random() < 0.1 ? toFullWidth(`${ticket.slice(0, 4)}-${ticket.slice(4)}`) : ticket;
    const name = `${FAMILY[Math.floor(random() * FAMILY.length)]} ${GIVEN[Math.floor(random() * GIVEN.length)]}`;
    lines.push(
      `${String(i + 1).padStart(8, "0")},${name},${ticketCell},${dateCell},"${TOWNS[i % TOWNS.length]}${(i % 40) + 1}-${(i % 7) + 1}"`,
    );
    pairs.push({ ticket, birthDate });
  }
  return { bytes: iconv.encode(lines.join("\r\n") + "\r\n", "cp932"), pairs };
}

async function timed<T>(fn: () => Promise<T>) {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const start = performance.now();
  try {
    const result = await fn();
    return { result, seconds: (performance.now() - start) / 1000, peakRssMiB: Math.round(peakRss / 1024 / 1024) };
  } finally {
    clearInterval(sampler);
  }
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

async function main() {
  // Other work on the machine skews wall times; the load at the start is recorded with the results.
  const loadAtStart = round(loadavg()[0]!);
  const dir = mkdtempSync(join(tmpdir(), "mdg-bench-roster-"));
  const path = join(dir, "roster-100k-sjis.csv");
  const generated = generateCsv(ROWS);
  writeFileSync(path, generated.bytes);
  console.log(
    `generated ${ROWS.toLocaleString()} rows, ${(generated.bytes.length / 1024 / 1024).toFixed(1)} MiB Shift_JIS: ${path}`,
  );

  await bootstrapDatabase(
    { ownerUrl: OWNER_URL, superuserUrl: process.env.DATABASE_SUPERUSER_URL },
    { recreate: true },
  );
  const app = createDb(APP_URL, 4);
  const raw = postgres(APP_URL, { max: 1, onnotice: () => {} });
  try {
    const cityImport = await makeTenant(app.db, { name: "ベンチ取り込み市" });
    const cityBaseline = await makeTenant(app.db, { name: "ベンチ基準市" });
    const [{ version }] = (await raw`select current_setting('server_version') as version`) as unknown as [
      { version: string },
    ];

    // Baseline: hashes computed before the clock starts; only the INSERTs are timed.
    const key = tenantTicketKey(masterKey(env().MADOGUCHI_MASTER_KEY), cityBaseline.id);
    const rows = generated.pairs.map((p) => ({
      tenant_id: cityBaseline.id,
      ticket_hash: ticketHash(key, p.ticket),
      birth_date: p.birthDate,
    }));
    const baseline = await timed(() =>
      raw.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${cityBaseline.id}, true)`;
        for (let i = 0; i < rows.length; i += BATCH)
          await tx`insert into ticket_holders ${tx(rows.slice(i, i + BATCH), "tenant_id", "ticket_hash", "birth_date")}`;
      }),
    );
    console.log(`baseline multi-row INSERT: ${baseline.seconds.toFixed(2)} s`);

    // Upload (web) then the job (worker), timed together: what a city waits for after pressing 取り込む.
    // cleanup is a no-op so the generated file survives for the re-import.
    const upload = { path, filename: "roster-100k-sjis.csv", bytes: generated.bytes.length, cleanup: async () => {} };
    const uploadAndImport = async () => {
      const { importId } = await queueRosterImport(app.db, {
        tenantId: cityImport.id,
        file: upload,
        staffUserId: null,
      });
      return runQueuedImport(app.db, { tenantId: cityImport.id, importId });
    };
    const imported = await timed(uploadAndImport);
    if (imported.result.status !== "completed" || imported.result.rowsImported !== ROWS)
      throw new Error(`import did not complete: ${JSON.stringify(imported.result).slice(0, 500)}`);
    console.log(`import: ${imported.seconds.toFixed(2)} s`);
    const again = await timed(uploadAndImport);
    if (again.result.status !== "completed" || again.result.rowsUnchanged !== ROWS)
      throw new Error("re-import did not find every row unchanged");
    console.log(`re-import (all unchanged): ${again.seconds.toFixed(2)} s`);

    const results = {
      benchmark: "roster-import",
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? "unknown",
        memoryGiB: round(totalmem() / 1024 ** 3, 1),
        loadAverage1m: loadAtStart,
        node: process.version,
        postgres: version,
      },
      input: { rows: ROWS, bytes: generated.bytes.length, encoding: "Shift_JIS (CP932)", columns: 5, batchSize: BATCH },
      import: {
        seconds: round(imported.seconds),
        rowsPerSecond: Math.round(ROWS / imported.seconds),
        rowsImported: imported.result.rowsImported,
        peakRssMiB: imported.peakRssMiB,
      },
      reimportUnchanged: {
        seconds: round(again.seconds),
        rowsPerSecond: Math.round(ROWS / again.seconds),
        rowsUnchanged: again.result.rowsUnchanged,
      },
      baselineMultiRowInsert: { seconds: round(baseline.seconds), rowsPerSecond: Math.round(ROWS / baseline.seconds) },
      importToBaselineRatio: round(imported.seconds / baseline.seconds),
      targetSeconds: TARGET_SECONDS,
      pass: imported.seconds < TARGET_SECONDS,
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "roster-import.json"), JSON.stringify(results, null, 2) + "\n");
    writeFileSync(join(RESULTS, "roster-import.md"), markdown(results));
    console.log(
      `${results.pass ? "PASS" : "FAIL"}: ${ROWS.toLocaleString()} rows in ${results.import.seconds} s (target < ${TARGET_SECONDS} s), ${results.importToBaselineRatio}× the baseline`,
    );
    if (!results.pass) process.exitCode = 1;
  } finally {
    await app.sql.end({ timeout: 5 });
    await raw.end({ timeout: 5 });
    if (process.env.BENCH_KEEP_DB !== "1") rmSync(dir, { recursive: true, force: true });
    if (process.env.BENCH_KEEP_DB !== "1") {
      const admin = postgres(OWNER_URL.replace(`/${DB_NAME}`, "/postgres"), { max: 1, onnotice: () => {} });
      await admin.unsafe(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).finally(() => admin.end({ timeout: 1 }));
    }
  }
}

type Results = {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; loadAverage1m: number; node: string; postgres: string };
  input: { rows: number; bytes: number; batchSize: number };
  import: { seconds: number; rowsPerSecond: number; peakRssMiB: number };
  reimportUnchanged: { seconds: number; rowsPerSecond: number };
  baselineMultiRowInsert: { seconds: number; rowsPerSecond: number };
  importToBaselineRatio: number;
  targetSeconds: number;
  pass: boolean;
};

function markdown(r: Results) {
  const n = (x: number) => x.toLocaleString("en-US");
  return `# Benchmark: roster import (接種券名簿の取り込み)

Run: ${r.date} — ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}
(1-minute load average at start: ${r.machine.loadAverage1m}; PostgreSQL runs on the same machine, so other work on it moves these numbers).
Command: \`npm run bench:roster\` (source: \`bench/roster-import.ts\`).

Input: ${n(r.input.rows)} rows, ${(r.input.bytes / 1024 / 1024).toFixed(1)} MiB Shift_JIS CSV, 5 columns (3 ignored), mixed western and
Japanese-era birth dates, 10 % full-width ticket numbers. Fresh database, app role under RLS, batches of ${n(r.input.batchSize)}.

| run | wall time | rows/s |
|---|---:|---:|
| **upload + import** (store the upload in PostgreSQL with its job; then the worker: read back, decode, parse, check, HMAC, stage, duplicate/conflict check, insert, progress, audit) | **${r.import.seconds} s** | ${n(r.import.rowsPerSecond)} |
| re-import of the same file (every row unchanged) | ${r.reimportUnchanged.seconds} s | ${n(r.reimportUnchanged.rowsPerSecond)} |
| baseline: multi-row INSERT of the precomputed (hash, birth date) pairs via postgres.js | ${r.baselineMultiRowInsert.seconds} s | ${n(r.baselineMultiRowInsert.rowsPerSecond)} |

Import / baseline: **${r.importToBaselineRatio}×**. Peak RSS of the whole process during the import: ${r.import.peakRssMiB} MiB.

Target: ${n(r.input.rows)} rows in under ${r.targetSeconds} s — **${r.pass ? "PASS" : "FAIL"}**.
`;
}

await main();
