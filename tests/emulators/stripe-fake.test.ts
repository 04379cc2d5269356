import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { keySegments, parseForm } from "../../emulators/stripe/form";
import { startStripeFake, type StripeFake } from "../../emulators/stripe/server";
import { createStripe } from "~/integrations/stripe/client.server";

/**
 * The Stripe fake, driven by stripe-node through the app's own client factory (host/port/protocol
 * from a base URL): that pins the fake's paths, form encoding and response shapes to what the real
 * client sends and parses. Webhooks are received by a real node:http server and verified with
 * stripe-node's constructEvent.
 */

const SECRET = "whsec_fake_test_secret";
let fake: StripeFake;
let stripe: Stripe;
let receiver: Server;
let received: { headers: IncomingHttpHeaders; raw: string }[] = [];
let receiverStatus = 200;

async function control<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as T };
}

const events = () =>
  received.map((r) => stripe.webhooks.constructEvent(r.raw, r.headers["stripe-signature"] as string, SECRET));

async function expectStripeError(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Stripe.errors.StripeError) return err;
    throw err;
  }
  throw new Error("expected a Stripe error");
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(receiverStatus).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`;
  fake = await startStripeFake({ port: 0, webhookUrl: receiverUrl, webhookSecret: SECRET });
  stripe = createStripe({ secretKey: "sk_test_fake", apiBase: fake.url });
});

afterAll(async () => {
  await fake.close();
  await new Promise((r) => receiver.close(r));
});

beforeEach(async () => {
  await control("POST", "/__fake/reset");
  received = [];
  receiverStatus = 200;
});

async function plan(amount = 50_000) {
  const product = await stripe.products.create({ name: "小規模プラン", metadata: { band: "small" } });
  const price = await stripe.prices.create({
    product: product.id,
    currency: "jpy",
    unit_amount: amount,
    recurring: { interval: "month" },
    lookup_key: `plan_${amount}`,
  });
  return { product, price };
}

describe("form encoding", () => {
  it("parses qs-style nested keys, arrays and encoded brackets", () => {
    expect(keySegments("items[0][price]")).toEqual(["items", "0", "price"]);
    expect(keySegments("a[b")).toBeNull();
    expect(
      parseForm(
        "items[0][price]=p1&items[1][price]=p2&items%5B1%5D%5Bquantity%5D=2&metadata[tenantId]=t&expand[]=latest_invoice&name=%E7%B4%80+%E5%B7%9D",
      ),
    ).toEqual({
      items: [{ price: "p1" }, { price: "p2", quantity: "2" }],
      metadata: { tenantId: "t" },
      expand: ["latest_invoice"],
      name: "紀 川",
    });
    expect(() => parseForm("a=1&a[b]=2")).toThrow();
  });
});

describe("Stripe fake through stripe-node", () => {
  it("creates, retrieves, updates and searches customers with Stripe's id prefixes", async () => {
    const c = await stripe.customers.create({
      email: "kyuyo@city.example.jp",
      name: "紀ノ川市",
      metadata: { tenantId: "t-1" },
      preferred_locales: ["ja"],
    });
    expect(c.id).toMatch(/^cus_[A-Za-z0-9]{14}$/);
    expect(c).toMatchObject({
      object: "customer",
      email: "kyuyo@city.example.jp",
      metadata: { tenantId: "t-1" },
      preferred_locales: ["ja"],
      livemode: false,
    });
    const updated = await stripe.customers.update(c.id, { email: "new@city.example.jp", metadata: { note: "x" } });
    expect(updated.metadata).toEqual({ tenantId: "t-1", note: "x" });
    expect((await stripe.customers.retrieve(c.id)) as Stripe.Customer).toMatchObject({ email: "new@city.example.jp" });
    await stripe.customers.create({ email: "other@example.jp", metadata: { tenantId: "t-2" } });
    const found = await stripe.customers.search({ query: "metadata['tenantId']:'t-1'" });
    expect(found.data.map((x) => x.id)).toEqual([c.id]);
    const missing = await expectStripeError(stripe.customers.retrieve("cus_doesnotexist"));
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing", param: "id" });
  });

  it("creates products and recurring JPY prices, lists them by lookup key and paginates", async () => {
    const { product, price } = await plan(120_000);
    expect(product.id).toMatch(/^prod_/);
    expect(price).toMatchObject({
      object: "price",
      product: product.id,
      currency: "jpy",
      unit_amount: 120_000,
      type: "recurring",
      recurring: { interval: "month", interval_count: 1 },
    });
    expect((await stripe.prices.list({ lookup_keys: ["plan_120000"] })).data.map((p) => p.id)).toEqual([price.id]);
    expect((await stripe.products.retrieve(product.id)).default_price).toBe(price.id);
    for (let i = 0; i < 3; i++) await stripe.products.create({ name: `p${i}` });
    const all: string[] = [];
    for await (const p of stripe.products.list({ limit: 2 })) all.push(p.id);
    expect(all).toHaveLength(4);
    expect(new Set(all).size).toBe(4);
    const err = await expectStripeError(
      stripe.prices.create({
        product: product.id,
        currency: "jpy",
        unit_amount: 1,
        recurring: { interval: "fortnight" as "month" },
      }),
    );
    expect(err).toMatchObject({ statusCode: 400, param: "recurring[interval]" });
  });

  it("a send_invoice subscription bills its first month at once, due in days_until_due, and signs its webhooks", async () => {
    const { price } = await plan();
    const customer = await stripe.customers.create({ email: "a@city.example.jp", metadata: { tenantId: "t-1" } });
    const before = Math.floor(Date.now() / 1000);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      collection_method: "send_invoice",
      days_until_due: 30,
      metadata: { tenantId: "t-1" },
      expand: ["latest_invoice"],
    });
    expect(sub.id).toMatch(/^sub_/);
    expect(sub).toMatchObject({
      status: "active",
      collection_method: "send_invoice",
      days_until_due: 30,
      customer: customer.id,
    });
    const item = sub.items.data[0]!;
    expect(item.price.id).toBe(price.id);
    expect(item.current_period_end - item.current_period_start).toBeGreaterThanOrEqual(28 * 86400);
    const invoice = sub.latest_invoice as Stripe.Invoice;
    expect(invoice.id).toMatch(/^in_/);
    expect(invoice).toMatchObject({
      status: "open",
      amount_due: 50_000,
      currency: "jpy",
      collection_method: "send_invoice",
      customer: customer.id,
    });
    expect(invoice.due_date! - before).toBeGreaterThanOrEqual(30 * 86400);
    expect(invoice.parent?.subscription_details?.subscription).toBe(sub.id);
    expect((await stripe.invoices.list({ customer: customer.id })).data.map((i) => i.id)).toEqual([invoice.id]);

    await fake.flush();
    const types = events().map((e) => e.type);
    expect(types).toEqual([
      "customer.created",
      "customer.subscription.created",
      "invoice.created",
      "invoice.finalized",
    ]);
    const sig = received[0]!.headers["stripe-signature"] as string;
    expect(sig).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(() => stripe.webhooks.constructEvent(received[0]!.raw, sig, "whsec_wrong")).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() => stripe.webhooks.constructEvent(received[0]!.raw + " ", sig, SECRET)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it("send_invoice without days_until_due is refused like Stripe refuses it", async () => {
    const { price } = await plan();
    const customer = await stripe.customers.create({});
    const err = await expectStripeError(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price.id }],
        collection_method: "send_invoice",
      }),
    );
    expect(err).toMatchObject({ statusCode: 400, param: "days_until_due", code: "parameter_missing" });
    expect(fake.state.subscriptions.size).toBe(0);
  });

  it("charge_automatically without a card leaves the subscription incomplete; with one it is paid", async () => {
    const { price } = await plan();
    const noCard = await stripe.customers.create({});
    expect((await stripe.subscriptions.create({ customer: noCard.id, items: [{ price: price.id }] })).status).toBe(
      "incomplete",
    );
    const card = await stripe.customers.create({ invoice_settings: { default_payment_method: "pm_card_visa" } });
    const sub = await stripe.subscriptions.create({
      customer: card.id,
      items: [{ price: price.id }],
      expand: ["latest_invoice"],
    });
    expect(sub.status).toBe("active");
    expect((sub.latest_invoice as Stripe.Invoice).status).toBe("paid");
  });

  it("idempotency keys replay the first response and refuse different parameters", async () => {
    const first = await stripe.customers.create(
      { email: "x@example.jp" },
      { idempotencyKey: "madoguchi:t-1:customer" },
    );
    const again = await stripe.customers.create(
      { email: "x@example.jp" },
      { idempotencyKey: "madoguchi:t-1:customer" },
    );
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(fake.state.customers.size).toBe(1);
    const err = await expectStripeError(
      stripe.customers.create({ email: "y@example.jp" }, { idempotencyKey: "madoguchi:t-1:customer" }),
    );
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(fake.state.customers.size).toBe(1);
  });

  it("updates (plan change) and cancels a subscription with updated/deleted events", async () => {
    const { price } = await plan();
    const { price: bigger } = await plan(120_000);
    const customer = await stripe.customers.create({});
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      collection_method: "send_invoice",
      days_until_due: 14,
    });
    const changed = await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]!.id, price: bigger.id }],
      metadata: { plan: "medium" },
    });
    expect(changed.items.data.map((i) => i.price.id)).toEqual([bigger.id]);
    const canceled = await stripe.subscriptions.cancel(sub.id);
    expect(canceled).toMatchObject({ status: "canceled" });
    expect(canceled.canceled_at).toBeTypeOf("number");
    await fake.flush();
    const evs = events();
    const updated = evs.find((e) => e.type === "customer.subscription.updated")!;
    expect(updated.data.previous_attributes).toHaveProperty("items");
    expect(evs.at(-1)!.type).toBe("customer.subscription.deleted");
    expect((await stripe.subscriptions.list({ customer: customer.id })).data).toHaveLength(0);
    expect((await stripe.subscriptions.list({ customer: customer.id, status: "all" })).data).toHaveLength(1);
  });

  it("invoices: paid out of band, voided, marked uncollectible; wrong transitions refused", async () => {
    const { price } = await plan();
    const customer = await stripe.customers.create({});
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      collection_method: "send_invoice",
      days_until_due: 30,
    });
    const invoiceId = sub.latest_invoice as string;
    const refused = await expectStripeError(stripe.invoices.pay(invoiceId));
    expect(refused.statusCode).toBe(400);
    const paid = await stripe.invoices.pay(invoiceId, { paid_out_of_band: true });
    expect(paid).toMatchObject({ status: "paid", amount_paid: 50_000, amount_remaining: 0 });
    expect((await expectStripeError(stripe.invoices.voidInvoice(invoiceId))).statusCode).toBe(400);

    const { body: next } = await control<{ id: string; status: string }>(
      "POST",
      `/__fake/subscriptions/${sub.id}/advance`,
    );
    expect(next.status).toBe("open");
    expect((await stripe.invoices.retrieve(next.id)).billing_reason).toBe("subscription_cycle");
    expect((await stripe.invoices.markUncollectible(next.id)).status).toBe("uncollectible");
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe("unpaid");
    expect((await stripe.invoices.voidInvoice(next.id)).status).toBe("void");
  });

  it("control API: past due then paid moves the subscription past_due → active, webhooks delivered before it answers", async () => {
    const { price } = await plan();
    const customer = await stripe.customers.create({ metadata: { tenantId: "t-9" } });
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      collection_method: "send_invoice",
      days_until_due: 30,
    });
    const { body: list } = await control<{ data: { id: string }[] }>("GET", "/__fake/invoices?tenantId=t-9");
    expect(list.data.map((i) => i.id)).toEqual([sub.latest_invoice]);
    await fake.flush();
    received = [];
    const pastDue = await control<{ due_date: number }>("POST", `/__fake/invoices/${sub.latest_invoice}/past_due`);
    expect(pastDue.body.due_date).toBeLessThan(Date.now() / 1000);
    expect(events().map((e) => e.type)).toEqual(["invoice.payment_failed", "customer.subscription.updated"]);
    expect(events()[1]!.data).toMatchObject({
      object: { status: "past_due" },
      previous_attributes: { status: "active" },
    });
    received = [];
    await control("POST", `/__fake/invoices/${sub.latest_invoice}/pay`);
    expect(events().map((e) => e.type)).toEqual(["invoice.paid", "customer.subscription.updated"]);
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe("active");
    expect((await control("POST", `/__fake/invoices/${sub.latest_invoice}/pay`)).status).toBe(400);
  });

  it("records failed deliveries and redelivers the same event id", async () => {
    receiverStatus = 500;
    await stripe.customers.create({});
    const { body } = await control<{ data: { id: string; eventId: string; status: number; attempts: number }[] }>(
      "GET",
      "/__fake/deliveries?wait=1",
    );
    expect(body.data[0]).toMatchObject({ status: 500, attempts: 1 });
    receiverStatus = 200;
    const again = await control<{ status: number; attempts: number }>(
      "POST",
      `/__fake/deliveries/${body.data[0]!.id}/redeliver`,
    );
    expect(again.body).toMatchObject({ status: 200, attempts: 2 });
    const ids = events().map((e) => e.id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it("answers unknown paths, bad keys and malformed bodies with Stripe-shaped errors", async () => {
    const bad = createStripe({ secretKey: "sk_live_nope", apiBase: fake.url });
    const auth = await expectStripeError(bad.customers.create({}));
    expect(auth).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    const res = await fetch(`${fake.url}/v1/charges`, {
      method: "POST",
      headers: { authorization: "Bearer sk_test_x" },
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
    const malformed = await fetch(`${fake.url}/v1/customers`, {
      method: "POST",
      headers: { authorization: "Bearer sk_test_x", "content-type": "application/x-www-form-urlencoded" },
      body: "metadata[a=1",
    });
    expect(malformed.status).toBe(400);
  });
});
