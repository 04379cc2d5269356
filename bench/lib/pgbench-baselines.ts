import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";

/**
 * Baselines: the same conditional UPDATE straight into PostgreSQL with pgbench — and, for an
 * apples-to-apples view, pgbench running the booking's whole transaction shape (begin, tenant
 * setting, idempotency lock, the reads, seat + reservation + outbox in one statement, commit) on
 * scratch tables. Prepared statements, as postgres.js uses.
 */
export async function pgbenchBaselines(o: {
  ownerUrl: string;
  db: string;
  slots: number;
  seats: number;
  attempts: number;
  clients: number;
}): Promise<{ tps: number; txTps: number }> {
  const admin = postgres(o.ownerUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop table if exists bench_slots, bench_res, bench_outbox;
    create table bench_slots (id int primary key, booked int not null default 0, cap int not null);
    insert into bench_slots select g, 0, ${o.seats} from generate_series(1, ${o.slots}) g;
    create table bench_res (id bigserial primary key, slot_id int not null, key text not null unique);
    create table bench_outbox (id bigserial primary key, payload jsonb not null);`);
  const dir = mkdtempSync(join(tmpdir(), "pgbench-"));
  writeFileSync(
    join(dir, "update.sql"),
    `\\set s random(1, ${o.slots})\nupdate bench_slots set booked = booked + 1 where id = :s and booked < cap;\n`,
  );
  writeFileSync(
    join(dir, "booking-tx.sql"),
    `\\set s random(1, ${o.slots})
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
  function pgbench(file: string) {
    const run = spawnSync(
      "pgbench",
      [
        "-n",
        "-M",
        "prepared",
        "-h",
        "127.0.0.1",
        "-U",
        "madoguchi_owner",
        "-c",
        String(o.clients),
        "-j",
        "2",
        "-t",
        String(Math.ceil(o.attempts / o.clients)),
        "-f",
        join(dir, file),
        o.db,
      ],
      { env: { ...process.env, PGPASSWORD: "madoguchi_owner" }, encoding: "utf8" },
    );
    return Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(run.stdout)?.[1] ?? NaN);
  }
  const tps = pgbench("update.sql");
  await admin.unsafe("update bench_slots set booked = 0");
  const txTps = pgbench("booking-tx.sql");
  await admin.end();
  return { tps, txTps };
}
