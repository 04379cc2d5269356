import { asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { tenants, type Tenant, type TenantStatus } from "#db/schema/index";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { forgetTenant } from "~/tenants/resolve.server";
import { cityContactSchema, type CityContact } from "~/lib/city-contact";
import type { CreateTenantInput } from "./tenants.schemas";

export type CreateTenantResult = { ok: true; tenant: Tenant } | { ok: false; field: "slug"; message: string };

/** Vendor use-case: register a city. A taken slug is an answer, not an exception. */
export async function createTenant(
  db: DbOrTx,
  input: CreateTenantInput & { status?: TenantStatus; id?: string; contact?: CityContact | null },
  actor?: { vendorUserId: string; ip?: string | null },
): Promise<CreateTenantResult> {
  const [tenant] = await db
    .insert(tenants)
    .values({
      ...(input.id ? { id: input.id } : {}),
      name: input.name,
      slug: input.slug,
      prefecture: input.prefecture,
      population: input.population ?? null,
      areas: input.areas,
      status: input.status ?? "onboarding",
      contact: input.contact ? cityContactSchema.parse(input.contact) : null,
    })
    .onConflictDoNothing({ target: tenants.slug })
    .returning();
  if (!tenant)
    return { ok: false, field: "slug", message: "このURL用の名前はすでに使われています。別の名前を入力してください。" };
  forgetTenant(tenant.slug);
  if (actor)
    await recordVendorAudit(db, {
      vendorUserId: actor.vendorUserId,
      tenantId: tenant.id,
      action: "tenant.create",
      detail: { slug: tenant.slug },
      ip: actor.ip,
    });
  return { ok: true, tenant };
}

export async function listTenants(db: DbOrTx) {
  return db.select().from(tenants).orderBy(asc(tenants.createdAt));
}

export async function getTenant(db: DbOrTx, tenantId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(tenantId)) return null;
  const [t] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
  return t ?? null;
}

const TRANSITIONS: Record<TenantStatus, TenantStatus[]> = {
  onboarding: ["active"],
  active: ["suspended"],
  suspended: ["active"],
};

/** Activate, suspend or resume a city; only the transitions above are allowed. */
export async function setTenantStatus(
  db: DbOrTx,
  tenantId: string,
  status: TenantStatus,
  actor: { vendorUserId: string; ip?: string | null },
) {
  const current = await getTenant(db, tenantId);
  if (!current) return { ok: false as const, message: "自治体が見つかりません。" };
  if (!TRANSITIONS[current.status].includes(status))
    return { ok: false as const, message: "この状態からは変更できません。" };
  const [updated] = await db
    .update(tenants)
    .set({ status, suspendedAt: status === "suspended" ? new Date() : null, updatedAt: sql`now()` })
    .where(eq(tenants.id, tenantId))
    .returning();
  forgetTenant(current.slug);
  await recordVendorAudit(db, {
    vendorUserId: actor.vendorUserId,
    tenantId,
    action: `tenant.status.${status}`,
    detail: { from: current.status },
    ip: actor.ip,
  });
  return { ok: true as const, tenant: updated! };
}
