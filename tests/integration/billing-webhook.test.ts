import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { cityBilling, cityInvoices, stripeEvents } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { makeTenant } from "#tests/factories/tenants";
import { billingWorld } from "#tests/setup/billing-world";

/**
 * The fake's signed webhooks received by handleStripeWebhook (the /webhooks/stripe use-case) on a
 * real HTTP server: signatures, replays, unknown objects, the status machine, order.
 */
const w = billingWorld();
const { dbs, post, signed, control, billingOf, auditOf, subscribedCity } = w;

describe("/webhooks/stripe", () => {
  beforeEach(() => w.fake.flush());

  it("refuses a bad or missing signature with 400 and stores nothing", async () => {
    const payload = JSON.stringify({
      id: "evt_badsig_0001",
      object: "event",
      type: "invoice.paid",
      created: Math.floor(Date.now() / 1000),
      data: { object: { object: "invoice", customer: "cus_x" } },
    });
    const wrong = w.stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_someone_else" });
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
    const invoiceId = w.fake.state.subscriptions.get(subscriptionId)!.latest_invoice!;
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
    const event = w.fake.state.events.find((e) => e.id === update.eventId)!;
    const payload = JSON.stringify(event);
    expect(await post(payload, signed(payload))).toEqual({
      status: 200,
      body: { received: true, outcome: "duplicate" },
    });
  });

  it("acknowledges and logs an event for an unknown customer, creating nothing, and applies it if it comes back once known", async () => {
    const customer = await w.stripe.customers.create({ metadata: { purpose: "not a city" } });
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
    const invoiceId = w.fake.state.subscriptions.get(subscriptionId)!.latest_invoice!;
    await control("POST", `/__fake/invoices/${invoiceId}/past_due`);
    let row = (await billingOf(city.id))!;
    const due = w.fake.state.invoices.get(invoiceId)!.due_date! * 1000;
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

    await w.stripe.subscriptions.cancel(subscriptionId);
    await w.fake.flush();
    expect((await billingOf(city.id))!.status).toBe("canceled");
  });

  it("ignores a late, older event (out of order) and never moves a paid invoice back to open", async () => {
    const { city, subscriptionId } = await subscribedCity();
    const invoiceId = w.fake.state.subscriptions.get(subscriptionId)!.latest_invoice!;
    const finalized = w.fake.state.events.find(
      (e) => e.type === "invoice.finalized" && (e.data.object as { id: string }).id === invoiceId,
    )!;
    await control("POST", `/__fake/invoices/${invoiceId}/pay`);
    const stalePayload = JSON.stringify({ ...finalized, id: "evt_late_finalized_0001" });
    expect((await post(stalePayload, signed(stalePayload))).status).toBe(200);
    const [inv] = await dbs.ownerDb.select().from(cityInvoices).where(eq(cityInvoices.stripeInvoiceId, invoiceId));
    expect(inv!.status).toBe("paid");

    const sub = structuredClone(w.fake.state.subscriptions.get(subscriptionId)!);
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
