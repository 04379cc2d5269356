import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { cityInvoices } from "#db/schema/index";
import { setUpCityBilling, listPlans, BillingSetupError } from "~/features/billing/onboarding.server";
import { syncPlans } from "~/features/billing/plans.server";
import { createStripe } from "~/integrations/stripe/client.server";
import { makeTenant } from "#tests/factories/tenants";
import { billingWorld } from "#tests/setup/billing-world";

/**
 * Setting up a city's billing (the onboarding wizard's step) against the Stripe fake, through
 * stripe-node, with the state as stored in PostgreSQL. The webhooks: billing-webhook.test.ts.
 */
const w = billingWorld();
const { dbs, billingOf, subscribedCity } = w;

describe("setUpCityBilling (the onboarding wizard's plan and billing step)", () => {
  it("lists the seeded plans by population band", async () => {
    const plans = await listPlans(dbs.appDb);
    expect(plans.map((p) => p.id)).toEqual(["small", "standard", "large", "metro"]);
    expect(plans[1]).toMatchObject({ populationMin: 30000, populationMax: 100000, amountYenPerMonth: 120000 });
  });

  it("creates one customer and one send_invoice subscription; calling it again creates nothing new", async () => {
    const { city, customerId, subscriptionId, status } = await subscribedCity();
    expect(customerId).toMatch(/^cus_/);
    expect(subscriptionId).toMatch(/^sub_/);
    expect(status).toBe("active");
    const again = await setUpCityBilling(dbs.appDb, w.stripe, {
      tenantId: city.id,
      planId: "standard",
      billingEmail: `keiri@${city.slug}.example.jp`,
      collection: "send_invoice",
      daysUntilDue: 30,
    });
    expect(again).toEqual({ customerId, subscriptionId, status: "active" });
    const customers = [...w.fake.state.customers.values()].filter((c) => c.metadata.tenantId === city.id);
    expect(customers).toHaveLength(1);
    expect(customers[0]).toMatchObject({ email: `keiri@${city.slug}.example.jp`, name: city.name });
    expect([...w.fake.state.subscriptions.values()].filter((s) => s.customer === customerId)).toHaveLength(1);
    const sub = w.fake.state.subscriptions.get(subscriptionId)!;
    expect(sub).toMatchObject({
      collection_method: "send_invoice",
      days_until_due: 30,
      metadata: { tenantId: city.id, planId: "standard" },
    });
    expect(sub.items.data[0]!.price.unit_amount).toBe(120000);
    const row = await billingOf(city.id);
    expect(row).toMatchObject({
      stripeCustomerId: customerId,
      stripeSubscriptionId: subscriptionId,
      status: "active",
      planId: "standard",
    });
    const invoices = await dbs.ownerDb.select().from(cityInvoices).where(eq(cityInvoices.tenantId, city.id));
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ status: "open", amountDueYen: 120000 });
  });

  it("resumes after a crash: adopts the customer and the subscription Stripe already made for this city", async () => {
    const city = await makeTenant(dbs.appDb);
    const plan = (await syncPlans(dbs.appDb, w.stripe)).find((p) => p.id === "small")!;
    // As if a first attempt died after Stripe answered and before our database recorded anything.
    const orphan = await w.stripe.customers.create({ metadata: { tenantId: city.id } });
    const orphanSub = await w.stripe.subscriptions.create({
      customer: orphan.id,
      items: [{ price: plan.stripePriceId! }],
      collection_method: "send_invoice",
      days_until_due: 30,
      metadata: { tenantId: city.id, planId: "small" },
    });
    const result = await setUpCityBilling(dbs.appDb, w.stripe, {
      tenantId: city.id,
      planId: "small",
      billingEmail: "a@example.jp",
      collection: "send_invoice",
    });
    expect(result.customerId).toBe(orphan.id);
    expect(result.subscriptionId).toBe(orphanSub.id);
    expect([...w.fake.state.customers.values()].filter((c) => c.metadata.tenantId === city.id)).toHaveLength(1);
  });

  it("changes the plan on the same subscription, and replaces a customer Stripe no longer has", async () => {
    const { city, customerId, subscriptionId } = await subscribedCity();
    const changed = await setUpCityBilling(dbs.appDb, w.stripe, {
      tenantId: city.id,
      planId: "large",
      billingEmail: "b@example.jp",
      collection: "send_invoice",
      daysUntilDue: 45,
    });
    expect(changed.subscriptionId).toBe(subscriptionId);
    const sub = w.fake.state.subscriptions.get(subscriptionId)!;
    expect(sub.items.data[0]!.price.unit_amount).toBe(250000);
    expect(sub.days_until_due).toBe(45);
    expect(w.fake.state.customers.get(customerId)!.email).toBe("b@example.jp");

    w.fake.state.customers.delete(customerId);
    w.fake.state.subscriptions.delete(subscriptionId);
    const fresh = await setUpCityBilling(dbs.appDb, w.stripe, {
      tenantId: city.id,
      planId: "large",
      billingEmail: "b@example.jp",
      collection: "send_invoice",
    });
    expect(fresh.customerId).not.toBe(customerId);
    expect(fresh.subscriptionId).not.toBe(subscriptionId);
    expect((await billingOf(city.id))!.stripeCustomerId).toBe(fresh.customerId);
  });

  it("refuses bad input politely, creating nothing", async () => {
    const city = await makeTenant(dbs.appDb);
    const before = w.fake.state.customers.size;
    await expect(
      setUpCityBilling(dbs.appDb, w.stripe, {
        tenantId: city.id,
        planId: "nope",
        billingEmail: "a@example.jp",
        collection: "send_invoice",
      }),
    ).rejects.toThrow(BillingSetupError);
    await expect(
      setUpCityBilling(dbs.appDb, w.stripe, {
        tenantId: city.id,
        planId: "small",
        billingEmail: "not-an-email",
        collection: "send_invoice",
      }),
    ).rejects.toThrow("メールアドレス");
    await expect(
      setUpCityBilling(dbs.appDb, w.stripe, {
        tenantId: city.id,
        planId: "small",
        billingEmail: "a@example.jp",
        collection: "send_invoice",
        daysUntilDue: 0,
      }),
    ).rejects.toThrow("1〜365日");
    expect(w.fake.state.customers.size).toBe(before);
    expect(await billingOf(city.id)).toBeNull();
  });
});

describe("setUpCityBilling when Stripe fails", () => {
  it("answers a polite error, and the next call finishes the job with one customer", async () => {
    const city = await makeTenant(dbs.appDb);
    const broken = createStripe({ secretKey: "sk_live_not_accepted", apiBase: w.fake.url });
    await syncPlans(dbs.appDb, w.stripe);
    const err = await setUpCityBilling(dbs.appDb, broken, {
      tenantId: city.id,
      planId: "small",
      billingEmail: "a@example.jp",
      collection: "send_invoice",
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BillingSetupError);
    expect((err as Error).message).toContain("Stripe での請求設定に失敗しました");
    // It failed at the first Stripe call (the plan's price): nothing written, nothing made in Stripe.
    expect(await billingOf(city.id)).toBeNull();
    expect([...w.fake.state.customers.values()].filter((c) => c.metadata.tenantId === city.id)).toHaveLength(0);
    const ok = await setUpCityBilling(dbs.appDb, w.stripe, {
      tenantId: city.id,
      planId: "small",
      billingEmail: "a@example.jp",
      collection: "send_invoice",
    });
    expect(ok.status).toBe("active");
    expect([...w.fake.state.customers.values()].filter((c) => c.metadata.tenantId === city.id)).toHaveLength(1);
  });
});
