import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { statusImports, statusLookups } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { writeOutbox } from "~/features/outbox/outbox.server";
import { decodeCsv, readCsvRecords, RosterFileError } from "~/features/roster/roster-csv";
import { tokyoDateOf } from "~/lib/japan-time";
import { lookupKeyHash, statusKey } from "./crypto.server";
import { checkStatusRow, findStatusColumns, type StatusColumns } from "./status-csv";

/**
 * A lookup's CSV import (issue 19, ADR 060), run by the worker: all or nothing in ONE withTenant
 * transaction. Rows are checked and hashed while streamed (the roster import's reader), staged in a
 * temporary table in batches, then merged set-wise: new keys inserted, a changed status (or date)
 * updated and recorded in status_changes, and each change with a subscriber queued as one notice.
 * Keys absent from the file are left as they were (a department may import only what moved).
 */
export const BATCH_SIZE = 2000;
export const MAX_ERRORS = 1000;
const SYSTEM_ERROR =
  "システムの障害で取り込めませんでした。登録は行われていません。時間をおいてもう一度お試しください。";

export type StatusError = { line: number; reason: string };
export type StatusImportOutcome =
  | { status: "completed"; rowsTotal: number; added: number; changed: number }
  | { status: "failed"; rowsTotal: number; errors: StatusError[] }
  | { status: "skipped" };

class Rejected extends Error {
  constructor(readonly errors: StatusError[]) {
    super("status import rejected");
  }
}

type Staged = {
  line: number;
  hash: string;
  tail: string;
  birthDate: string;
  status: string;
  statusDate: string | null;
};

// One parameter per column (a PostgreSQL array literal) keeps each batch one cheap statement, as
// in the roster import. Values are quoted: a regex-format key may hold any character.
const quote = (v: string | number | null) =>
  v === null ? "NULL" : typeof v === "number" ? String(v) : `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;
const arrayLiteral = (values: readonly (string | number | null)[]) => `{${values.map(quote).join(",")}}`;

async function stage(tx: Tx, rows: Staged[]) {
  if (rows.length === 0) return;
  const col = <K extends keyof Staged>(k: K) => arrayLiteral(rows.map((r) => r[k]));
  await tx.execute(sql`
    insert into status_stage (line, hash, tail, birth_date, status, status_date)
    select * from unnest(${col("line")}::int[], ${col("hash")}::text[], ${col("tail")}::text[],
                         ${col("birthDate")}::date[], ${col("status")}::text[], ${col("statusDate")}::date[])`);
}

/** Runs one queued import; a repeated job for an import that has ended does nothing. */
export async function importStatuses(
  db: Db,
  input: { tenantId: string; importId: string; today?: string; batchSize?: number },
): Promise<StatusImportOutcome> {
  const { tenantId, importId } = input;
  const today = input.today ?? tokyoDateOf(new Date());
  const batchSize = input.batchSize ?? BATCH_SIZE;
  const key = statusKey(tenantId);
  let rowsTotal = 0;
  try {
    return await withTenant(db, tenantId, async (tx): Promise<StatusImportOutcome> => {
      // One import of a lookup at a time (an advisory lock, not a row lock: progress is written to the
      // import's row from another connection while this transaction runs). Status is read under it.
      const readImport = async () =>
        (
          await tx
            .select()
            .from(statusImports)
            .where(and(eq(statusImports.tenantId, tenantId), eq(statusImports.id, importId)))
        )[0];
      const first = await readImport();
      if (!first) return { status: "skipped" };
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`status-import:${first.lookupId}`}))`);
      const imp = await readImport();
      if (!imp || (imp.status !== "queued" && imp.status !== "running") || imp.file === null)
        return { status: "skipped" };
      const [lookup] = await tx
        .select()
        .from(statusLookups)
        .where(and(eq(statusLookups.tenantId, tenantId), eq(statusLookups.id, imp.lookupId)));
      if (!lookup) return { status: "skipped" };
      const bytes = Buffer.from(imp.file, "base64");
      const estimate = bytes.reduce((n, b) => (b === 0x0a ? n + 1 : n), 0);
      await progress(db, tenantId, importId, { status: "running", rowsTotal: estimate, rowsDone: 0 });
      await tx.execute(sql`
        create temp table status_stage (line int, hash text, tail text, birth_date date, status text, status_date date)
        on commit drop`);

      const errors: StatusError[] = [];
      let errorCount = 0;
      const fail = (line: number, reason: string) => {
        errorCount++;
        if (errors.length < MAX_ERRORS) errors.push({ line, reason });
      };
      let columns: StatusColumns | null = null;
      let batch: Staged[] = [];
      try {
        for await (const record of readCsvRecords(decodeCsv(chunks(bytes)))) {
          if (!columns) {
            const found = findStatusColumns(record.fields, lookup.keyLabel);
            if (!found.ok) throw new Rejected([{ line: 1, reason: found.reason }]);
            columns = found.columns;
            continue;
          }
          rowsTotal++;
          const row = checkStatusRow(record.fields, columns, lookup, today);
          if (!row.ok) fail(record.line, row.reason);
          else
            batch.push({
              line: record.line,
              hash: lookupKeyHash(key, lookup.id, row.key),
              tail: row.key.slice(-4),
              birthDate: row.birthDate,
              status: row.status,
              statusDate: row.statusDate,
            });
          if (batch.length >= batchSize) {
            await stage(tx, batch);
            batch = [];
            await progress(db, tenantId, importId, { rowsTotal: Math.max(estimate, rowsTotal), rowsDone: rowsTotal });
          }
        }
      } catch (e) {
        if (e instanceof RosterFileError) throw new Rejected([{ line: 0, reason: e.message }]);
        throw e;
      }
      if (!columns) throw new Rejected([{ line: 0, reason: "ファイルが空です。1行目に見出しを入れてください。" }]);
      if (rowsTotal === 0) throw new Rejected([{ line: 0, reason: "見出しの行のほかにデータの行がありません。" }]);
      await stage(tx, batch);

      // The same key twice in one file: every line after the first is refused, naming the first.
      const dups = await tx.execute<{ line: number; first: number; tail: string }>(sql`
        select line, first, tail from (
          select line, tail, min(line) over (partition by hash) as first from status_stage
        ) d where line <> first order by line limit ${MAX_ERRORS}`);
      for (const d of dups) fail(d.line, `${lookup.keyLabel}（末尾${d.tail}）が${d.first}行目と重複しています。`);
      if (errorCount > 0) {
        errors.sort((a, b) => a.line - b.line);
        if (errorCount > errors.length)
          errors.push({ line: 0, reason: `ほかに${errorCount - errors.length}件のエラーがあります。` });
        throw new Rejected(errors);
      }
      const merged = await merge(tx, tenantId, lookup.id, importId);
      await tx
        .update(statusImports)
        .set({
          status: "completed",
          file: null,
          rowsTotal,
          rowsDone: rowsTotal,
          rowsAdded: merged.added,
          rowsChanged: merged.changed,
          errors: [],
          finishedAt: new Date(),
        })
        .where(eq(statusImports.id, importId));
      await recordAudit(tx, {
        tenantId,
        actorKind: "staff",
        actorId: imp.createdByStaffId,
        action: "status_lookup.import",
        targetType: "status_lookup",
        targetId: lookup.id,
        detail: { importId, filename: imp.filename, rowsTotal, added: merged.added, changed: merged.changed },
      });
      return { status: "completed", rowsTotal, added: merged.added, changed: merged.changed };
    });
  } catch (e) {
    const errors = e instanceof Rejected ? e.errors : [{ line: 0, reason: SYSTEM_ERROR }];
    await withTenant(db, tenantId, (tx) =>
      tx
        .update(statusImports)
        .set({ status: "failed", file: null, rowsTotal, errors, finishedAt: new Date() })
        .where(and(eq(statusImports.id, importId), sql`${statusImports.status} in ('queued','running')`)),
    );
    if (!(e instanceof Rejected)) throw e;
    return { status: "failed", rowsTotal, errors };
  }
}

