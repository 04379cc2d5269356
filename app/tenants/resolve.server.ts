import { eq } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { tenants, type Tenant } from "#db/schema/index";

/**
 * Slug → tenant, with a short in-process cache: every resident page hit needs it, and during an
 * opening rush that is thousands per second. Short enough that a suspension shows within seconds.
 */
const TTL_MS = 5_000;
const cache = new Map<string, { tenant: Tenant | null; at: number }>();

export async function resolveTenantBySlug(db: DbOrTx, slug: string, now = Date.now()): Promise<Tenant | null> {
  if (!/^[a-z][a-z0-9-]{1,38}[a-z0-9]$/.test(slug)) return null;
  const hit = cache.get(slug);
  if (hit && now - hit.at < TTL_MS) return hit.tenant;
  const [tenant] = await db.select().from(tenants).where(eq(tenants.slug, slug));
  cache.set(slug, { tenant: tenant ?? null, at: now });
  if (cache.size > 5_000) cache.delete(cache.keys().next().value!);
  return tenant ?? null;
}

/** Called after a vendor changes a tenant so this process sees it at once. */
export function forgetTenant(slug: string) {
  cache.delete(slug);
}

/** Why a city's resident pages are closed (suspended, or still onboarding), or null when open. */
export function residentClosure(
  tenant: Pick<Tenant, "name" | "status">,
): { kind: "suspended" | "onboarding"; cityName: string; message: string } | null {
  if (tenant.status === "suspended") {
    return {
      kind: "suspended",
      cityName: tenant.name,
      message: `${tenant.name}のオンライン窓口は現在ご利用いただけません。お急ぎの方は市役所・役場へお問い合わせください。`,
    };
  }
  if (tenant.status === "onboarding") {
    return {
      kind: "onboarding",
      cityName: tenant.name,
      message: `${tenant.name}のオンライン窓口は準備中です。開始までしばらくお待ちください。`,
    };
  }
  return null;
}
