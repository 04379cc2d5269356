import { startStripeFake } from "./server";

/**
 * CLI: `npx tsx emulators/stripe/main.ts`. STRIPE_FAKE_PORT (default 3200, where the app's dev
 * default STRIPE_API_BASE points), STRIPE_FAKE_WEBHOOK_URL (e.g. http://127.0.0.1:3000/webhooks/stripe),
 * STRIPE_WEBHOOK_SECRET (the endpoint secret the app verifies with).
 */
const port = Number(process.env.STRIPE_FAKE_PORT ?? 3200);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`STRIPE_FAKE_PORT must be a port number, got "${process.env.STRIPE_FAKE_PORT}"`);
  process.exit(1);
}
const fake = await startStripeFake({
  port,
  webhookUrl: process.env.STRIPE_FAKE_WEBHOOK_URL || null,
  webhookSecret: process.env.STRIPE_WEBHOOK_SECRET || undefined,
});
console.log(`Stripe fake on ${fake.url}`);
const shutdown = () => void fake.close().then(() => process.exit(0));
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
