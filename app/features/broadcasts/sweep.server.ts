import { and, eq, sql } from "drizzle-orm";
import { withTenant } from "#db/with-tenant.server";
import { broadcastRuns, broadcasts } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { writeOutbox } from "~/features/outbox/outbox.server";
import { nextRunAfter } from "./recurrence";
import { startRun, type BroadcastDeps } from "./run.server";

/** A run that has not moved for this long gets its unsent chunks queued again (harmless if they are queued). */
export const STALLED_AFTER_MS = 2 * 60_000;

type DueRow = { tenant_id: string; broadcast_id: string };
type StalledRow = { tenant_id: string; run_id: string };

/**
 * The per-minute sweep. `now` is a parameter so tests drive the clock. Finding work crosses cities
 * (SECURITY DEFINER functions returning ids); each start then runs in its own city's transaction.
 */
export async function sweepBroadcasts(deps: BroadcastDeps, now: Date = new Date()) {
  const due = (await deps.db.execute(
    sql`select * from broadcasts_due(${now.toISOString()}::timestamptz, 200)`,
  )) as unknown as DueRow[];
  let started = 0;
  for (const d of due) if (await startDueBroadcast(deps, d.tenant_id, d.broadcast_id, now)) started++;
  const idleBefore = new Date(now.getTime() - STALLED_AFTER_MS);
  const stalled = (await deps.db.execute(
    sql`select * from broadcast_runs_stalled(${idleBefore.toISOString()}::timestamptz, 200)`,
  )) as unknown as StalledRow[];
  for (const s of stalled) await startRun(deps, { tenantId: s.tenant_id, runId: s.run_id });
  return { started, resumed: stalled.length };
}

/**
 * Creates the run for the broadcast's due slot (once per slot: unique (broadcast, scheduled_for)) and
 * queues its start through the outbox, in one transaction. A recurring broadcast moves to its next
 * slot after now — runs missed while no worker was up are skipped, not sent in a burst.
 */
export async function startDueBroadcast(
  deps: Pick<BroadcastDeps, "db">,
  tenantId: string,
  broadcastId: string,
  now: Date,
): Promise<boolean> {
  return withTenant(deps.db, tenantId, async (tx) => {
    const [b] = await tx
      .select()
      .from(broadcasts)
      .where(and(eq(broadcasts.tenantId, tenantId), eq(broadcasts.id, broadcastId)))
      .for("update");
    if (!b || b.status !== "scheduled" || !b.nextRunAt || b.nextRunAt.getTime() > now.getTime()) return false;
    const [run] = await tx
      .insert(broadcastRuns)
      .values({ tenantId, broadcastId, scheduledFor: b.nextRunAt })
      .onConflictDoNothing()
      .returning({ id: broadcastRuns.id });
    const next = b.recurrence ? nextRunAfter(b.recurrence, now) : null;
    await tx
      .update(broadcasts)
      .set(b.recurrence ? { nextRunAt: next } : { status: "sending", nextRunAt: null, updatedAt: sql`now()` })
      .where(and(eq(broadcasts.tenantId, tenantId), eq(broadcasts.id, broadcastId)));
    if (!run) return false;
    await writeOutbox(tx, tenantId, "start-broadcast-run", { tenantId, runId: run.id });
    await recordAudit(tx, {
      tenantId,
      actorKind: "system",
      action: "broadcast.run_started",
      targetType: "broadcast",
      targetId: broadcastId,
      detail: { runId: run.id, scheduledFor: b.nextRunAt.toISOString() },
    });
    return true;
  });
}
