import type { Db } from "#db/client.server";
import { tenants } from "#db/schema/index";
import { purgeClosedLookups } from "~/features/status-lookup/admin.server";
import { importStatuses } from "~/features/status-lookup/import.server";
import { sendStatusNotice } from "~/features/status-lookup/notify.server";
import type { LineApiConfig } from "~/integrations/line/client.server";
import type { JobPayload } from "../../catalogue";
import type { MailDeps } from "../deps";

/**
 * Adapters for the status lookup's jobs (issue 19). A refused file is a normal outcome (the import is
 * "failed" with its report); only counts are returned, the report's reasons may hold key tails.
 */
export async function processStatusImport(deps: { db: Db }, payload: JobPayload<"status-import">) {
  const outcome = await importStatuses(deps.db, payload);
  return outcome.status === "failed" ? { status: "failed", rowsTotal: outcome.rowsTotal } : outcome;
}

export function processStatusNotice(
  deps: MailDeps & { line?: LineApiConfig },
  payload: JobPayload<"send-status-notice">,
) {
  return sendStatusNotice(deps, payload);
}

/** Daily: every city's lookups closed longer than their retention lose their rows. */
export async function purgeStatusLookups(deps: { db: Db }, now = new Date()) {
  const all = await deps.db.select({ id: tenants.id }).from(tenants);
  let rows = 0;
  for (const t of all) rows += await purgeClosedLookups(deps.db, t.id, now);
  return { rows };
}
