import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { tenants } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit } from "~/features/audit/audit.server";
import { cityContactSchema, type CityContact } from "~/lib/city-contact";
import { forgetTenant } from "~/tenants/resolve.server";

/**
 * City admin: sets the city's 問い合わせ窓口 (ADR 031), audited in the same transaction with the
 * before and after values (they are the city's public numbers, not personal data). The value is
 * validated again here so nothing but the documented shape ever reaches the column.
 */
export async function setCityContact(
  db: Db,
  tenant: { id: string; slug: string },
  contact: CityContact,
  actor: { staffUserId: string; ip?: string | null },
) {
  const value = cityContactSchema.parse(contact);
  await withTenant(db, tenant.id, async (tx) => {
    const [before] = await tx.select({ v: tenants.contact }).from(tenants).where(eq(tenants.id, tenant.id));
    await tx
      .update(tenants)
      .set({ contact: value, updatedAt: sql`now()` })
      .where(eq(tenants.id, tenant.id));
    await recordAudit(tx, {
      tenantId: tenant.id,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "tenant.contact",
      targetType: "tenant",
      targetId: tenant.id,
      detail: { from: before?.v ?? null, to: value },
      ip: actor.ip,
    });
  });
  forgetTenant(tenant.slug);
}
