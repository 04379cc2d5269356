import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { tenants } from "#db/schema/index";
import { takeFriendSnapshot } from "~/features/friend-stats/friend-stats.server";
import { writeOutbox } from "~/features/outbox/outbox.server";
import { tokyoDateOf } from "~/lib/japan-time";
import type { JobPayload } from "../../catalogue";

/**
 * The daily fan-out: one per-city job per active city, through each city's outbox (like every other
 * producer), so one slow or failing city retries alone and never holds up the others.
 */
export async function snapshotFriendCounts(
  deps: { db: Db },
  payload: JobPayload<"snapshot-friend-counts">,
  now = new Date(),
) {
  const day = payload.day ?? tokyoDateOf(now);
  const active = await deps.db.select({ id: tenants.id }).from(tenants).where(eq(tenants.status, "active"));
  for (const t of active) {
    await withTenant(deps.db, t.id, (tx) =>
      writeOutbox(tx, t.id, "snapshot-tenant-friend-counts", { tenantId: t.id, day }),
    );
  }
  return { day, cities: active.length };
}

export async function snapshotTenantFriendCounts(
  deps: { db: Db },
  payload: JobPayload<"snapshot-tenant-friend-counts">,
) {
  const s = await withTenant(deps.db, payload.tenantId, (tx) => takeFriendSnapshot(tx, payload.tenantId, payload.day));
  return { day: s.day, following: s.following, blocked: s.blocked };
}
