import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import pino from "pino";
import type Stripe from "stripe";
import { afterAll, beforeAll } from "vitest";
import { vendorAuditLog } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { startStripeFake, type StripeFake } from "../../emulators/stripe/server";
import { setUpCityBilling } from "~/features/billing/onboarding.server";
import { getCityBilling } from "~/features/billing/state.server";
import { handleStripeWebhook } from "~/features/billing/webhook.server";
import { createStripe } from "~/integrations/stripe/client.server";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * Billing against the Stripe fake, end to end (tests/integration/billing*.test.ts): stripe-node
 * talking to the fake, the fake's signed webhooks received by handleStripeWebhook (the
 * /webhooks/stripe use-case) on a real HTTP server, and the billing state as stored in PostgreSQL.
 * Call once per test file: it starts and stops its own fake and receiver.
 */
export const SECRET = "whsec_billing_integration";

export function billingWorld() {
  const dbs = testDbs();
  const silent = pino({ level: "silent" });
  let receiver: Server;
  const w = {
    dbs,
    fake: undefined as unknown as StripeFake,
    stripe: undefined as unknown as Stripe,
    deps: () => ({ db: dbs.appDb, stripe: w.stripe, webhookSecret: SECRET, graceDays: 30, log: silent }),
    post: (payload: string, signature: string | null) =>
      handleStripeWebhook(w.deps(), { method: "POST", rawBody: Buffer.from(payload), signature }),
    signed: (payload: string) => w.stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }),
    async control<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${w.fake.url}${path}`, {
        method,
        headers: body ? { "content-type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    billingOf: (tenantId: string) => withTenant(dbs.appDb, tenantId, (tx) => getCityBilling(tx, tenantId)),
    auditOf: (tenantId: string, action: string) =>
      dbs.ownerDb
        .select()
        .from(vendorAuditLog)
        .where(and(eq(vendorAuditLog.tenantId, tenantId), eq(vendorAuditLog.action, action))),
    async subscribedCity(overrides: Parameters<typeof makeTenant>[1] = {}) {
      const city = await makeTenant(dbs.appDb, overrides);
      const result = await setUpCityBilling(dbs.appDb, w.stripe, {
        tenantId: city.id,
        planId: "standard",
        billingEmail: `keiri@${city.slug}.example.jp`,
        collection: "send_invoice",
        daysUntilDue: 30,
      });
      await w.fake.flush();
      return { city, ...result };
    },
  };

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        void w.post(Buffer.concat(chunks).toString("utf8"), (req.headers["stripe-signature"] as string) ?? null).then(
          (r) => res.writeHead(r.status, { "content-type": "application/json" }).end(JSON.stringify(r.body)),
          (err: unknown) => res.writeHead(500).end(String(err)),
        );
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    w.fake = await startStripeFake({
      webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`,
      webhookSecret: SECRET,
    });
    w.stripe = createStripe({ secretKey: "sk_test_integration", apiBase: w.fake.url });
  });

  afterAll(async () => {
    await w.fake.close();
    await new Promise((r) => receiver.close(r));
    await dbs.close();
  });
  return w;
}
