import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { rosterImports, rosterUploadChunks, staffUsers, type RosterImport } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { readPage, toPage, type PageRequest } from "~/lib/paging";

/**
 * The roster import's SQL. Rows are staged in a temporary table inside the import transaction, then
 * checked and copied into ticket_holders set-wise: the database finds duplicates and conflicts with
 * existing holders without the whole file's hashes ever being held in memory.
 */

export type RosterError = { line: number; reason: string };
export type StagedRow = { line: number; hash: string; birthDate: string; tail: string };

export const CONFLICT_REASON = "既存の登録と生年月日が異なります";
export const INTERRUPTED_REASON =
  "取り込みが途中で止まりました（サーバーの再起動など）。登録は行われていません。もう一度取り込んでください。";
/** An import still to run or running; the others are final and never touched again. */
export const OPEN_STATUSES = ["queued", "running"] as const;
// A worker that dies mid-import is replaced and its job restarted by BullMQ within a minute or two
// (stalled-job check); an import "running" with no lock and no write for this long will not resume.
const INTERRUPTED_AFTER = sql`interval '10 minutes'`;

// One advisory lock per city serialises imports: two imports of the same city would otherwise wait
// on each other's uncommitted ticket hashes. Both keys are non-negative so pg_locks can be matched.
const LOCK_CLASS = 1380930388; // "ROST"
const lockKey = (tenantId: string) => sql`(hashtext(${tenantId}) & 2147483647)`;

/**
 * Takes the city's import lock for the rest of the transaction, waiting while another import of the
 * city holds it: imports queued one after the other run in turn (the waiting one stays "queued").
 */
