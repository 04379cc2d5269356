import { z } from "zod";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { emailSchema } from "~/features/staff/staff.schemas";
import { getOnboarding, recordStepOutcome, type StepOutcome, type VendorActor } from "./state.server";

/**
 * Step 6: plan and billing — a deliberately small interface, so the billing slice can plug in.
 *
 * TODAY: the chosen plan (a key of PLANS, bands by population), the billing e-mail and how the city
 * pays are recorded in the wizard's row (onboardings.plan_key / billing_email / billing_collection);
 * nothing is charged.
 * AT MERGE: Stripe is wired here — add the Stripe client to BillingStepDeps; completeBillingStep
 * calls the billing slice's `setUpCityBilling(deps.db, deps.stripe, { tenantId, planId,
 * billingEmail, collection })` (customer + subscription) before recording the step, and
 * loadBillingStep offers that slice's plans. Routes and the rest of the wizard only see this
 * module's two functions and its schema.
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

export const COLLECTIONS = [
  { key: "send_invoice", label: "請求書払い（銀行振込など、自治体の支払い手続き）" },
  { key: "charge_automatically", label: "クレジットカード払い" },
] as const;
export type BillingCollection = (typeof COLLECTIONS)[number]["key"];

export const billingStepSchema = z.object({
  planKey: z.enum(PLANS.map((p) => p.key) as [string, ...string[]], { error: "プランを選択してください。" }),
  billingEmail: emailSchema,
  collection: z.enum(["send_invoice", "charge_automatically"], { error: "支払い方法を選択してください。" }),
});

/** What the step needs from the outside; the Stripe client joins here at merge. */
export type BillingStepDeps = { db: Db };
export type BillingStepInput = z.infer<typeof billingStepSchema>;

export async function loadBillingStep(deps: BillingStepDeps, tenant: { id: string; population: number | null }) {
  const row = await getOnboarding(deps.db, tenant.id);
  return {
    plans: PLANS,
    collections: COLLECTIONS,
    suggested: planForPopulation(tenant.population).key,
    current: { planKey: row?.planKey ?? null, billingEmail: row?.billingEmail ?? null, collection: row?.billingCollection ?? null },
  };
}

export async function completeBillingStep(deps: BillingStepDeps, tenantId: string, input: BillingStepInput, actor: VendorActor): Promise<StepOutcome> {
  const plan = PLANS.find((p) => p.key === input.planKey)!;
  const how = COLLECTIONS.find((c) => c.key === input.collection)!.label.replace(/（.*）/, "");
  const message = `${plan.label}（${plan.description}）、${how}、請求先 ${input.billingEmail} を記録しました。`;
  await withTenant(deps.db, tenantId, async (tx) => {
    await recordStepOutcome(tx, tenantId, "billing", { status: "done", message }, { set: { planKey: plan.key, billingEmail: input.billingEmail, billingCollection: input.collection } });
    await recordVendorAudit(tx, { vendorUserId: actor.vendorUserId, tenantId, action: "onboarding.billing", detail: { ok: true, planKey: plan.key, collection: input.collection }, ip: actor.ip });
  });
  return { ok: true, message };
}
