import { createReadStream } from "node:fs";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { tenantTicketKey, ticketHash } from "~/features/reservations/ticket.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { checkRow, decodeCsv, findColumns, readCsvRecords, RosterFileError, type RosterColumns } from "./roster-csv";
import {
  createImportRow,
  createStage,
  finishImport,
  findStagedProblems,
  importLockHeld,
  insertStaged,
  stageRows,
  tryImportLock,
  writeProgress,
  type ImportAudit,
  type RosterError,
  type StagedRow,
} from "./roster-store.server";
import type { SavedUpload } from "./upload.server";

/**
 * Ticket-holder roster import (接種券名簿の取り込み): all or nothing. The CSV is streamed from a file,
 * each row checked, hashed and staged in batches inside ONE withTenant transaction; any bad row
 * anywhere rolls everything back and the report lists every bad row (line, Japanese reason, at most
 * the last four digits of a ticket). Only the HMAC of the ticket number and the birth date are stored.
 */

export const BATCH_SIZE = 2000;
export const MAX_STORED_ERRORS = 1000;
export const ROSTER_BUSY = "この自治体の別の名簿を取り込んでいる最中です。終わってから、もう一度取り込んでください。";
export const SYSTEM_ERROR = "システムの障害で取り込めませんでした。登録は行われていません。時間をおいてもう一度お試しください。";
const NO_HEADER = "ファイルが空です。1行目に見出し（接種券番号、生年月日）、2行目から名簿のデータを入れてください。";
const NO_ROWS = "見出しの行のほかにデータの行がありません。";

export type ImportOutcome =
  | { status: "completed"; importId: string; rowsTotal: number; rowsImported: number; rowsUnchanged: number }
  | { status: "failed"; importId: string; rowsTotal: number; errorCount: number; errors: RosterError[] };

type ImportInput = { tenantId: string; importId: string; path: string; audit: ImportAudit; batchSize?: number; today?: string };

/** Refused (nothing registered) with this report; thrown inside the transaction to roll it back. */
class Rejected extends Error {
  constructor(readonly errors: RosterError[], readonly errorCount: number) {
    super("roster rejected");
  }
}

/** Every bad row is counted; the first MAX_STORED_ERRORS by line are kept, plus one line saying how many more. */
class ErrorReport {
  rows: RosterError[] = [];
  count = 0;
  add(line: number, reason: string) {
    this.count++;
    if (this.rows.length < MAX_STORED_ERRORS) this.rows.push({ line, reason });
  }
  merge(sorted: RosterError[], total: number) {
    this.count += total;
    this.rows = [...this.rows, ...sorted].sort((a, b) => a.line - b.line).slice(0, MAX_STORED_ERRORS);
  }
  reject(fileError?: string): Rejected {
    const omitted = this.count - this.rows.length;
    const tail = omitted > 0 ? [{ line: 0, reason: `ほかに${omitted.toLocaleString("ja-JP")}件のエラーがあります（先頭の${MAX_STORED_ERRORS.toLocaleString("ja-JP")}件のみ表示しています）。` }] : [];
    const head = fileError ? [{ line: 0, reason: fileError }] : [];
    return new Rejected([...head, ...this.rows, ...tail], this.count + head.length);
  }
}

/**
 * From the admin upload: records the import and runs it in the background (the page polls its
 * progress). While another import of the city runs, waits up to `waitMs` (small files take well
 * under a second, so two files uploaded one after the other both go through), then refuses. The
 * temp file is removed when the import ends, whatever the outcome.
 */
