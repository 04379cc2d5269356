/**
 * The demo's billing (ADR billing): the Stripe fake is in memory, so every demo start puts the plans
 * into it and gives each demo city its subscription again (setUpCityBilling notices that the stored
 * Stripe ids are gone and makes new ones). みなとデモ町's invoice is then moved past due, so the
 * vendor console shows one city in arrears (still within its grace period).
 */
import { createDb } from "../db/client.server";
import { setUpCityBilling } from "../app/features/billing/onboarding.server";
import { listPlans, planForPopulation, syncPlans } from "../app/features/billing/plans.server";
import { createStripe } from "../app/integrations/stripe/client.server";

export const DEMO_STRIPE_SECRET_KEY = "sk_test_madoguchi_demo_not_secret";
export const DEMO_STRIPE_WEBHOOK_SECRET = "whsec_madoguchi_demo_not_secret";
/** The demo city whose invoice is past due at every start. */
export const DEMO_PAST_DUE_SLUG = "minato-demo";

export async function provisionDemoBilling(opts: {
  appUrl: string;
  stripeUrl: string;
  tenants: { id: string; slug: string; population: number | null }[];
}) {
  const { db, sql } = createDb(opts.appUrl, 2);
  const stripe = createStripe({ secretKey: DEMO_STRIPE_SECRET_KEY, apiBase: opts.stripeUrl });
  try {
    await syncPlans(db, stripe);
    const plans = await listPlans(db);
    const lines: string[] = [];
    for (const t of opts.tenants) {
      const plan = planForPopulation(plans, t.population) ?? plans[0]!;
      const r = await setUpCityBilling(db, stripe, {
        tenantId: t.id,
        planId: plan.id,
        billingEmail: `keiri@${t.slug}.example`,
        collection: "send_invoice",
        daysUntilDue: 30,
      });
      if (t.slug === DEMO_PAST_DUE_SLUG) {
        const sub = await stripe.subscriptions.retrieve(r.subscriptionId);
        const res = await fetch(`${opts.stripeUrl}/__fake/invoices/${sub.latest_invoice as string}/past_due`, {
          method: "POST",
        });
        if (!res.ok) throw new Error(`Stripe fake refused past_due: ${res.status} ${await res.text()}`);
      }
      lines.push(
        `${t.slug.padEnd(14)} ${plan.name}  ${r.customerId}  ${r.subscriptionId}${t.slug === DEMO_PAST_DUE_SLUG ? "  (invoice past due)" : ""}`,
      );
    }
    return lines;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
