import { z } from "zod";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { emailSchema } from "~/features/staff/staff.schemas";
import { getOnboarding, recordStepOutcome, type StepOutcome, type VendorActor } from "./state.server";

/**
 * Step 6: plan and billing — a deliberately small interface, so the billing slice can plug in.
 *
 * TODAY: the chosen plan (a key of PLANS, bands by population) and the billing e-mail are recorded
 * in the wizard's row (onboardings.plan_key / billing_email); nothing is charged.
 * AT MERGE: Stripe is wired here — completeBillingStep calls the billing slice's
 * `setUpCityBilling(db, stripe, { tenantId, planId, billingEmail, collection })` (customer +
 * subscription) before recording the step, and loadBillingStep offers that slice's plans. Routes
 * and the rest of the wizard only see this module's two functions.
 */
export type Plan = { key: string; label: string; populationMax: number | null; description: string };

export const PLANS: readonly Plan[] = [
  { key: "town", label: "町村プラン", populationMax: 30_000, description: "人口3万人まで" },
  { key: "city-s", label: "小規模市プラン", populationMax: 100_000, description: "人口10万人まで" },
  { key: "city-m", label: "中規模市プラン", populationMax: 500_000, description: "人口50万人まで" },
  { key: "city-l", label: "大規模市プラン", populationMax: null, description: "人口50万人超" },
];

/** The band a city's population falls into: what the form preselects. */
export function planForPopulation(population: number | null): Plan {
  if (population === null) return PLANS[0]!;
  return PLANS.find((p) => p.populationMax === null || population <= p.populationMax)!;
}

export const billingStepSchema = z.object({
  planKey: z.enum(PLANS.map((p) => p.key) as [string, ...string[]], { error: "プランを選択してください。" }),
  billingEmail: emailSchema,
});
export type BillingStepInput = z.infer<typeof billingStepSchema>;

export async function loadBillingStep(db: Db, tenant: { id: string; population: number | null }) {
  const row = await getOnboarding(db, tenant.id);
  return { plans: PLANS, suggested: planForPopulation(tenant.population).key, current: { planKey: row?.planKey ?? null, billingEmail: row?.billingEmail ?? null } };
}

export async function completeBillingStep(db: Db, tenantId: string, input: BillingStepInput, actor: VendorActor): Promise<StepOutcome> {
  const plan = PLANS.find((p) => p.key === input.planKey)!;
  const message = `${plan.label}（${plan.description}）、請求書の送付先 ${input.billingEmail} を記録しました。`;
  await withTenant(db, tenantId, async (tx) => {
    await recordStepOutcome(tx, tenantId, "billing", { status: "done", message }, { set: { planKey: plan.key, billingEmail: input.billingEmail } });
    await recordVendorAudit(tx, { vendorUserId: actor.vendorUserId, tenantId, action: "onboarding.billing", detail: { ok: true, planKey: plan.key }, ip: actor.ip });
  });
  return { ok: true, message };
}