async function* chunks(bytes: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += 64 * 1024) yield bytes.subarray(i, i + 64 * 1024);
}

/** Progress is written outside the import's transaction, so the page sees it while the import runs. */
async function progress(
  db: Db,
  tenantId: string,
  importId: string,
  p: { status?: "running"; rowsTotal: number; rowsDone: number },
) {
  await withTenant(db, tenantId, (tx) =>
    tx
      .update(statusImports)
      .set({ ...p })
      .where(eq(statusImports.id, importId)),
  );
}

/** Staged rows → the lookup's rows; status changes recorded, and each followed change queued once. */
async function merge(tx: Tx, tenantId: string, lookupId: string, importId: string) {
  const changes = await tx.execute<{ id: string; row_id: string }>(sql`
    with old as (
      select r.id, r.status as from_status, r.status_date as from_date, s.status, s.status_date, s.birth_date
      from status_lookup_rows r join status_stage s on s.hash = r.key_hash
      where r.lookup_id = ${lookupId} and r.tenant_id = ${tenantId}
        and (r.status <> s.status or r.status_date is distinct from s.status_date or r.birth_date <> s.birth_date)
      for update of r
    ), upd as (
      update status_lookup_rows r
      set status = old.status, status_date = old.status_date, birth_date = old.birth_date, updated_at = now()
      from old where r.id = old.id
      returning r.id, old.from_status, old.from_date, r.status, r.status_date
    )
    insert into status_changes (tenant_id, import_id, row_id, from_status, to_status)
    select ${tenantId}, ${importId}, upd.id, upd.from_status, upd.status from upd
    -- A corrected birth date alone is not news for the resident: no change row, no notice.
    where upd.from_status <> upd.status or upd.from_date is distinct from upd.status_date
    returning id, row_id`);
  const added = await tx.execute(sql`
    insert into status_lookup_rows (tenant_id, lookup_id, key_hash, key_tail, birth_date, status, status_date)
    select ${tenantId}, ${lookupId}, hash, tail, birth_date, status, status_date from status_stage
    on conflict (lookup_id, key_hash) do nothing`);
  // One notice job per change that someone follows; the job tells each subscriber at most once.
  const followed = await tx.execute<{ id: string }>(sql`
    select c.id from status_changes c
    where c.import_id = ${importId}
      and exists (select 1 from status_subscriptions s where s.row_id = c.row_id)`);
  for (const c of followed) await writeOutbox(tx, tenantId, "send-status-notice", { tenantId, changeId: c.id });
  return { added: added.count, changed: changes.length };
}
