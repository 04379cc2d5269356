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
