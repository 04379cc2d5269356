import { createReadStream } from "node:fs";
import { and, asc, eq, gt, lt, ne } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { rosterImports, rosterUploadChunks } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { writeOutbox } from "~/features/outbox/outbox.server";
import { RowEstimate } from "./roster-csv";
import { importRoster, type ImportOutcome, type RosterSource } from "./roster-import.server";
import { createImportRow, deleteStoredUpload, findImport, finishImport } from "./roster-store.server";
import type { SavedUpload } from "./upload.server";

/**
 * The roster import runs in the worker, not in the web process that received the file (ADR 020).
 * The web stores the uploaded bytes in PostgreSQL — web and worker may be on different machines —
 * and records the import ("queued") with its outbox job in the same transaction; the worker streams
 * the stored pieces into the importer and the pieces are deleted when the import ends.
 */

/** Size of one stored piece: small enough to hold one at a time, big enough that a 50 MB file is 50 rows. */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;
/** Stored uploads of imports that are not running are purged after this long (maintenance). */
export const UPLOAD_RETENTION_HOURS = 24;

export const UPLOAD_GONE =
  "取り込むファイルが見つかりません（保存期間の1日を過ぎたなど）。登録は行われていません。もう一度取り込んでください。";
export const EXPIRED_REASON =
  "取り込みを始められないまま1日が過ぎたため、取り込みを中止しました。登録は行われていません。もう一度取り込んでください。";

/**
 * From the admin upload (the file already streamed to a temp file by saveUploadedFile): in one
 * transaction, the import row ("queued", with the row estimate counted on the way), the file in
 * UPLOAD_CHUNK_BYTES pieces, the upload's audit entry (who, from where) and the `roster-import`
 * outbox job. The temp file is removed whatever the outcome.
 */
export async function queueRosterImport(
  db: Db,
  input: { tenantId: string; file: SavedUpload; staffUserId: string | null; ip?: string | null },
) {
  const { tenantId, file } = input;
  try {
    const importId = await withTenant(db, tenantId, async (tx) => {
      const id = await createImportRow(tx, { tenantId, filename: file.filename, staffUserId: input.staffUserId });
      const estimate = new RowEstimate();
      let seq = 0;
      for await (const chunk of createReadStream(file.path, {
        highWaterMark: UPLOAD_CHUNK_BYTES,
      }) as AsyncIterable<Buffer>) {
        estimate.add(chunk);
        await tx.insert(rosterUploadChunks).values({ tenantId, importId: id, seq: seq++, data: chunk });
      }
      await tx
        .update(rosterImports)
        .set({ rowsTotal: estimate.dataRows })
        .where(and(eq(rosterImports.tenantId, tenantId), eq(rosterImports.id, id)));
      await recordAudit(tx, {
        tenantId,
        actorKind: input.staffUserId ? "staff" : "system",
        actorId: input.staffUserId,
        action: "roster.upload",
        targetType: "roster_import",
        targetId: id,
        detail: { filename: file.filename, bytes: file.bytes },
        ip: input.ip,
      });
      await writeOutbox(tx, tenantId, "roster-import", { tenantId, importId: id });
      return id;
    });
    return { importId };
  } finally {
    await file.cleanup();
  }
}

/** The stored upload, read back one piece at a time, each in its own short transaction (RLS-bound). */
export function storedSource(db: Db, tenantId: string, importId: string, estimate: number): RosterSource {
  return {
    estimateRows: async () => estimate,
    async *open() {
      for (let seq = 0; ; seq++) {
        const [piece] = await withTenant(db, tenantId, (tx) =>
          tx
            .select({ data: rosterUploadChunks.data })
            .from(rosterUploadChunks)
            .where(
              and(
                eq(rosterUploadChunks.tenantId, tenantId),
                eq(rosterUploadChunks.importId, importId),
                eq(rosterUploadChunks.seq, seq),
              ),
            ),
        );
        if (!piece) return;
        yield piece.data;
      }
    },
  };
}

/**
 * The worker's side (job `roster-import`). An import that has ended is left alone (a repeated job);
 * one whose stored file is gone is failed with UPLOAD_GONE; otherwise importRoster runs it — and
 * itself skips it if a concurrent run finished it while this one waited for the city's lock.
 */
