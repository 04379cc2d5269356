import { eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import type { Db } from "#db/client.server";
import { stripeEvents } from "#db/schema/index";
import { applySubscription, customerIdOf, upsertInvoice } from "./state.server";
import { moduleLog, type Logger } from "~/lib/log.server";
import { invoiceSchema, stripeEventSchema, subscriptionSchema } from "./webhook-objects";

/**
 * POST /webhooks/stripe. Raw body → stripe.webhooks.constructEvent (signature and a 5-minute
 * timestamp tolerance) → one transaction that records the event id, finds the city by its Stripe
 * customer (UNIQUE city_billing.stripe_customer_id) and updates its billing state. So:
 * - a bad or missing signature: 400, nothing stored;
 * - an event already processed (Stripe redelivers): 200, nothing changed;
 * - an event for a customer no city has: 200, logged and stored unprocessed (ADR billing: a Stripe
 *   account may hold customers that are not cities; a 400 would make Stripe retry for three days and
 *   then disable the endpoint). Nothing is created for it; if it is delivered again once the
 *   customer is known, it is processed then;
 * - a signed event whose fields we read are unusable (wrong types, no date, NUL): 200, logged at info,
 *   nothing stored or changed (ADR 028), since a 500 would only make Stripe retry it for days;
 * - any failure inside: the transaction rolls back and the answer is 500, so Stripe retries.
 */

export const MAX_STRIPE_BODY_BYTES = 512 * 1024;

export type StripeWebhookDeps = { db: Db; stripe: Stripe; webhookSecret: string; graceDays: number; log?: Logger };
export type StripeWebhookRequest = { method: string; rawBody: Buffer; signature: string | null };
export type StripeWebhookResponse = { status: number; body: Record<string, unknown> };

let defaultLog: Logger | undefined;
function billingLog(): Logger {
  defaultLog ??= moduleLog("billing");
  return defaultLog;
}

type Outcome = "applied" | "ignored" | "stale" | "unknown_customer" | "duplicate" | "invalid";

export async function handleStripeWebhook(
  deps: StripeWebhookDeps,
  req: StripeWebhookRequest,
): Promise<StripeWebhookResponse> {
  const log = deps.log ?? billingLog();
  if (req.method.toUpperCase() !== "POST") return { status: 405, body: { error: "method not allowed" } };
  if (req.rawBody.length > MAX_STRIPE_BODY_BYTES) return { status: 413, body: { error: "payload too large" } };
  if (!req.signature) return { status: 400, body: { error: "missing Stripe-Signature header" } };
  let event: Stripe.Event;
  try {
    event = deps.stripe.webhooks.constructEvent(req.rawBody, req.signature, deps.webhookSecret);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) {
      log.warn({ reason: err.message }, "stripe webhook: signature refused");
      return { status: 400, body: { error: "invalid signature" } };
    }
    // A signed body that is not JSON: Stripe never sends one, so it is a bad request too.
    return { status: 400, body: { error: "invalid payload" } };
  }

  // Signed but not usable (ADR 028): acknowledged so Stripe stops retrying, nothing stored or changed.
  if (!usable(event)) {
    log.info(
      { eventId: String(event.id).slice(0, 100), type: String(event.type).slice(0, 100) },
      "stripe webhook: event fields not usable; acknowledged, not applied",
    );
    return { status: 200, body: { received: true, outcome: "invalid" } };
  }

  const outcome = await deps.db.transaction(async (tx): Promise<Outcome> => {
    await tx
      .insert(stripeEvents)
      .values({ eventId: event.id, type: event.type, stripeCreatedAt: new Date(event.created * 1000) })
      .onConflictDoNothing();
    // The row lock serialises two concurrent deliveries of the same event: the second sees processed.
    const [row] = await tx
      .select({ processed: stripeEvents.processed })
      .from(stripeEvents)
      .where(eq(stripeEvents.eventId, event.id))
      .for("update");
    if (row?.processed) return "duplicate";

    const object = event.data.object as { object?: string; customer?: string | { id: string } | null };
    const relevant = event.type.startsWith("customer.subscription.") || event.type.startsWith("invoice.");
    const customerId = relevant ? customerIdOf(object.customer ?? null) : null;
    let tenantId: string | null = null;
    let result: Outcome = "ignored";
    if (customerId) {
      const [found] = (await tx.execute(
        sql`select billing_tenant_by_customer(${customerId}) as tenant_id`,
      )) as unknown as { tenant_id: string | null }[];
      tenantId = found?.tenant_id ?? null;
      if (!tenantId) {
        // Not ours (a Stripe account may hold other customers): routine, so info, not a warning.
        log.info(
          { eventId: event.id, type: event.type, customerId },
          "stripe webhook: no city has this customer; acknowledged, not applied",
        );
        await tx.update(stripeEvents).set({ outcome: "unknown_customer" }).where(eq(stripeEvents.eventId, event.id));
        return "unknown_customer";
      }
      await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
      if (event.type.startsWith("customer.subscription.")) {
        const { applied } = await applySubscription(tx, tenantId, event.data.object as Stripe.Subscription, {
          eventAt: new Date(event.created * 1000),
          graceDays: deps.graceDays,
          eventId: event.id,
        });
        result = applied ? "applied" : "stale";
      } else {
        await upsertInvoice(tx, tenantId, event.data.object as Stripe.Invoice);
        result = "applied";
      }
    }
    await tx
      .update(stripeEvents)
      .set({ processed: true, processedAt: sql`now()`, tenantId, outcome: result })
      .where(eq(stripeEvents.eventId, event.id));
    return result;
  });
  log.info({ eventId: event.id, type: event.type, outcome }, "stripe webhook");
  return { status: 200, body: { received: true, outcome } };
}

/** The fields the transaction below reads, checked before it runs (webhook-objects.ts). */
function usable(event: Stripe.Event): boolean {
  if (!stripeEventSchema.safeParse(event).success) return false;
  if (event.type.startsWith("customer.subscription.")) return subscriptionSchema.safeParse(event.data.object).success;
  if (event.type.startsWith("invoice.")) return invoiceSchema.safeParse(event.data.object).success;
  return true;
}
