import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import pino from "pino";
import type Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cityBilling, cityInvoices, stripeEvents, vendorAuditLog } from "#db/schema/index";
import { startStripeFake, type StripeFake } from "../../emulators/stripe/server";
import { setUpCityBilling, listPlans, BillingSetupError } from "~/features/billing/onboarding.server";
import { syncPlans } from "~/features/billing/plans.server";
import { getCityBilling } from "~/features/billing/state.server";
import { handleStripeWebhook } from "~/features/billing/webhook.server";
import { createStripe } from "~/integrations/stripe/client.server";
import { withTenant } from "#db/with-tenant.server";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * Billing against the Stripe fake, end to end: setUpCityBilling through stripe-node, the fake's
 * signed webhooks received by handleStripeWebhook (the /webhooks/stripe use-case) on a real HTTP
 * server, and the billing state as stored in PostgreSQL.
 */

const SECRET = "whsec_billing_integration";
const dbs = testDbs();
const silent = pino({ level: "silent" });
let fake: StripeFake;
let stripe: Stripe;
let receiver: Server;

const deps = () => ({ db: dbs.appDb, stripe, webhookSecret: SECRET, graceDays: 30, log: silent });
const post = (payload: string, signature: string | null) =>
  handleStripeWebhook(deps(), { method: "POST", rawBody: Buffer.from(payload), signature });
const signed = (payload: string) => stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const billingOf = (tenantId: string) => withTenant(dbs.appDb, tenantId, (tx) => getCityBilling(tx, tenantId));
const auditOf = (tenantId: string, action: string) =>
  dbs.ownerDb
    .select()
    .from(vendorAuditLog)
    .where(and(eq(vendorAuditLog.tenantId, tenantId), eq(vendorAuditLog.action, action)));

