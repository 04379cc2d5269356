import { createReadStream } from "node:fs";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { tenantTicketKey, ticketHash } from "~/features/reservations/ticket.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import type { RosterImportStatus } from "./roster-view";
import {
  checkRow,
  decodeCsv,
  findColumns,
  readCsvRecords,
  RosterFileError,
  RowEstimate,
  type RosterColumns,
} from "./roster-csv";
import {
  createImportRow,
  createStage,
  finishImport,
  findImport,
  findStagedProblems,
  insertStaged,
  OPEN_STATUSES,
  stageRows,
  waitImportLock,
  writeProgress,
  type ImportAudit,
  type RosterError,
  type StagedRow,
} from "./roster-store.server";
import { tokyoDateOf } from "~/lib/japan-time";

/**
 * Ticket-holder roster import (接種券名簿の取り込み): all or nothing. The CSV is streamed from its
 * source (the upload stored in PostgreSQL, in the worker; a file, for tests and the benchmark), each
 * row checked, hashed and staged in batches inside ONE withTenant transaction; any bad row anywhere
 * rolls everything back and the report lists every bad row (line, Japanese reason, at most the last
 * four digits of a ticket). Only the HMAC of the ticket number and the birth date are stored.
 */

export const BATCH_SIZE = 2000;
export const MAX_STORED_ERRORS = 1000;
export const SYSTEM_ERROR =
  "システムの障害で取り込めませんでした。登録は行われていません。時間をおいてもう一度お試しください。";
const NO_HEADER = "ファイルが空です。1行目に見出し（接種券番号、生年月日）、2行目から名簿のデータを入れてください。";
const NO_ROWS = "見出しの行のほかにデータの行がありません。";

export type ImportOutcome =
  | { status: "completed"; importId: string; rowsTotal: number; rowsImported: number; rowsUnchanged: number }
  | { status: "failed"; importId: string; rowsTotal: number; errorCount: number; errors: RosterError[] }
  /** Nothing done: the import had already ended (a repeated job), or does not exist. */
  | { status: "skipped"; importId: string; current: RosterImportStatus | null };

/** The file's bytes, readable from the start each time `open` is called; `estimateRows` for progress. */
export type RosterSource = { open(): AsyncIterable<Buffer>; estimateRows(): Promise<number> };

type ImportInput = {
  tenantId: string;
  importId: string;
  source: RosterSource;
  audit: ImportAudit;
  batchSize?: number;
  today?: string;
};

/** Refused (nothing registered) with this report; thrown inside the transaction to roll it back. */
class Rejected extends Error {
  constructor(
    readonly errors: RosterError[],
    readonly errorCount: number,
  ) {
    super("roster rejected");
  }
}

/** The import was ended by someone else while this run held the lock (see the completed path). */
class Superseded extends Error {}

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
    const tail =
      omitted > 0
        ? [
            {
              line: 0,
              reason: `ほかに${omitted.toLocaleString("ja-JP")}件のエラーがあります（先頭の${MAX_STORED_ERRORS.toLocaleString("ja-JP")}件のみ表示しています）。`,
            },
          ]
        : [];
    const head = fileError ? [{ line: 0, reason: fileError }] : [];
    return new Rejected([...head, ...this.rows, ...tail], this.count + head.length);
  }
}

/**
 * Runs one queued import. Safe to repeat and to run twice at once: the city's lock is taken first
 * (waiting for any other import of the city), then the import's status is read again — an import
 * that has ended meanwhile is skipped. A run cut off mid-way committed nothing, so a new run of an
 * import still "running" simply starts over.
 */
