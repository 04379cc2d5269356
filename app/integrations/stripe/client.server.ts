import Stripe from "stripe";
import { env } from "~/lib/env.server";

/**
 * The one configured Stripe client. The app reaches Stripe only through STRIPE_API_BASE, so dev,
 * tests and the demo point it at the local fake (emulators/stripe/) and production at
 * https://api.stripe.com. stripe-node takes the base as `host` / `port` / `protocol` options.
 */

export type StripeConfig = { secretKey: string; apiBase: string; webhookSecret: string };

export function stripeOptions(apiBase: string): Pick<Stripe.StripeConfig, "host" | "port" | "protocol"> {
  const url = new URL(apiBase);
  const protocol = url.protocol === "http:" ? "http" : "https";
  if (url.pathname !== "/" && url.pathname !== "")
    throw new Error(`STRIPE_API_BASE must be an origin without a path (stripe-node adds /v1/): ${apiBase}`);
  return { host: url.hostname, port: url.port || (protocol === "http" ? 80 : 443), protocol };
}

export function createStripe(config: Pick<StripeConfig, "secretKey" | "apiBase">): Stripe {
  return new Stripe(config.secretKey, {
    ...stripeOptions(config.apiBase),
    // Stripe's recommended retries (POSTs get an automatic idempotency key); a short timeout so a
    // stuck call fails the vendor's action instead of hanging it.
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: "madoguchi" },
  });
}

let cached: { stripe: Stripe; config: StripeConfig } | undefined;

/** The process's client and webhook secret, from STRIPE_SECRET_KEY, STRIPE_API_BASE, STRIPE_WEBHOOK_SECRET. */
export function stripeFromEnv(): { stripe: Stripe; config: StripeConfig } {
  if (cached) return cached;
  const e = env();
  const config = { secretKey: e.STRIPE_SECRET_KEY, apiBase: e.STRIPE_API_BASE, webhookSecret: e.STRIPE_WEBHOOK_SECRET };
  cached = { stripe: createStripe(config), config };
  return cached;
}
