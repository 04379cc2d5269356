import type { Logger } from "~/lib/log.server";
import type { Db } from "#db/client.server";
import { describeError } from "~/features/roster/roster-import.server";
import { rosterImportStatus, runQueuedImport } from "~/features/roster/roster-queue.server";
import type { JobPayload } from "../../catalogue";

/**
 * One uploaded roster, imported in the worker (ADR 020). A rejected file is a normal outcome (the
 * import is "failed" with its report), not a job failure. A system failure the importer managed to
 * record as "failed" ends the job too — the stored file is gone with it, a retry has nothing to do;
 * the log keeps the reason. One it could not record (the database unreachable) throws, and BullMQ
 * retries: the import is still open, so the retry starts over from the stored file.
 */
export async function processRosterImport(
  deps: { db: Db; log?: Logger },
  payload: JobPayload<"roster-import">,
  opts: { batchSize?: number; today?: string } = {},
) {
  try {
    const outcome = await runQueuedImport(deps.db, payload, opts);
    // Counts and the status only: the report's reasons may carry the last digits of ticket numbers.
    return outcome.status === "failed"
      ? { status: outcome.status, rowsTotal: outcome.rowsTotal, errorCount: outcome.errorCount }
      : outcome;
  } catch (e) {
    if ((await rosterImportStatus(deps.db, payload.tenantId, payload.importId).catch(() => null)) !== "failed") throw e;
    deps.log?.error({ importId: payload.importId, err: describeError(e) }, "roster import failed (recorded as failed)");
    return { status: "failed" as const, importId: payload.importId, system: true };
  }
}
