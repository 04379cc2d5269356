import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { tenants } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit } from "~/features/audit/audit.server";
import { forgetTenant } from "~/tenants/resolve.server";

/**
 * City admin: sets or clears the waiting room's limit (ADR 025), audited in the same transaction.
 * The tenant cache is dropped here; other processes see the change within the cache's 5 seconds.
 */
export async function setBookingConcurrency(
  db: Db,
  tenant: { id: string; slug: string },
  value: number | null,
  actor: { staffUserId: string; ip?: string | null },
) {
  await withTenant(db, tenant.id, async (tx) => {
    const [before] = await tx.select({ v: tenants.bookingConcurrency }).from(tenants).where(eq(tenants.id, tenant.id));
    await tx
      .update(tenants)
      .set({ bookingConcurrency: value, updatedAt: sql`now()` })
      .where(eq(tenants.id, tenant.id));
    await recordAudit(tx, {
      tenantId: tenant.id,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "tenant.booking_concurrency",
      targetType: "tenant",
      targetId: tenant.id,
      detail: { from: before?.v ?? null, to: value },
      ip: actor.ip,
    });
  });
  forgetTenant(tenant.slug);
}
