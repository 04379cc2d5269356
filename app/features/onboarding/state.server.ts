import { eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { onboardings, tenants, type Onboarding } from "#db/schema/index";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { currentStepOf, stepNumber, withStepOutcome, type OnboardingStep, type OnboardingSteps } from "./steps";

/**
 * The wizard's saved progress for one city (db/schema/onboarding.ts). Every step outcome, success or
 * failure, is written with the step's own effects in one withTenant transaction, so the page always
 * tells the truth about what happened.
 */
export type VendorActor = { vendorUserId: string; ip?: string | null };

export type StepOutcome = { ok: true; message: string } | { ok: false; message: string; field?: string };

export async function getOnboarding(db: Db, tenantId: string): Promise<Onboarding | null> {
  if (!/^[0-9a-f-]{36}$/i.test(tenantId)) return null;
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx.select().from(onboardings).where(eq(onboardings.tenantId, tenantId));
    return row ?? null;
  });
}

/**
 * Applies one step's outcome inside the caller's withTenant transaction. `invalidate`: the step
 * changed something later steps relied on (see INVALIDATES).
 */
export async function recordStepOutcome(
  tx: Tx,
  tenantId: string,
  step: OnboardingStep,
  outcome: { status: "done" | "failed"; message?: string },
  opts: {
    invalidate?: boolean;
    set?: Partial<Pick<Onboarding, "planKey" | "billingEmail" | "billingCollection" | "adminEmail" | "completedAt">>;
    now?: Date;
  } = {},
): Promise<OnboardingSteps> {
  const [row] = await tx.select().from(onboardings).where(eq(onboardings.tenantId, tenantId)).for("update");
  if (!row) throw new Error("recordStepOutcome: no onboarding row");
  const steps = withStepOutcome(row.steps, step, outcome, { now: opts.now ?? new Date(), invalidate: opts.invalidate });
  await tx
    .update(onboardings)
    .set({ steps, currentStep: currentStepOf(steps), updatedAt: sql`now()`, ...opts.set })
    .where(eq(onboardings.tenantId, tenantId));
  return steps;
}

/** A failure with nothing else written: the step's state, its Japanese explanation, and the vendor audit entry. */
export async function recordStepFailure(
  db: Db,
  tenantId: string,
  step: OnboardingStep,
  message: string,
  actor: VendorActor,
  detail: Record<string, unknown> = {},
) {
  await withTenant(db, tenantId, async (tx) => {
    await recordStepOutcome(tx, tenantId, step, { status: "failed", message });
    await recordVendorAudit(tx, {
      vendorUserId: actor.vendorUserId,
      tenantId,
      action: `onboarding.${step}`,
      detail: { ok: false, ...detail },
      ip: actor.ip,
    });
  });
  return { ok: false as const, message };
}

export type OnboardingOverviewRow = {
  tenantId: string;
  name: string;
  slug: string;
  currentStep: OnboardingStep;
  stepNumber: number;
  failed: { step: OnboardingStep; message: string } | null;
  doneCount: number;
  updatedAt: Date;
};

/** Every city still in onboarding, the longest-waiting first (cross-city read through onboarding_overview()). */
export async function onboardingOverview(db: Db): Promise<OnboardingOverviewRow[]> {
  const rows = (await db.execute(
    sql`select tenant_id, current_step, steps, updated_at from onboarding_overview()`,
  )) as unknown as {
    tenant_id: string;
    current_step: OnboardingStep;
    steps: OnboardingSteps;
    updated_at: string | Date;
  }[];
  if (!rows.length) return [];
  const names = await db
    .select({ id: tenants.id, name: tenants.name, slug: tenants.slug })
    .from(tenants)
    .where(
      inArray(
        tenants.id,
        rows.map((r) => r.tenant_id),
      ),
    );
  const byId = new Map(names.map((n) => [n.id, n]));
  return rows
    .filter((r) => byId.has(r.tenant_id))
    .map((r) => {
      const failedEntry = Object.entries(r.steps).find(([, s]) => s?.status === "failed");
      return {
        tenantId: r.tenant_id,
        name: byId.get(r.tenant_id)!.name,
        slug: byId.get(r.tenant_id)!.slug,
        currentStep: r.current_step,
        stepNumber: stepNumber(r.current_step),
        failed: failedEntry ? { step: failedEntry[0] as OnboardingStep, message: failedEntry[1]!.message ?? "" } : null,
        doneCount: Object.values(r.steps).filter((s) => s?.status === "done").length,
        updatedAt: new Date(r.updated_at),
      };
    })
    .sort((a, b) => Number(!!b.failed) - Number(!!a.failed) || a.updatedAt.getTime() - b.updatedAt.getTime());
}
