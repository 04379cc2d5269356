import type { Job } from "bullmq";
import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { reminderSends } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { LineApiError, type LineErrorKind } from "~/integrations/line/errors";
import type { JobPayload } from "../../catalogue";
import type { NoticeDeps } from "../deps";
import { sendReminder, type SendReminderResult } from "./send-reminder";

/**
 * A `send-reminder` job that uses up its retries (LINE or the mail server down for the whole
 * backoff, ~10 minutes) must not leave its ledger row "queued" for ever: the row becomes "failed"
 * with a short reason, the resident appears on the staff call list (電話リスト) so someone phones
 * them, and the sweep never queues it again (it only looks at reservations without a ledger row).
 *
 * Where the final failure is detected, and why here: in the processor, on the job's last attempt
 * (attemptsMade + 1 >= attempts), before the error is rethrown. A worker 'failed' listener was the
 * alternative; it runs after BullMQ has already recorded the job as failed for good, as a
 * fire-and-forget callback — if its database write fails or the process exits first, nothing ever
 * retries it and the row stays "queued", the very gap this closes. Here the write happens inside
 * the attempt, on the row still claimed as "queued", needs no listener in every worker process, and
 * is the same rule the broadcast chunks use. What it cannot see: a job BullMQ fails without running
 * the processor (stalled more than maxStalledCount times, i.e. the worker killed mid-send 4 times).
 */
export async function processSendReminder(
  deps: NoticeDeps,
  payload: JobPayload<"send-reminder">,
  job: Pick<Job, "attemptsMade" | "opts">,
): Promise<SendReminderResult> {
  try {
    return await sendReminder(deps, payload);
  } catch (e) {
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await markReminderFailed(deps.db, payload, failReasonOf(e));
    // Rethrown either way: BullMQ retries, or keeps the failed job with its error for operators.
    throw e;
  }
}

const LINE_REASON: Partial<Record<LineErrorKind, string>> = {
  rate_limited: "LINEが混雑していて送れませんでした",
  server: "LINE側の障害で送れませんでした",
  timeout: "LINEから応答がなく送れませんでした",
  network: "LINEに接続できず送れませんでした",
};

/** A short reason for staff (shown on the call list). Never the error text: it may carry an address. */
export function failReasonOf(e: unknown): string {
  if (e instanceof LineApiError) return LINE_REASON[e.kind] ?? `LINEに送れませんでした（${e.kind}）`;
  return "メールまたはシステムの障害で送れませんでした";
}

/** Marks a still-queued reminder failed (a row sent, dropped or phoned meanwhile is left alone) and audits it. */
export async function markReminderFailed(
  db: Db,
  payload: JobPayload<"send-reminder">,
  reason: string,
  now = new Date(),
): Promise<boolean> {
  const { tenantId, reminderId } = payload;
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .update(reminderSends)
      .set({ status: "failed", failedAt: now, failReason: reason })
      .where(
        and(eq(reminderSends.tenantId, tenantId), eq(reminderSends.id, reminderId), eq(reminderSends.status, "queued")),
      )
      .returning({
        reservationId: reminderSends.reservationId,
        slotId: reminderSends.slotId,
        ruleKey: reminderSends.ruleKey,
      });
    if (!row) return false;
    await recordAudit(tx, {
      tenantId,
      actorKind: "system",
      action: "reminder.failed",
      targetType: "reservation",
      targetId: row.reservationId,
      detail: { reminderId, slotId: row.slotId, rule: row.ruleKey, reason },
    });
    return true;
  });
}
