import type Stripe from "stripe";
import { z } from "zod";
import type { Db } from "#db/client.server";
import type { Plan } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { BillingSetupError, listPlans, setUpCityBilling } from "~/features/billing/onboarding.server";
import { planForPopulation } from "~/features/billing/plans.server";
import { emailSchema } from "~/features/staff/staff.schemas";
import {
  getOnboarding,
  recordStepFailure,
  recordStepOutcome,
  type StepOutcome,
  type VendorActor,
} from "./state.server";

/**
 * Step 6: plan and billing. The plans are the billing slice's price list (population bands, each a
 * Stripe product and monthly price); completing the step creates — or, on a retry, finds and reuses —
 * the city's Stripe customer and its one subscription (`setUpCityBilling`, idempotent and resumable,
 * ADR 012). Only then is the step recorded as done, so "done" always means "subscribed". A Stripe
 * failure is recorded on the step with what to do, and the next attempt continues where it stopped.
 */
export const COLLECTIONS = [
  { key: "send_invoice", label: "請求書払い（銀行振込など、自治体の支払い手続き）" },
  { key: "charge_automatically", label: "クレジットカード払い" },
] as const;
export type BillingCollection = (typeof COLLECTIONS)[number]["key"];

export const billingStepSchema = z.object({
  planKey: z
    .string({ error: "プランを選択してください。" })
    .regex(/^[a-z0-9_-]{1,40}$/, { error: "プランを選択してください。" }),
  billingEmail: emailSchema,
  collection: z.enum(["send_invoice", "charge_automatically"], { error: "支払い方法を選択してください。" }),
});

export type BillingStepDeps = { db: Db; stripe: Stripe; graceDays?: number };
export type BillingStepInput = z.infer<typeof billingStepSchema>;

export const planLabel = (p: Pick<Plan, "name" | "amountYenPerMonth">) =>
  `${p.name} 月額${p.amountYenPerMonth.toLocaleString("ja-JP")}円（税別）`;

export async function loadBillingStep(
  deps: Pick<BillingStepDeps, "db">,
  tenant: { id: string; population: number | null },
) {
  const [row, plans] = await Promise.all([getOnboarding(deps.db, tenant.id), listPlans(deps.db)]);
  return {
    plans: plans.map((p) => ({ key: p.id, label: planLabel(p) })),
    collections: COLLECTIONS,
    suggested: planForPopulation(plans, tenant.population)?.id ?? plans[0]?.id ?? null,
    current: {
      planKey: row?.planKey ?? null,
      billingEmail: row?.billingEmail ?? null,
      collection: row?.billingCollection ?? null,
    },
  };
}

export async function completeBillingStep(
  deps: BillingStepDeps,
  tenantId: string,
  input: BillingStepInput,
  actor: VendorActor,
): Promise<StepOutcome> {
  const plan = (await listPlans(deps.db)).find((p) => p.id === input.planKey);
  if (!plan)
    return {
      ok: false,
      message: "選択されたプランは現在ご利用いただけません。一覧から選び直してください。",
      field: "planKey",
    };
  let subscribed: Awaited<ReturnType<typeof setUpCityBilling>>;
  try {
    subscribed = await setUpCityBilling(
      deps.db,
      deps.stripe,
      { tenantId, planId: plan.id, billingEmail: input.billingEmail, collection: input.collection },
      { graceDays: deps.graceDays },
    );
  } catch (e) {
    // Stripe unreachable or refusing: nothing is lost — what Stripe already made is found and reused
    // by the next attempt (idempotency keys derived from the city).
    const message =
      e instanceof BillingSetupError
        ? e.message
        : "Stripe に接続できませんでした。通信状況を確認し、しばらくしてからもう一度「保存して次へ」を押してください（作成済みの内容は引き継がれます）。";
    return recordStepFailure(deps.db, tenantId, "billing", message, actor, {
      error: e instanceof BillingSetupError ? "billing_setup" : "stripe_unreachable",
      planId: plan.id,
    });
  }
  const how = COLLECTIONS.find((c) => c.key === input.collection)!.label.replace(/（.*）/, "");
  const message = `${planLabel(plan)}、${how}で契約しました（請求先 ${input.billingEmail}）。請求書は Stripe から送付されます。`;
  await withTenant(deps.db, tenantId, async (tx) => {
    await recordStepOutcome(
      tx,
      tenantId,
      "billing",
      { status: "done", message },
      { set: { planKey: plan.id, billingEmail: input.billingEmail, billingCollection: input.collection } },
    );
    await recordVendorAudit(tx, {
      vendorUserId: actor.vendorUserId,
      tenantId,
      action: "onboarding.billing",
      detail: {
        ok: true,
        planId: plan.id,
        collection: input.collection,
        customerId: subscribed.customerId,
        subscriptionId: subscribed.subscriptionId,
        status: subscribed.status,
      },
      ip: actor.ip,
    });
  });
  return { ok: true, message };
}
