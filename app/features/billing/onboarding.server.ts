import { eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import type { Db } from "#db/client.server";
import { cityBilling, type BillingStatus } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { getTenant } from "~/features/tenants/tenants.server";
import { setUpCityBillingSchema, type SetUpCityBillingInput } from "./billing.schemas";
import { ensurePlanInStripe, getPlan, listPlans } from "./plans.server";
import { applySubscription, getCityBilling, upsertInvoice } from "./state.server";

/**
 * The onboarding wizard's "plan and billing" step: one Stripe customer and one subscription per
 * city. Idempotent and resumable — safe to call again after a crash or a failed step:
 *  1. the intent (plan, e-mail, collection) is stored first;
 *  2. the customer: the stored one if Stripe still has it, else one found by metadata tenantId,
 *     else created with an idempotency key derived from the tenant id — and stored at once, before
 *     the subscription exists, so the subscription's webhooks always find their city;
 *  3. the subscription: the stored one (its plan or terms changed if asked), else a live one of
 *     this customer carrying our tenantId (a crash after Stripe created it), else a new one,
 *     again under a key derived from the tenant id.
 * Calling it twice gives one customer and one subscription.
 */

export { listPlans };

export class BillingSetupError extends Error {}

export type SetUpCityBillingResult = { customerId: string; subscriptionId: string; status: BillingStatus };

const GRACE_DAYS_DEFAULT = 30;

function isMissing(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeError && err.code === "resource_missing";
}

async function ensureCustomer(
  stripe: Stripe,
  tenant: { id: string; name: string },
  storedId: string | null,
  email: string,
): Promise<string> {
  if (storedId) {
    try {
      const c = await stripe.customers.retrieve(storedId);
      if (!c.deleted) {
        if (c.email !== email) await stripe.customers.update(c.id, { email });
        return c.id;
      }
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }
  const found = (await stripe.customers.search({ query: `metadata['tenantId']:'${tenant.id}'`, limit: 1 })).data[0];
  if (found) {
    if (found.email !== email) await stripe.customers.update(found.id, { email });
    return found.id;
  }
  // Only tenant-derived fields in the create, so a retry with another e-mail reuses the key safely.
  const created = await stripe.customers.create(
    { name: tenant.name, preferred_locales: ["ja"], metadata: { tenantId: tenant.id } },
    { idempotencyKey: `madoguchi-city-${tenant.id}-customer-${storedId ?? "first"}` },
  );
  await stripe.customers.update(created.id, { email });
  return created.id;
}

type Terms = {
  priceId: string;
  planId: string;
  collection: "send_invoice" | "charge_automatically";
  daysUntilDue: number;
};

async function ensureSubscription(
  stripe: Stripe,
  tenantId: string,
  customerId: string,
  storedId: string | null,
  terms: Terms,
): Promise<Stripe.Subscription> {
  const expand = ["latest_invoice"];
  let current: Stripe.Subscription | null = null;
  if (storedId) {
    try {
      const s = await stripe.subscriptions.retrieve(storedId, { expand });
      if (
        s.status !== "canceled" &&
        s.status !== "incomplete_expired" &&
        (typeof s.customer === "string" ? s.customer : s.customer.id) === customerId
      )
        current = s;
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }
  if (!current) {
    const live = await stripe.subscriptions.list({
      customer: customerId,
      status: "all",
      limit: 100,
      expand: ["data.latest_invoice"],
    });
    current =
      live.data.find(
        (s) => s.metadata.tenantId === tenantId && s.status !== "canceled" && s.status !== "incomplete_expired",
      ) ?? null;
  }
  if (current) {
    const item = current.items.data[0]!;
    const changes: Stripe.SubscriptionUpdateParams = {};
    if (item.price.id !== terms.priceId) {
      changes.items = [{ id: item.id, price: terms.priceId }];
      // A plan change takes effect from the next invoice: municipal budgets do not take prorations well.
      changes.proration_behavior = "none";
    }
    if (current.collection_method !== terms.collection) changes.collection_method = terms.collection;
    if (terms.collection === "send_invoice" && current.days_until_due !== terms.daysUntilDue)
      changes.days_until_due = terms.daysUntilDue;
    if (current.metadata.planId !== terms.planId) changes.metadata = { planId: terms.planId };
    if (Object.keys(changes).length === 0) return current;
    return stripe.subscriptions.update(current.id, { ...changes, expand });
  }
  return stripe.subscriptions.create(
    {
      customer: customerId,
      items: [{ price: terms.priceId }],
      collection_method: terms.collection,
      ...(terms.collection === "send_invoice"
        ? { days_until_due: terms.daysUntilDue }
        : { payment_behavior: "allow_incomplete" as const }),
      metadata: { tenantId, planId: terms.planId },
      expand,
    },
    {
      idempotencyKey: `madoguchi-city-${tenantId}-subscription-${storedId ?? "first"}-${terms.priceId}-${terms.collection}-${terms.daysUntilDue}`,
    },
  );
}

/**
 * Throws BillingSetupError (a polite Japanese message for the wizard) for bad input and for Stripe
 * failures; the original error is its `cause`. Whatever was done before a failure is kept and
 * reused by the next call.
 */
export async function setUpCityBilling(
  db: Db,
  stripe: Stripe,
  input: SetUpCityBillingInput,
  opts: { graceDays?: number } = {},
): Promise<SetUpCityBillingResult> {
  try {
    return await setUp(db, stripe, input, opts);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeError) {
      throw new BillingSetupError(
        `Stripe での請求設定に失敗しました。時間をおいてもう一度お試しください（${err.type}${err.code ? `: ${err.code}` : ""}）。`,
        { cause: err },
      );
    }
    throw err;
  }
}

async function setUp(
  db: Db,
  stripe: Stripe,
  input: SetUpCityBillingInput,
  opts: { graceDays?: number },
): Promise<SetUpCityBillingResult> {
  const parsed = setUpCityBillingSchema.safeParse(input);
  if (!parsed.success) throw new BillingSetupError(parsed.error.issues[0]!.message);
  const { tenantId, planId, billingEmail, collection } = parsed.data;
  const daysUntilDue = parsed.data.daysUntilDue ?? 30;
  const tenant = await getTenant(db, tenantId);
  if (!tenant) throw new BillingSetupError("自治体が見つかりません。");
  const plan = await getPlan(db, planId);
  if (!plan || !plan.active) throw new BillingSetupError("選択されたプランは現在ご利用いただけません。");
  const priced = await ensurePlanInStripe(db, stripe, plan);

  // 1. The intent, so a crash from here on leaves a row that says what was asked for.
  const row = await withTenant(db, tenantId, async (tx) => {
    await tx
      .insert(cityBilling)
      .values({ tenantId, planId, billingEmail, collectionMethod: collection, daysUntilDue })
      .onConflictDoUpdate({
        target: cityBilling.tenantId,
        set: { planId, billingEmail, collectionMethod: collection, daysUntilDue, updatedAt: sql`now()` },
      });
    return (await getCityBilling(tx, tenantId))!;
  });

  // 2. The customer, stored before any subscription exists.
  const customerId = await ensureCustomer(stripe, tenant, row.stripeCustomerId, billingEmail);
  if (customerId !== row.stripeCustomerId) {
    await withTenant(db, tenantId, (tx) =>
      tx
        .update(cityBilling)
        .set({ stripeCustomerId: customerId, updatedAt: sql`now()` })
        .where(eq(cityBilling.tenantId, tenantId)),
    );
  }

  // 3. The subscription, and what Stripe answered.
  const sub = await ensureSubscription(stripe, tenantId, customerId, row.stripeSubscriptionId, {
    priceId: priced.stripePriceId!,
    planId,
    collection,
    daysUntilDue,
  });
  const status = await withTenant(db, tenantId, async (tx) => {
    // Re-read: a webhook may have recorded this subscription since step 1.
    const now = (await getCityBilling(tx, tenantId))!;
    if (now.stripeSubscriptionId !== sub.id)
      await tx
        .update(cityBilling)
        .set({ stripeSubscriptionId: sub.id, statusEventAt: null })
        .where(eq(cityBilling.tenantId, tenantId));
    // No event time: a webhook about this subscription that was already applied stays authoritative.
    await applySubscription(tx, tenantId, sub, { eventAt: null, graceDays: opts.graceDays ?? GRACE_DAYS_DEFAULT });
    if (sub.latest_invoice && typeof sub.latest_invoice !== "string")
      await upsertInvoice(tx, tenantId, sub.latest_invoice);
    return (await getCityBilling(tx, tenantId))!.status;
  });
  return { customerId, subscriptionId: sub.id, status };
}
