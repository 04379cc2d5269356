import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { tenants } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit } from "~/features/audit/audit.server";
import { forgetTenant } from "~/tenants/resolve.server";

export const CONCURRENCY_LABEL = "同時に予約手続きできる人数";

/** Empty = no waiting room; otherwise a whole number 1–100000 (full-width digits accepted). */
export const waitingRoomSchema = z.object({
  bookingConcurrency: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? "").normalize("NFKC").replace(/,/g, "").trim();
      if (s === "") return null;
      const n = /^\d+$/.test(s) ? Number(s) : NaN;
      if (!Number.isInteger(n) || n < 1 || n > 100_000) {
        ctx.addIssue({ code: "custom", message: `${CONCURRENCY_LABEL}は1〜100000の整数で入力してください。順番待ちを使わない場合は空欄にしてください。` });
        return z.NEVER;
      }
      return n;
    }),
});

/**
 * City admin: sets or clears the waiting room's limit (ADR 025), audited in the same transaction.
 * The tenant cache is dropped here; other processes see the change within the cache's 5 seconds.
 */
export async function setBookingConcurrency(db: Db, tenant: { id: string; slug: string }, value: number | null, actor: { staffUserId: string; ip?: string | null }) {
  await withTenant(db, tenant.id, async (tx) => {
    const [before] = await tx.select({ v: tenants.bookingConcurrency }).from(tenants).where(eq(tenants.id, tenant.id));
    await tx.update(tenants).set({ bookingConcurrency: value, updatedAt: sql`now()` }).where(eq(tenants.id, tenant.id));
    await recordAudit(tx, { tenantId: tenant.id, actorKind: "staff", actorId: actor.staffUserId, action: "tenant.booking_concurrency", targetType: "tenant", targetId: tenant.id, detail: { from: before?.v ?? null, to: value }, ip: actor.ip });
  });
  forgetTenant(tenant.slug);
}
