import { asc, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { DbOrTx } from "#db/client.server";
import { plans, type Plan } from "#db/schema/index";

/**
 * Plans are rows (seeded by the billing migration) mirrored in Stripe as one product and one monthly
 * JPY price each. The price carries lookup_key "madoguchi_plan_<id>", so finding or creating it is
 * idempotent even when our stored ids are lost or belong to another Stripe account (the demo's fake
 * starts empty on every run).
 */

export const lookupKey = (planId: string) => `madoguchi_plan_${planId}`;

export async function listPlans(db: DbOrTx): Promise<Plan[]> {
  return db.select().from(plans).where(eq(plans.active, true)).orderBy(asc(plans.sortOrder), asc(plans.id));
}

export async function getPlan(db: DbOrTx, planId: string): Promise<Plan | null> {
  const [p] = await db.select().from(plans).where(eq(plans.id, planId));
  return p ?? null;
}

/** The plan meant for a city of this population (the wizard's suggestion). */
export function planForPopulation(list: readonly Plan[], population: number | null | undefined): Plan | null {
  if (population === null || population === undefined) return list[0] ?? null;
  return (
    list.find((p) => population >= p.populationMin && (p.populationMax === null || population < p.populationMax)) ??
    null
  );
}

async function priceIsUsable(stripe: Stripe, plan: Plan): Promise<boolean> {
  if (!plan.stripePriceId) return false;
  try {
    const price = await stripe.prices.retrieve(plan.stripePriceId);
    return price.active && price.unit_amount === plan.amountYenPerMonth && price.currency === "jpy";
  } catch (err) {
    if ((err as { code?: string }).code === "resource_missing") return false;
    throw err;
  }
}

/** Makes sure the plan has a live Stripe price for its current amount; returns the plan with its ids. */
export async function ensurePlanInStripe(db: DbOrTx, stripe: Stripe, plan: Plan): Promise<Plan> {
  if (await priceIsUsable(stripe, plan)) return plan;
  const key = lookupKey(plan.id);
  const found = (await stripe.prices.list({ lookup_keys: [key], active: true, limit: 1 })).data[0];
  let price: Stripe.Price;
  if (found && found.unit_amount === plan.amountYenPerMonth && found.currency === "jpy") {
    price = found;
  } else {
    const productId = found
      ? typeof found.product === "string"
        ? found.product
        : found.product.id
      : (
          await stripe.products.create(
            { name: `窓口 ${plan.name}`, metadata: { planId: plan.id } },
            { idempotencyKey: `madoguchi-plan-${plan.id}-product` },
          )
        ).id;
    price = await stripe.prices.create(
      // transfer_lookup_key: a changed amount gets a new price that takes the key over.
      {
        product: productId,
        currency: "jpy",
        unit_amount: plan.amountYenPerMonth,
        recurring: { interval: "month" },
        lookup_key: key,
        transfer_lookup_key: true,
        metadata: { planId: plan.id },
      },
      { idempotencyKey: `madoguchi-plan-${plan.id}-price-${plan.amountYenPerMonth}-${productId}` },
    );
  }
  const productId = typeof price.product === "string" ? price.product : price.product.id;
  const [updated] = await db
    .update(plans)
    .set({ stripeProductId: productId, stripePriceId: price.id, updatedAt: sql`now()` })
    .where(eq(plans.id, plan.id))
    .returning();
  return updated!;
}

/** Every active plan in Stripe (the demo runs it at start). */
export async function syncPlans(db: DbOrTx, stripe: Stripe): Promise<Plan[]> {
  const out: Plan[] = [];
  for (const p of await listPlans(db)) out.push(await ensurePlanInStripe(db, stripe, p));
  return out;
}