async function subscribedCity(overrides: Parameters<typeof makeTenant>[1] = {}) {
  const city = await makeTenant(dbs.appDb, overrides);
  const result = await setUpCityBilling(dbs.appDb, stripe, {
    tenantId: city.id,
    planId: "standard",
    billingEmail: `keiri@${city.slug}.example.jp`,
    collection: "send_invoice",
    daysUntilDue: 30,
  });
  await fake.flush();
  return { city, ...result };
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void post(Buffer.concat(chunks).toString("utf8"), (req.headers["stripe-signature"] as string) ?? null).then(
        (r) => res.writeHead(r.status, { "content-type": "application/json" }).end(JSON.stringify(r.body)),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  fake = await startStripeFake({
    webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`,
    webhookSecret: SECRET,
  });
  stripe = createStripe({ secretKey: "sk_test_integration", apiBase: fake.url });
});

afterAll(async () => {
  await fake.close();
  await new Promise((r) => receiver.close(r));
  await dbs.close();
});

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
    const again = await setUpCityBilling(dbs.appDb, stripe, {
      tenantId: city.id,
      planId: "standard",
      billingEmail: `keiri@${city.slug}.example.jp`,
      collection: "send_invoice",
      daysUntilDue: 30,
    });
    expect(again).toEqual({ customerId, subscriptionId, status: "active" });
    const customers = [...fake.state.customers.values()].filter((c) => c.metadata.tenantId === city.id);
    expect(customers).toHaveLength(1);
    expect(customers[0]).toMatchObject({ email: `keiri@${city.slug}.example.jp`, name: city.name });
    expect([...fake.state.subscriptions.values()].filter((s) => s.customer === customerId)).toHaveLength(1);
    const sub = fake.state.subscriptions.get(subscriptionId)!;
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
    const plan = (await syncPlans(dbs.appDb, stripe)).find((p) => p.id === "small")!;
    // As if a first attempt died after Stripe answered and before our database recorded anything.
    const orphan = await stripe.customers.create({ metadata: { tenantId: city.id } });
    const orphanSub = await stripe.subscriptions.create({
      customer: orphan.id,
      items: [{ price: plan.stripePriceId! }],
      collection_method: "send_invoice",
      days_until_due: 30,
      metadata: { tenantId: city.id, planId: "small" },
    });
    const result = await setUpCityBilling(dbs.appDb, stripe, {
      tenantId: city.id,
      planId: "small",
      billingEmail: "a@example.jp",
      collection: "send_invoice",
    });
    expect(result.customerId).toBe(orphan.id);
    expect(result.subscriptionId).toBe(orphanSub.id);
    expect([...fake.state.customers.values()].filter((c) => c.metadata.tenantId === city.id)).toHaveLength(1);
  });

  it("changes the plan on the same subscription, and replaces a customer Stripe no longer has", async () => {
    const { city, customerId, subscriptionId } = await subscribedCity();
    const changed = await setUpCityBilling(dbs.appDb, stripe, {
      tenantId: city.id,
      planId: "large",
      billingEmail: "b@example.jp",
      collection: "send_invoice",
      daysUntilDue: 45,
    });
    expect(changed.subscriptionId).toBe(subscriptionId);
    const sub = fake.state.subscriptions.get(subscriptionId)!;
    expect(sub.items.data[0]!.price.unit_amount).toBe(250000);
    expect(sub.days_until_due).toBe(45);
    expect(fake.state.customers.get(customerId)!.email).toBe("b@example.jp");

    fake.state.customers.delete(customerId);
    fake.state.subscriptions.delete(subscriptionId);
    const fresh = await setUpCityBilling(dbs.appDb, stripe, {
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
    const before = fake.state.customers.size;
    await expect(
      setUpCityBilling(dbs.appDb, stripe, {
        tenantId: city.id,
        planId: "nope",
        billingEmail: "a@example.jp",
        collection: "send_invoice",
      }),
    ).rejects.toThrow(BillingSetupError);
    await expect(
      setUpCityBilling(dbs.appDb, stripe, {
        tenantId: city.id,
        planId: "small",
        billingEmail: "not-an-email",
        collection: "send_invoice",
      }),
    ).rejects.toThrow("メールアドレス");
    await expect(
      setUpCityBilling(dbs.appDb, stripe, {
        tenantId: city.id,
        planId: "small",
        billingEmail: "a@example.jp",
        collection: "send_invoice",
        daysUntilDue: 0,
      }),
    ).rejects.toThrow("1〜365日");
    expect(fake.state.customers.size).toBe(before);
    expect(await billingOf(city.id)).toBeNull();
  });
});

describe("/webhooks/stripe", () => {
  beforeEach(() => fake.flush());

  it("refuses a bad or missing signature with 400 and stores nothing", async () => {
    const payload = JSON.stringify({
      id: "evt_badsig_0001",
      object: "event",
      type: "invoice.paid",
      created: Math.floor(Date.now() / 1000),
      data: { object: { object: "invoice", customer: "cus_x" } },
    });
    const wrong = stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_someone_else" });
    expect((await post(payload, wrong)).status).toBe(400);
    expect((await post(payload, null)).status).toBe(400);
    expect((await post(payload, "t=1,v1=deadbeef")).status).toBe(400);
    // Signed, then tampered with.
    expect((await post(payload.replace("cus_x", "cus_y"), signed(payload))).status).toBe(400);
    expect(
      await dbs.ownerDb.select().from(stripeEvents).where(eq(stripeEvents.eventId, "evt_badsig_0001")),
    ).toHaveLength(0);
  });

  it("processes a replayed event once", async () => {
    const { city, subscriptionId } = await subscribedCity();
    const invoiceId = fake.state.subscriptions.get(subscriptionId)!.latest_invoice!;
    await control("POST", `/__fake/invoices/${invoiceId}/past_due`);
    expect((await billingOf(city.id))!.status).toBe("past_due");
    const deliveries = (
      await control<{ data: { id: string; type: string; eventId: string; status: number }[] }>(
        "GET",
        "/__fake/deliveries?wait=1",
      )
    ).data;
    const update = deliveries.filter((d) => d.type === "customer.subscription.updated").at(-1)!;
    expect(update.status).toBe(200);
    const audits = (await auditOf(city.id, "billing.status")).length;
    const again = await control<{ status: number }>("POST", `/__fake/deliveries/${update.id}/redeliver`);
    expect(again.status).toBe(200);
    const rows = await dbs.ownerDb.select().from(stripeEvents).where(eq(stripeEvents.eventId, update.eventId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ processed: true, outcome: "applied", tenantId: city.id });
    expect((await auditOf(city.id, "billing.status")).length).toBe(audits);
    // Sent by hand too: acknowledged as a duplicate.
    const event = fake.state.events.find((e) => e.id === update.eventId)!;
    const payload = JSON.stringify(event);
    expect(await post(payload, signed(payload))).toEqual({
      status: 200,
      body: { received: true, outcome: "duplicate" },
    });
  });

  it("acknowledges and logs an event for an unknown customer, creating nothing, and applies it if it comes back once known", async () => {
    const customer = await stripe.customers.create({ metadata: { purpose: "not a city" } });
    const event = {
      id: "evt_unknown_customer_01",
      object: "event",
      type: "customer.subscription.updated",
      created: Math.floor(Date.now() / 1000),
      data: {
        object: {
          id: "sub_unknownsub0001",
          object: "subscription",
          customer: customer.id,
          status: "active",
          items: { data: [] },
        },
      },
    };
    const payload = JSON.stringify(event);
    const billingRows = await dbs.ownerDb.select({ n: sql<number>`count(*)::int` }).from(cityBilling);
    expect(await post(payload, signed(payload))).toEqual({
      status: 200,
      body: { received: true, outcome: "unknown_customer" },
    });
    const [row] = await dbs.ownerDb.select().from(stripeEvents).where(eq(stripeEvents.eventId, event.id));
    expect(row).toMatchObject({ processed: false, outcome: "unknown_customer", tenantId: null });
    expect(await dbs.ownerDb.select({ n: sql<number>`count(*)::int` }).from(cityBilling)).toEqual(billingRows);

    // The city's customer id gets recorded; Stripe delivers the event again: now it is applied.
    const city = await makeTenant(dbs.appDb);
    await withTenant(dbs.appDb, city.id, (tx) =>
      tx.insert(cityBilling).values({ tenantId: city.id, billingEmail: "x@example.jp", stripeCustomerId: customer.id }),
    );
    expect(await post(payload, signed(payload))).toEqual({ status: 200, body: { received: true, outcome: "applied" } });
    expect((await billingOf(city.id))!).toMatchObject({ status: "active", stripeSubscriptionId: "sub_unknownsub0001" });
  });

  it("acknowledges a signed event for a subscription that is not the city's, or with unusable fields, changing nothing (ADR 028)", async () => {
    const { city } = await subscribedCity();
    const before = await billingOf(city.id);
    const customerId = before!.stripeCustomerId!;
    const base = { object: "event", created: Math.floor(Date.now() / 1000) };
    const sub = { object: "subscription", customer: customerId, status: "canceled", items: { data: [] } };
    const events = [
      // Another subscription of the city's customer (not the one the city has): stale, not applied.
      {
        ...base,
        id: "evt_foreign_sub_01",
        type: "customer.subscription.deleted",
        data: { object: { ...sub, id: "sub_notthecitys01" } },
      },
      // Fields we read with the wrong type or no meaning: acknowledged as invalid, nothing stored.
      {
        ...base,
        id: "evt_bad_items_01",
        type: "customer.subscription.updated",
        data: { object: { id: "sub_x1", customer: customerId, status: "active" } },
      },
      {
        ...base,
        id: "evt_bad_created_01",
        created: 1e15,
        type: "customer.subscription.updated",
        data: { object: { ...sub, id: "sub_x2" } },
      },
      {
        ...base,
        id: "evt_nul_\u0000_01",
        type: "invoice.paid",
        data: { object: { id: "in_1", customer: customerId } },
      },
      {
        ...base,
        id: "evt_bad_invoice_01",
        type: "invoice.paid",
        data: {
          object: { id: "in_2", customer: customerId, amount_due: "lots", amount_paid: 0, created: base.created },
        },
      },
    ];
    const outcomes = [];
    for (const event of events) {
      const payload = JSON.stringify(event);
      const res = await post(payload, signed(payload));
      expect(res.status).toBe(200);
      outcomes.push(res.body.outcome);
    }
    expect(outcomes).toEqual(["stale", "invalid", "invalid", "invalid", "invalid"]);
    expect(await billingOf(city.id)).toEqual(before);
    const stored = await dbs.ownerDb
      .select()
      .from(stripeEvents)
      .where(sql`event_id like 'evt_bad_%' or event_id like 'evt_nul_%'`);
    expect(stored).toEqual([]);
  });

  it("moves through past_due (grace starts), unpaid, paid (active, grace cleared) and canceled", async () => {
    const { city, subscriptionId } = await subscribedCity();
    const invoiceId = fake.state.subscriptions.get(subscriptionId)!.latest_invoice!;
    await control("POST", `/__fake/invoices/${invoiceId}/past_due`);
    let row = (await billingOf(city.id))!;
    const due = fake.state.invoices.get(invoiceId)!.due_date! * 1000;
    expect(row.status).toBe("past_due");
    expect(row.pastDueSince!.getTime()).toBe(due);
    expect(row.graceUntil!.getTime()).toBe(due + 30 * 86_400_000);

    await control("POST", `/__fake/invoices/${invoiceId}/uncollectible`);
    row = (await billingOf(city.id))!;
    expect(row.status).toBe("unpaid");
    expect(row.graceUntil!.getTime()).toBe(due + 30 * 86_400_000);

    await control("POST", `/__fake/invoices/${invoiceId}/pay`);
    row = (await billingOf(city.id))!;
    expect(row).toMatchObject({ status: "active", graceUntil: null, pastDueSince: null });
    const [inv] = await dbs.ownerDb.select().from(cityInvoices).where(eq(cityInvoices.stripeInvoiceId, invoiceId));
    expect(inv).toMatchObject({ status: "paid", amountPaidYen: 120000 });
    expect(inv!.paidAt).toBeInstanceOf(Date);
    const transitions = (await auditOf(city.id, "billing.status")).map((a) => `${a.detail.from}→${a.detail.to}`);
    expect(transitions).toEqual(
      expect.arrayContaining(["none→active", "active→past_due", "past_due→unpaid", "unpaid→active"]),
    );

    await stripe.subscriptions.cancel(subscriptionId);
    await fake.flush();
    expect((await billingOf(city.id))!.status).toBe("canceled");
  });

  it("ignores a late, older event (out of order) and never moves a paid invoice back to open", async () => {
    const { city, subscriptionId } = await subscribedCity();
    const invoiceId = fake.state.subscriptions.get(subscriptionId)!.latest_invoice!;
    const finalized = fake.state.events.find(
      (e) => e.type === "invoice.finalized" && (e.data.object as { id: string }).id === invoiceId,
    )!;
    await control("POST", `/__fake/invoices/${invoiceId}/pay`);
    const stalePayload = JSON.stringify({ ...finalized, id: "evt_late_finalized_0001" });
    expect((await post(stalePayload, signed(stalePayload))).status).toBe(200);
    const [inv] = await dbs.ownerDb.select().from(cityInvoices).where(eq(cityInvoices.stripeInvoiceId, invoiceId));
    expect(inv!.status).toBe("paid");

    const sub = structuredClone(fake.state.subscriptions.get(subscriptionId)!);
    const newer = {
      id: "evt_sub_newer_0001",
      object: "event",
      type: "customer.subscription.updated",
      created: Math.floor(Date.now() / 1000) + 60,
      data: { object: { ...sub, status: "past_due" } },
    };
    const older = {
      ...newer,
      id: "evt_sub_older_0001",
      created: newer.created - 30,
      data: { object: { ...sub, status: "active" } },
    };
    for (const e of [newer, older]) {
      const p = JSON.stringify(e);
      await post(p, signed(p));
    }
    expect((await billingOf(city.id))!.status).toBe("past_due");
    const [stale] = await dbs.ownerDb.select().from(stripeEvents).where(eq(stripeEvents.eventId, older.id));
    expect(stale!.outcome).toBe("stale");
  });

  it("the route answers 400 to a bad signature and 405 to GET", async () => {
    const { action, loader } = await import("~/routes/webhooks.stripe");
    const res = await action({
      request: new Request("http://x/webhooks/stripe", {
        method: "POST",
        body: "{}",
        headers: { "stripe-signature": "t=1,v1=00" },
      }),
      params: {},
      context: {},
    } as never);
    expect(res.status).toBe(400);
    expect(loader().status).toBe(405);
  });
});

describe("setUpCityBilling when Stripe fails", () => {
  it("answers a polite error, and the next call finishes the job with one customer", async () => {
    const city = await makeTenant(dbs.appDb);
    const broken = createStripe({ secretKey: "sk_live_not_accepted", apiBase: fake.url });
    await syncPlans(dbs.appDb, stripe);
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
    expect([...fake.state.customers.values()].filter((c) => c.metadata.tenantId === city.id)).toHaveLength(0);
    const ok = await setUpCityBilling(dbs.appDb, stripe, {
      tenantId: city.id,
      planId: "small",
      billingEmail: "a@example.jp",
      collection: "send_invoice",
    });
    expect(ok.status).toBe("active");
    expect([...fake.state.customers.values()].filter((c) => c.metadata.tenantId === city.id)).toHaveLength(1);
  });
});