export async function runQueuedImport(
  db: Db,
  payload: { tenantId: string; importId: string },
  opts: { batchSize?: number; today?: string } = {},
): Promise<ImportOutcome> {
  const { tenantId, importId } = payload;
  const found = await withTenant(db, tenantId, async (tx) => {
    const row = await findImport(tx, tenantId, importId);
    const [piece] = row
      ? await tx
          .select({ seq: rosterUploadChunks.seq })
          .from(rosterUploadChunks)
          .where(and(eq(rosterUploadChunks.tenantId, tenantId), eq(rosterUploadChunks.importId, importId)))
          .limit(1)
      : [];
    return row ? { ...row, stored: !!piece } : null;
  });
  if (!found || found.status === "completed" || found.status === "failed")
    return { status: "skipped", importId, current: found?.status ?? null };
  const audit = { staffUserId: found.createdByStaffId, filename: found.filename };
  if (!found.stored) {
    const errors = [{ line: 0, reason: UPLOAD_GONE }];
    await withTenant(db, tenantId, (tx) =>
      finishImport(tx, {
        tenantId,
        importId,
        audit,
        status: "failed",
        rowsTotal: 0,
        rowsImported: 0,
        errors,
        errorCount: 1,
      }),
    );
    return { status: "failed", importId, rowsTotal: 0, errorCount: 1, errors };
  }
  return importRoster(db, {
    tenantId,
    importId,
    audit,
    source: storedSource(db, tenantId, importId, found.rowsTotal),
    ...opts,
  });
}

/** The import's status, e.g. for the worker to tell a failure already recorded from one that was not. */
export async function rosterImportStatus(db: Db, tenantId: string, importId: string) {
  return (await withTenant(db, tenantId, (tx) => findImport(tx, tenantId, importId)))?.status ?? null;
}

const PURGE_BATCH = 100;

/**
 * Retention (the daily maintenance purge), one city: imports still queued after
 * UPLOAD_RETENTION_HOURS are failed (EXPIRED_REASON), then the stored uploads of imports older than
 * that which are not running are deleted — the import deletes its own when it ends, so this only
 * catches what a lost job or a crash left behind. Returns how many of each.
 */
export async function purgeRosterUploads(db: Db, tenantId: string, now = new Date()) {
  const cutoff = new Date(now.getTime() - UPLOAD_RETENTION_HOURS * 3_600_000);
  const expired = await withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .update(rosterImports)
      .set({ status: "failed", finishedAt: now, updatedAt: now, errors: [{ line: 0, reason: EXPIRED_REASON }] })
      .where(
        and(
          eq(rosterImports.tenantId, tenantId),
          eq(rosterImports.status, "queued"),
          lt(rosterImports.createdAt, cutoff),
        ),
      )
      .returning({ id: rosterImports.id });
    return rows.length;
  });
  let uploads = 0;
  // One import's pieces per transaction (up to 50 MB each), a bounded number of imports per pass.
  for (let after = "00000000-0000-0000-0000-000000000000"; ;) {
    const batch = await withTenant(db, tenantId, (tx) =>
      tx
        .selectDistinct({ importId: rosterUploadChunks.importId })
        .from(rosterUploadChunks)
        .innerJoin(
          rosterImports,
          and(
            eq(rosterImports.tenantId, rosterUploadChunks.tenantId),
            eq(rosterImports.id, rosterUploadChunks.importId),
          ),
        )
        .where(
          and(
            eq(rosterUploadChunks.tenantId, tenantId),
            ne(rosterImports.status, "running"),
            lt(rosterImports.createdAt, cutoff),
            gt(rosterUploadChunks.importId, after),
          ),
        )
        .orderBy(asc(rosterUploadChunks.importId))
        .limit(PURGE_BATCH),
    );
    for (const { importId } of batch) {
      await withTenant(db, tenantId, (tx) => deleteStoredUpload(tx, tenantId, importId));
      uploads++;
      after = importId;
    }
    if (batch.length < PURGE_BATCH) break;
  }
  return { expired, uploads };
}
