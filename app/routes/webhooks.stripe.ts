import type { Route } from "./+types/webhooks.stripe";
import { getDb } from "#db/client.server";
import { handleStripeWebhook, MAX_STRIPE_BODY_BYTES } from "~/features/billing/webhook.server";
import { stripeFromEnv } from "~/integrations/stripe/client.server";
import { env } from "~/lib/env.server";

/**
 * Stripe's webhook (resource route). The raw bytes are what Stripe signed, so the body is read as
 * bytes and never parsed before constructEvent. No session and no Origin check (root middleware
 * exempts /webhooks/): the signature is the authentication.
 */
export async function action({ request }: Route.ActionArgs) {
  const { stripe, config } = stripeFromEnv();
  const raw = Buffer.from(await request.arrayBuffer());
  const result = await handleStripeWebhook(
    { db: getDb(), stripe, webhookSecret: config.webhookSecret, graceDays: env().BILLING_GRACE_DAYS },
    {
      method: request.method,
      rawBody: raw.length > MAX_STRIPE_BODY_BYTES ? raw.subarray(0, MAX_STRIPE_BODY_BYTES + 1) : raw,
      signature: request.headers.get("stripe-signature"),
    },
  );
  return Response.json(result.body, { status: result.status, headers: { "Cache-Control": "no-store" } });
}

export function loader() {
  return Response.json({ error: "method not allowed" }, { status: 405, headers: { Allow: "POST" } });
}