export async function importRoster(db: Db, input: ImportInput): Promise<ImportOutcome> {
  const { tenantId, importId } = input;
  const batchSize = input.batchSize ?? BATCH_SIZE;
  const today = input.today ?? tokyoToday();
  const key = tenantTicketKey(masterKey(env().MADOGUCHI_MASTER_KEY), tenantId);
  const report = new ErrorReport();
  let rowsTotal = 0;

  try {
    const estimate = await input.source.estimateRows();
    return await withTenant(db, tenantId, async (tx): Promise<ImportOutcome> => {
      await waitImportLock(tx, tenantId);
      const current = (await findImport(tx, tenantId, importId))?.status ?? null;
      if (!current || !(OPEN_STATUSES as readonly string[]).includes(current))
        return { status: "skipped", importId, current };
      await writeProgress(db, tenantId, importId, { rowsTotal: estimate, rowsDone: 0, start: true });
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
        for await (const record of readCsvRecords(decodeCsv(input.source.open()))) {
          if (!columns) {
            const found = findColumns(record.fields);
            if (!found.ok) throw report.reject(found.reason);
            columns = found.columns;
            continue;
          }
          rowsTotal++;
          const row = checkRow(record.fields, columns, today);
          if (row.ok)
            batch.push({
              line: record.line,
              hash: ticketHash(key, row.ticket),
              birthDate: row.birthDate,
              tail: row.ticket.slice(-4),
            });
          else report.add(record.line, row.reason);
          if (batch.length >= batchSize) {
            await stage(batch);
            batch = [];
          }
          if (rowsTotal - reported >= batchSize) {
            reported = rowsTotal;
            await writeProgress(db, tenantId, importId, {
              rowsTotal: Math.max(estimate, rowsTotal),
              rowsDone: rowsTotal,
            });
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
      // Normally still open (status read above, under the lock). If the retention purge expired it
      // meanwhile, its file may have been cut short: roll back everything.
      if (
        !(await finishImport(tx, {
          tenantId,
          importId,
          audit: input.audit,
          status: "completed",
          rowsTotal,
          rowsImported,
          errors: [],
          errorCount: 0,
        }))
      )
        throw new Superseded();
      return { status: "completed", importId, rowsTotal, rowsImported, rowsUnchanged: rowsTotal - rowsImported };
    });
  } catch (e) {
    if (e instanceof Superseded) return { status: "skipped", importId, current: "failed" };
    const rejected = e instanceof Rejected ? e : new Rejected([{ line: 0, reason: SYSTEM_ERROR }], 1);
    // The import's transaction is gone: record the failure in a new one (a no-op if it had ended).
    await withTenant(db, tenantId, (tx) =>
      finishImport(tx, {
        tenantId,
        importId,
        audit: input.audit,
        status: "failed",
        rowsTotal,
        rowsImported: 0,
        errors: rejected.errors,
        errorCount: rejected.errorCount,
      }),
    );
    if (!(e instanceof Rejected)) throw e;
    return { status: "failed", importId, rowsTotal, errorCount: rejected.errorCount, errors: rejected.errors };
  }
}

/** A file on this machine as the source: for tests, the benchmark and scripts. */
export function fileSource(path: string): RosterSource {
  return {
    open: () => createReadStream(path),
    async estimateRows() {
      const estimate = new RowEstimate();
      for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) estimate.add(chunk);
      return estimate.dataRows;
    },
  };
}

/** Records an import of a local file and runs it at once, awaited (no queue): tests, the benchmark, scripts. */
export async function importRosterFile(
  db: Db,
  input: {
    tenantId: string;
    path: string;
    filename: string;
    staffUserId?: string | null;
    batchSize?: number;
    today?: string;
  },
) {
  const importId = await withTenant(db, input.tenantId, (tx) =>
    createImportRow(tx, { tenantId: input.tenantId, filename: input.filename, staffUserId: input.staffUserId ?? null }),
  );
  const audit = { staffUserId: input.staffUserId ?? null, filename: input.filename };
  return importRoster(db, {
    tenantId: input.tenantId,
    importId,
    source: fileSource(input.path),
    audit,
    batchSize: input.batchSize,
    today: input.today,
  });
}

function tokyoToday() {
  return tokyoDateOf(new Date());
}

export function describeError(e: unknown) {
  const cause = (e as { cause?: unknown })?.cause;
  const source = cause instanceof Error ? cause : e instanceof Error ? e : null;
  return source ? `${source.name}: ${source.message.split("\n")[0]!.slice(0, 300)}` : "unknown error";
}
