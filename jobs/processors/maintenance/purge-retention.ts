import { lt, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { passwordResets, tenants } from "#db/schema/index";
import { deleteExpiredSessions } from "~/auth/session.server";
import { purgeRosterUploads } from "~/features/roster/roster-queue.server";
import { env } from "~/lib/env.server";

const BATCH = 5_000;
const MIN_DAYS = 7;

/**
 * Daily retention purge, city by city under RLS: LINE webhook events (their payloads are what the
 * residents sent) and delivery keys older than RETENTION_DAYS, in batches so no statement holds
 * locks for long; then expired sessions. Never below 7 days: a stored webhookEventId is what
 * refuses LINE's redelivery of an event, and a delivery key what stops a retried job re-sending.
 * Broadcast chunks keep their counts but lose their recipient lists (LINE user ids) once settled
 * (sent or failed) for longer than the period: the delivery statistics stay, who got it does not.
 * Uploaded roster files left stored a day after their import (see purgeRosterUploads) go too, and
 * password-reset rows expired longer than the period (the audit log keeps the request and its use).
 * Garbage push chunks (their LINE user ids) go the same way; the run row keeps the day's counts.
 */
export async function purgeRetention(deps: { db: Db }, opts: { retentionDays?: number; now?: Date } = {}) {
  const days = Math.max(MIN_DAYS, opts.retentionDays ?? env().RETENTION_DAYS);
  const cutoff = new Date((opts.now ?? new Date()).getTime() - days * 86_400_000);
  const all = await deps.db.select({ id: tenants.id }).from(tenants);
  // postgres.js binds raw-SQL parameters as text: pass the instant as ISO text with a cast.
  const iso = cutoff.toISOString();
  let webhookEvents = 0;
  let deliveries = 0;
  let broadcastRecipientLists = 0;
  let garbagePushLists = 0;
  let rosterUploads = 0;
  let rosterImportsExpired = 0;
  for (const t of all) {
    webhookEvents += await deleteInBatches(
      deps.db,
      t.id,
      sql`delete from line_webhook_events where id in (select id from line_webhook_events where tenant_id = ${t.id} and received_at < ${iso}::timestamptz limit ${BATCH})`,
    );
    deliveries += await deleteInBatches(
      deps.db,
      t.id,
      sql`delete from deliveries where key in (select key from deliveries where tenant_id = ${t.id} and delivered_at < ${iso}::timestamptz limit ${BATCH})`,
    );
    broadcastRecipientLists += await deleteInBatches(
      deps.db,
      t.id,
      sql`update broadcast_chunks set user_ids = '{}' where (tenant_id, run_id, seq) in (
            select tenant_id, run_id, seq from broadcast_chunks
             where tenant_id = ${t.id} and cardinality(user_ids) > 0 and coalesce(sent_at, failed_at) < ${iso}::timestamptz limit ${BATCH})`,
    );
    garbagePushLists += await deleteInBatches(
      deps.db,
      t.id,
      sql`delete from garbage_push_chunks where (tenant_id, run_id, seq) in (
            select tenant_id, run_id, seq from garbage_push_chunks
             where tenant_id = ${t.id} and coalesce(sent_at, failed_at) < ${iso}::timestamptz limit ${BATCH})`,
    );
    // A day, not RETENTION_DAYS: a roster file has no use once its import has ended.
    const roster = await purgeRosterUploads(deps.db, t.id, opts.now);
    rosterUploads += roster.uploads;
    rosterImportsExpired += roster.expired;
  }
  await deleteExpiredSessions(deps.db, opts.now);
  const resets = await deps.db
    .delete(passwordResets)
    .where(lt(passwordResets.expiresAt, cutoff))
    .returning({ id: passwordResets.id });
  return {
    days,
    cutoff: cutoff.toISOString(),
    webhookEvents,
    deliveries,
    broadcastRecipientLists,
    garbagePushLists,
    rosterUploads,
    rosterImportsExpired,
    passwordResets: resets.length,
  };
}

async function deleteInBatches(db: Db, tenantId: string, statement: ReturnType<typeof sql>) {
  let total = 0;
  for (;;) {
    const n = await withTenant(db, tenantId, async (tx) => (await tx.execute(statement)).count ?? 0);
    total += n;
    if (n < BATCH) return total;
  }
}