export async function startRosterImport(db: Db, input: { tenantId: string; file: SavedUpload; staffUserId: string | null; ip?: string | null }, opts: { waitMs?: number } = {}) {
  const deadline = Date.now() + (opts.waitMs ?? 3000);
  while (await withTenant(db, input.tenantId, (tx) => importLockHeld(tx, input.tenantId))) {
    if (Date.now() >= deadline) {
      await input.file.cleanup();
      return { ok: false as const, message: ROSTER_BUSY };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const audit = { staffUserId: input.staffUserId, ip: input.ip, filename: input.file.filename };
  const importId = await createImportRow(db, { tenantId: input.tenantId, filename: input.file.filename, staffUserId: input.staffUserId });
  void importRoster(db, { tenantId: input.tenantId, importId, path: input.file.path, audit })
    // The row already says 失敗; the log gets the database's reason, never the query's parameters.
    .catch((e: unknown) => console.error(`[roster] import ${importId} failed: ${describeError(e)}`))
    .finally(() => input.file.cleanup());
  return { ok: true as const, importId };
}

export async function importRoster(db: Db, input: ImportInput): Promise<ImportOutcome> {
  const { tenantId, importId } = input;
  const batchSize = input.batchSize ?? BATCH_SIZE;
  const today = input.today ?? tokyoToday();
  const key = tenantTicketKey(masterKey(env().MADOGUCHI_MASTER_KEY), tenantId);
  const report = new ErrorReport();
  let rowsTotal = 0;

  try {
    const estimate = await estimateRows(input.path);
    await writeProgress(db, tenantId, importId, { rowsTotal: estimate, rowsDone: 0 });
    return await withTenant(db, tenantId, async (tx) => {
      if (!(await tryImportLock(tx, tenantId))) throw new Rejected([{ line: 0, reason: ROSTER_BUSY }], 1);
      await createStage(tx);
      let columns: RosterColumns | null = null;
      let batch: StagedRow[] = [];
      let reported = 0;
      // One batch in flight while the next is parsed and hashed: the connection and the CPU work
      // side by side. Its failure surfaces at the next await of `staging`.
      let staging: Promise<void> = Promise.resolve();
      const stage = async (rows: StagedRow[]) => {
        await staging;
        staging = stageRows(tx, rows);
        staging.catch(() => {});
      };
      try {
        for await (const record of readCsvRecords(decodeCsv(createReadStream(input.path)))) {
          if (!columns) {
            const found = findColumns(record.fields);
            if (!found.ok) throw report.reject(found.reason);
            columns = found.columns;
            continue;
          }
          rowsTotal++;
          const row = checkRow(record.fields, columns, today);
          if (row.ok) batch.push({ line: record.line, hash: ticketHash(key, row.ticket), birthDate: row.birthDate, tail: row.ticket.slice(-4) });
          else report.add(record.line, row.reason);
          if (batch.length >= batchSize) {
            await stage(batch);
            batch = [];
          }
          if (rowsTotal - reported >= batchSize) {
            reported = rowsTotal;
            await writeProgress(db, tenantId, importId, { rowsTotal: Math.max(estimate, rowsTotal), rowsDone: rowsTotal });
          }
        }
      } catch (e) {
        await staging.catch(() => {}); // let the statement in flight finish before the rollback
        if (e instanceof RosterFileError) throw report.reject(e.message);
        throw e;
      }
      if (!columns) throw report.reject(NO_HEADER);
      if (rowsTotal === 0) throw report.reject(NO_ROWS);
      await stage(batch);
      await staging;
      await writeProgress(db, tenantId, importId, { rowsTotal, rowsDone: rowsTotal });

      const problems = await findStagedProblems(tx, tenantId, MAX_STORED_ERRORS);
      report.merge(problems.errors, problems.total);
      if (report.count > 0) throw report.reject();

      const rowsImported = await insertStaged(tx, tenantId, importId);
      await finishImport(tx, { tenantId, importId, audit: input.audit, status: "completed", rowsTotal, rowsImported, errors: [], errorCount: 0 });
      return { status: "completed" as const, importId, rowsTotal, rowsImported, rowsUnchanged: rowsTotal - rowsImported };
    });
  } catch (e) {
    const rejected = e instanceof Rejected ? e : new Rejected([{ line: 0, reason: SYSTEM_ERROR }], 1);
    // The import's transaction is gone: record the failure in a new one.
    await withTenant(db, tenantId, (tx) =>
      finishImport(tx, { tenantId, importId, audit: input.audit, status: "failed", rowsTotal, rowsImported: 0, errors: rejected.errors, errorCount: rejected.errorCount }),
    );
    if (!(e instanceof Rejected)) throw e;
    return { status: "failed", importId, rowsTotal, errorCount: rejected.errorCount, errors: rejected.errors };
  }
}

/** Same as the upload path but awaited: for tests, the benchmark and scripts. */
export async function importRosterFile(db: Db, input: { tenantId: string; path: string; filename: string; staffUserId?: string | null; batchSize?: number; today?: string }) {
  const importId = await createImportRow(db, { tenantId: input.tenantId, filename: input.filename, staffUserId: input.staffUserId ?? null });
  const audit = { staffUserId: input.staffUserId ?? null, filename: input.filename };
  return importRoster(db, { tenantId: input.tenantId, importId, path: input.path, audit, batchSize: input.batchSize, today: input.today });
}

/**
 * Data rows, estimated by counting line feeds (0x0A is never part of a Shift_JIS or UTF-8
 * multi-byte character), so progress can show "n / total 行" from the first batch. Corrected to
 * the real count when the file has been read.
 */
async function estimateRows(path: string) {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines++;
    if (chunk.length) last = chunk[chunk.length - 1]!;
  }
  if (last !== 0x0a) lines++;
  return Math.max(0, lines - 1);
}

const tokyoDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit" });
function tokyoToday() {
  return tokyoDate.format(new Date());
}

function describeError(e: unknown) {
  const cause = (e as { cause?: unknown })?.cause;
  const source = cause instanceof Error ? cause : e instanceof Error ? e : null;
  return source ? `${source.name}: ${source.message.split("\n")[0]!.slice(0, 300)}` : "unknown error";
}
