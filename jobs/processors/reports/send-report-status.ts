import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { loadChannelCredentials } from "~/features/line/credentials.server";
import { reportStatusPushes } from "~/features/reports/status-push.server";
import type { LineApiConfig } from "~/integrations/line/client.server";
import type { JobPayload } from "../../catalogue";
import { pushToResident } from "../notice/resident-channel";

export type ReportStatusDeps = { db: Db; key: Buffer; appOrigin: string; line?: LineApiConfig };

/**
 * Pushes one report state change to its reporter and followers (issue 17), through the same push as
 * reservation notices: one push per person with a retry key derived from the event and the person,
 * so a retried job never sends anyone the same change twice. A refused push (blocked, quota) is
 * logged and skipped: the resident can still ask 「通報の状況」.
 */
export async function sendReportStatus(deps: ReportStatusDeps, payload: JobPayload<"send-report-status">) {
  const { tenantId, eventId } = payload;
  const prepared = await withTenant(deps.db, tenantId, async (tx) => ({
    pushes: await reportStatusPushes(tx, tenantId, eventId, deps.appOrigin),
    creds: await loadChannelCredentials(tx, deps.key, tenantId),
  }));
  if (!prepared.creds || !prepared.pushes.length) return "nobody";
  let sent = 0;
  for (const p of prepared.pushes) {
    const r = await pushToResident(deps.line, { creds: prepared.creds, lineUserId: p.lineUserId }, p.messages, {
      seed: `report-status:${eventId}:${p.lineUserId}`,
      log: { tenantId, eventId },
    });
    if (r === "sent") sent++;
  }
  return `sent ${sent}/${prepared.pushes.length}`;
}
