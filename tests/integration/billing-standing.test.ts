import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeFake, type StripeFake } from "../../emulators/stripe/server";
import { setUpCityBilling } from "~/features/billing/onboarding.server";
import { cityBillingView, vendorBillingOverview } from "~/features/billing/overview.server";
import { syncPlans } from "~/features/billing/plans.server";
import { handleStripeWebhook } from "~/features/billing/webhook.server";
import { createStripe } from "~/integrations/stripe/client.server";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * Issue 13.7: the billing state shown to the vendor and the city reflects open and overdue invoices.
 * A fresh send_invoice subscription is "active" with an open invoice: it must not read 支払済み.
 * Real stripe-node against the Stripe fake, its signed webhooks through handleStripeWebhook, PostgreSQL.
 */

const SECRET = "whsec_billing_standing";
const dbs = testDbs();
let fake: StripeFake;
let stripe: Stripe;
let receiver: Server;

const deps = () => ({ db: dbs.appDb, stripe, webhookSecret: SECRET, graceDays: 30, log: pino({ level: "silent" }) });

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const signature = (req.headers["stripe-signature"] as string) ?? null;
      void handleStripeWebhook(deps(), { method: "POST", rawBody: Buffer.concat(chunks), signature }).then(
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
  stripe = createStripe({ secretKey: "sk_test_standing", apiBase: fake.url });
  await syncPlans(dbs.appDb, stripe);
});

afterAll(async () => {
  await fake.close();
  await new Promise((r) => receiver.close(r));
  await dbs.close();
});

describe("billing standing", () => {
  it("shows the open invoice's amount and due date, turns overdue after it, and reads 支払済み only once paid", async () => {
    const city = await makeTenant(dbs.appDb, {});
    const { subscriptionId } = await setUpCityBilling(dbs.appDb, stripe, {
      tenantId: city.id,
      planId: "standard",
      billingEmail: `keiri@${city.slug}.example.jp`,
      collection: "send_invoice",
      daysUntilDue: 30,
    });
    await fake.flush();
    const invoiceId = fake.state.subscriptions.get(subscriptionId)!.latest_invoice!;
    const invoice = fake.state.invoices.get(invoiceId)!;
    const due = new Date(invoice.due_date! * 1000);

    const view = (await cityBillingView(dbs.appDb, city.id))!;
    const standing = view.billing!.standing;
    expect(view.billing!.status).toBe("active");
    expect(standing).toMatchObject({ tone: "pending", openCount: 1, nextDueDate: due.toISOString() });
    expect(standing.outstandingYen).toBe(view.invoices[0]!.amountDueYen);
    expect(standing.outstandingYen).toBeGreaterThan(0);
    expect(standing.label).toMatch(/^契約中（未払い 1件・[\d,]+円・支払期限 \d{4}年\d{1,2}月\d{1,2}日）$/);
    expect(standing.label).not.toContain("支払済み");
    const row = (await vendorBillingOverview(dbs.ownerDb)).find((r) => r.tenantId === city.id)!;
    expect(row.standing.label).toBe(standing.label);

    // A day after the due date, before Stripe says past_due: already overdue on both pages.
    const later = new Date(due.getTime() + 86_400_000);
    expect((await cityBillingView(dbs.appDb, city.id, later))!.billing!.standing).toMatchObject({
      tone: "alert",
      label: expect.stringMatching(/^支払期限超過（未払い 1件・/),
    });
    expect((await vendorBillingOverview(dbs.ownerDb, later)).find((r) => r.tenantId === city.id)!.standing.tone).toBe(
      "alert",
    );

    await fetch(`${fake.url}/__fake/invoices/${invoiceId}/pay`, { method: "POST" });
    await fake.flush();
    const paid = (await cityBillingView(dbs.appDb, city.id, later))!.billing!.standing;
    expect(paid).toMatchObject({ tone: "ok", label: "契約中（支払済み）", openCount: 0, outstandingYen: 0 });
  });
});
