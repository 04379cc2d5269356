import { and, eq, gt, lt } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { conversationDialogs } from "#db/schema/index";

/**
 * A friend's active dialog in PostgreSQL (ADR 047): one row per friend, read and written inside the
 * event's transaction (the worker holds the event row's lock, and a friend's events are processed
 * one at a time by that lock's order), so a step is stored together with everything it changed.
 */
export type ActiveDialog = { dialog: string; state: Record<string, unknown> };

export async function activeDialog(
  tx: DbOrTx,
  tenantId: string,
  lineUserId: string,
  now: Date,
): Promise<ActiveDialog | null> {
  const [row] = await tx
    .select({ dialog: conversationDialogs.dialog, state: conversationDialogs.state })
    .from(conversationDialogs)
    .where(
      and(
        eq(conversationDialogs.tenantId, tenantId),
        eq(conversationDialogs.lineUserId, lineUserId),
        gt(conversationDialogs.expiresAt, now),
      ),
    );
  return row ?? null;
}

export async function saveDialog(
  tx: DbOrTx,
  tenantId: string,
  lineUserId: string,
  dialog: string,
  state: Record<string, unknown>,
  expiresAt: Date,
): Promise<void> {
  await tx
    .insert(conversationDialogs)
    .values({ tenantId, lineUserId, dialog, state, expiresAt, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: [conversationDialogs.tenantId, conversationDialogs.lineUserId],
      set: { dialog, state, expiresAt, updatedAt: new Date() },
    });
}

/** Ends the friend's dialog (finished, cancelled or expired). True when one was active. */
export async function endDialog(tx: DbOrTx, tenantId: string, lineUserId: string, now?: Date): Promise<boolean> {
  const rows = await tx
    .delete(conversationDialogs)
    .where(
      and(
        eq(conversationDialogs.tenantId, tenantId),
        eq(conversationDialogs.lineUserId, lineUserId),
        ...(now ? [gt(conversationDialogs.expiresAt, now)] : []),
      ),
    )
    .returning({ dialog: conversationDialogs.dialog });
  return rows.length > 0;
}

/** Deletes one city's expired dialogs (the daily purge); an expired row is already ignored on read. */
export async function purgeExpiredDialogs(db: Db, tenantId: string, now = new Date()): Promise<number> {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .delete(conversationDialogs)
      .where(and(eq(conversationDialogs.tenantId, tenantId), lt(conversationDialogs.expiresAt, now)))
      .returning({ dialog: conversationDialogs.dialog });
    return rows.length;
  });
}
