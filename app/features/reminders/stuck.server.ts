import { and, eq, lt } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { reminderSends } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit } from "~/features/audit/audit.server";

/**
 * The last gap of the reminder ledger (ADR 013): a row stays "queued" for ever when its send job
 * never reaches a final attempt — BullMQ fails a job it found stalled too often without running the
 * processor (a worker killed mid-send again and again), or Redis is gone for hours. The processor's
 * last-attempt rule (jobs/processors/reminders/process-send-reminder.ts) cannot see those, so the
 * per-minute sweep closes them: a reminder still queued STUCK_AFTER_MS after it was queued is marked
 * failed and shows on the staff call list (電話リスト), where someone phones the resident. A send job
 * that does run later finds the row no longer queued and sends nothing, so nobody is both messaged
 * and left off the list. Two hours is far beyond the send job's whole retry backoff (~10 minutes).
 */
export const STUCK_AFTER_MS = 2 * 3600_000;
export const STUCK_REASON = "送信処理が2時間以上終わらなかったため、送れたか確認できません";

export async function failStuckReminders(db: Db, tenantId: string, now: Date): Promise<number> {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .update(reminderSends)
      .set({ status: "failed", failedAt: now, failReason: STUCK_REASON })
      .where(
        and(
          eq(reminderSends.tenantId, tenantId),
          eq(reminderSends.status, "queued"),
          lt(reminderSends.queuedAt, new Date(now.getTime() - STUCK_AFTER_MS)),
        ),
      )
      .returning({
        id: reminderSends.id,
        reservationId: reminderSends.reservationId,
        slotId: reminderSends.slotId,
        ruleKey: reminderSends.ruleKey,
      });
    for (const row of rows) {
      await recordAudit(tx, {
        tenantId,
        actorKind: "system",
        action: "reminder.failed",
        targetType: "reservation",
        targetId: row.reservationId,
        detail: { reminderId: row.id, slotId: row.slotId, rule: row.ruleKey, reason: STUCK_REASON },
      });
    }
    return rows.length;
  });
}