export async function waitImportLock(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_CLASS}, ${lockKey(tenantId)})`);
}

/** Whether an import of this city is running right now (its transaction holds the lock). Reads pg_locks, takes nothing. */
export async function importLockHeld(tx: DbOrTx, tenantId: string): Promise<boolean> {
  const [row] = await tx.execute<{ held: boolean }>(sql`
    select exists (
      select 1 from pg_locks
      where locktype = 'advisory' and granted and objsubid = 2
        and database = (select oid from pg_database where datname = current_database())
        and classid = ${LOCK_CLASS}::oid and objid = ${lockKey(tenantId)}::oid
    ) as held`);
  return row!.held;
}

/** A new import, "queued" until its run takes the city's lock. */
export async function createImportRow(
  tx: Tx,
  input: { tenantId: string; filename: string; staffUserId: string | null; rowsTotal?: number },
) {
  const [row] = await tx
    .insert(rosterImports)
    .values({
      tenantId: input.tenantId,
      filename: input.filename,
      createdByStaffId: input.staffUserId,
      status: "queued",
      rowsTotal: input.rowsTotal ?? 0,
    })
    .returning({ id: rosterImports.id });
  return row!.id;
}

export async function findImport(
  tx: DbOrTx,
  tenantId: string,
  importId: string,
): Promise<Pick<RosterImport, "status" | "filename" | "createdByStaffId" | "rowsTotal"> | null> {
  const [row] = await tx
    .select({
      status: rosterImports.status,
      filename: rosterImports.filename,
      createdByStaffId: rosterImports.createdByStaffId,
      rowsTotal: rosterImports.rowsTotal,
    })
    .from(rosterImports)
    .where(and(eq(rosterImports.tenantId, tenantId), eq(rosterImports.id, importId)));
  return row ?? null;
}

/**
 * Progress (and "running" when the run starts or restarts) in its own short transaction, so staff
 * see it while the import's transaction is open. Only while the import is open: a late write from a
 * run cut off mid-way never reopens a finished import.
 */
export async function writeProgress(
  db: Db,
  tenantId: string,
  importId: string,
  p: { rowsTotal: number; rowsDone: number; start?: boolean },
) {
  await withTenant(db, tenantId, (tx) =>
    tx
      .update(rosterImports)
      .set({
        rowsTotal: p.rowsTotal,
        rowsImported: p.rowsDone,
        updatedAt: new Date(),
        ...(p.start ? { status: "running" as const } : {}),
      })
      .where(
        and(
          eq(rosterImports.tenantId, tenantId),
          eq(rosterImports.id, importId),
          inArray(rosterImports.status, OPEN_STATUSES),
        ),
      ),
  );
}

export async function createStage(tx: Tx) {
  await tx.execute(
    sql`create temporary table roster_stage (line integer not null, ticket_hash text not null, birth_date date not null, tail text not null) on commit drop`,
  );
}

// Hex hashes, ISO dates, digits: nothing that needs quoting inside an array literal. One parameter
// per column instead of one per value keeps each batch a single, cheap statement.
const arrayLiteral = (values: readonly (string | number)[]) => `{${values.join(",")}}`;

export async function stageRows(tx: Tx, rows: StagedRow[]) {
  if (!rows.length) return;
  await tx.execute(sql`
    insert into roster_stage (line, ticket_hash, birth_date, tail)
    select * from unnest(${arrayLiteral(rows.map((r) => r.line))}::integer[], ${arrayLiteral(rows.map((r) => r.hash))}::text[],
                         ${arrayLiteral(rows.map((r) => r.birthDate))}::date[], ${arrayLiteral(rows.map((r) => r.tail))}::text[])`);
}

/**
 * Duplicates within the file (every occurrence after the first) and tickets already registered
 * with another birth date, ordered by line: the first `limit` of them and how many there are.
 */
export async function findStagedProblems(
  tx: Tx,
  tenantId: string,
  limit: number,
): Promise<{ errors: RosterError[]; total: number }> {
  await tx.execute(sql`create index on roster_stage (ticket_hash)`);
  await tx.execute(sql`analyze roster_stage`); // temp tables get no autovacuum statistics
  const rows = await tx.execute<{ line: number; tail: string; dup_of: number | null; total: string }>(sql`
    with ranked as (
      select line, ticket_hash, birth_date, tail, min(line) over (partition by ticket_hash) as first_line from roster_stage
    ), problems as (
      select line, tail, first_line as dup_of from ranked where line <> first_line
      union all
      select r.line, r.tail, null from ranked r
        join ticket_holders h on h.tenant_id = ${tenantId}::uuid and h.ticket_hash = r.ticket_hash
       where r.line = r.first_line and h.birth_date <> r.birth_date
    )
    select line, tail, dup_of, count(*) over () as total from problems order by line limit ${limit}`);
  const errors = rows.map((r) => ({
    line: r.line,
    reason:
      r.dup_of === null
        ? `${CONFLICT_REASON}（接種券番号 ******${r.tail}）。`
        : `接種券番号（******${r.tail}）が${r.dup_of}行目と重複しています。`,
  }));
  return { errors, total: rows.length ? Number(rows[0]!.total) : 0 };
}

/**
 * New holders only; a ticket already registered with the same birth date stays as it is. Returns
 * how many were added. Sorted by hash, the unique index is filled in order rather than at random
 * (about a third faster for 100,000 rows).
 */
export async function insertStaged(tx: Tx, tenantId: string, importId: string): Promise<number> {
  const result = await tx.execute(sql`
    insert into ticket_holders (tenant_id, ticket_hash, birth_date, import_id)
    select ${tenantId}::uuid, ticket_hash, birth_date, ${importId}::uuid from roster_stage
    order by ticket_hash
    on conflict (tenant_id, ticket_hash) do nothing`);
  return result.count;
}

export type ImportAudit = { staffUserId: string | null; ip?: string | null; filename: string };

/**
 * The import's final state, the deletion of its stored upload and its audit entry, in the caller's
 * transaction. Only an open import is finished: false (and nothing written) when it already was,
 * e.g. by a duplicate run of its job.
 */
export async function finishImport(
  tx: Tx,
  input: {
    tenantId: string;
    importId: string;
    audit: ImportAudit;
    status: "completed" | "failed";
    rowsTotal: number;
    rowsImported: number;
    errors: RosterError[];
    errorCount: number;
  },
): Promise<boolean> {
  const now = new Date();
  const updated = await tx
    .update(rosterImports)
    .set({
      status: input.status,
      rowsTotal: input.rowsTotal,
      rowsImported: input.rowsImported,
      errors: input.errors,
      finishedAt: now,
      updatedAt: now,
    })
    .where(
      and(
        eq(rosterImports.tenantId, input.tenantId),
        eq(rosterImports.id, input.importId),
        inArray(rosterImports.status, OPEN_STATUSES),
      ),
    )
    .returning({ id: rosterImports.id });
  if (!updated.length) return false;
  await deleteStoredUpload(tx, input.tenantId, input.importId);
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: input.audit.staffUserId ? "staff" : "system",
    actorId: input.audit.staffUserId,
    action: "roster.import",
    targetType: "roster_import",
    targetId: input.importId,
    // Counts only: never a ticket number, never a birth date.
    detail: {
      status: input.status,
      filename: input.audit.filename,
      rowsTotal: input.rowsTotal,
      rowsImported: input.rowsImported,
      rowsUnchanged: input.status === "completed" ? input.rowsTotal - input.rowsImported : 0,
      errorCount: input.errorCount,
    },
    ip: input.audit.ip,
  });
  return true;
}

export async function deleteStoredUpload(tx: Tx, tenantId: string, importId: string) {
  await tx
    .delete(rosterUploadChunks)
    .where(and(eq(rosterUploadChunks.tenantId, tenantId), eq(rosterUploadChunks.importId, importId)));
}

/**
 * An import whose worker died leaves its row "running" (its transaction rolled back, so nothing was
 * registered). BullMQ restarts the job soon; when it has not — no import holds the city's lock and
 * the row has not been written for INTERRUPTED_AFTER — the import is marked failed and its stored
 * upload deleted. "queued" rows are left to the worker (and to the retention purge).
 */
async function reapInterrupted(tx: Tx, tenantId: string) {
  if (await importLockHeld(tx, tenantId)) return;
  const now = new Date();
  const reaped = await tx
    .update(rosterImports)
    .set({ status: "failed", finishedAt: now, updatedAt: now, errors: [{ line: 0, reason: INTERRUPTED_REASON }] })
    .where(
      and(
        eq(rosterImports.tenantId, tenantId),
        eq(rosterImports.status, "running"),
        sql`${rosterImports.updatedAt} < now() - ${INTERRUPTED_AFTER}`,
      ),
    )
    .returning({ id: rosterImports.id });
  for (const r of reaped) await deleteStoredUpload(tx, tenantId, r.id);
}

const summaryColumns = {
  id: rosterImports.id,
  filename: rosterImports.filename,
  status: rosterImports.status,
  rowsTotal: rosterImports.rowsTotal,
  rowsImported: rosterImports.rowsImported,
  createdAt: rosterImports.createdAt,
  finishedAt: rosterImports.finishedAt,
  createdByName: staffUsers.displayName,
};

/** Past imports, newest first, one page at a time (a city re-imports its roster every week or so, for years). */
export async function listRosterImports(db: Db, tenantId: string, req: PageRequest = readPage(null)) {
  return withTenant(db, tenantId, async (tx) => {
    await reapInterrupted(tx, tenantId);
    const rows = await tx
      .select(summaryColumns)
      .from(rosterImports)
      .leftJoin(staffUsers, eq(staffUsers.id, rosterImports.createdByStaffId))
      .where(eq(rosterImports.tenantId, tenantId))
      .orderBy(desc(rosterImports.createdAt), desc(rosterImports.id))
      .limit(req.limit)
      .offset(req.offset);
    return toPage(rows, req);
  });
}

export async function getRosterImport(db: Db, tenantId: string, importId: string) {
  return withTenant(db, tenantId, async (tx) => {
    await reapInterrupted(tx, tenantId);
    const [row] = await tx
      .select({ ...summaryColumns, errors: rosterImports.errors })
      .from(rosterImports)
      .leftJoin(staffUsers, eq(staffUsers.id, rosterImports.createdByStaffId))
      .where(and(eq(rosterImports.tenantId, tenantId), eq(rosterImports.id, importId)));
    return row ?? null;
  });
}
