import type { Billing } from "./billing";
import { StripeFakeError, missing } from "./errors";
import type { EventBus } from "./events";
import type { FakeState, Invoice } from "./state";

/**
 * The control API (`/__fake/*`, JSON, no auth): what a test or the demo does that in real life a
 * person or the passing of time does — a city pays its invoice by bank transfer, the due date
 * passes, a month goes by. Actions answer after the resulting webhooks have been delivered, so a
 * caller can assert the app's state right away.
 */

export type ControlCtx = {
  state: FakeState;
  bus: EventBus;
  billing: Billing;
  path: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
};
export type ControlRoute = { method: string; path: string; handler: (ctx: ControlCtx) => unknown };

const route = (method: string, path: string, handler: ControlRoute["handler"]): ControlRoute => ({
  method,
  path,
  handler,
});

function invoice(ctx: ControlCtx): Invoice {
  const i = ctx.state.invoices.get(ctx.path.id!);
  if (!i) throw missing("invoice", ctx.path.id!);
  return i;
}

async function settled<T>(ctx: ControlCtx, value: T) {
  await ctx.bus.flush();
  return value;
}

export const controlRoutes: ControlRoute[] = [
  route("GET", "/__fake/health", () => ({ ok: true })),
  route("POST", "/__fake/reset", (ctx) => {
    ctx.state.reset();
    return { ok: true };
  }),
  /** `{url, secret?}`: where signed events go (url null stops delivery). */
  route("POST", "/__fake/webhook-endpoint", (ctx) => {
    const url = ctx.body.url;
    if (url !== null && (typeof url !== "string" || !/^https?:\/\//.test(url)))
      throw new StripeFakeError(400, "invalid_request_error", "url must be an http(s) URL or null", { param: "url" });
    ctx.state.webhook.url = url;
    if (typeof ctx.body.secret === "string" && ctx.body.secret) ctx.state.webhook.secret = ctx.body.secret;
    return { url: ctx.state.webhook.url };
  }),
  /** Invoices, newest first; `?customer=`, `?subscription=`, `?tenantId=` (the customer's metadata). */
  route("GET", "/__fake/invoices", (ctx) => {
    const customer = ctx.query.get("customer");
    const subscription = ctx.query.get("subscription");
    const tenantId = ctx.query.get("tenantId");
    const data = [...ctx.state.invoices.values()]
      .reverse()
      .filter(
        (i) =>
          (!customer || i.customer === customer) &&
          (!subscription || i.parent?.subscription_details?.subscription === subscription) &&
          (!tenantId || ctx.state.customers.get(i.customer)?.metadata.tenantId === tenantId),
      );
    return { data };
  }),
  route("POST", "/__fake/invoices/:id/pay", (ctx) => settled(ctx, ctx.billing.markPaid(invoice(ctx)))),
  route("POST", "/__fake/invoices/:id/past_due", (ctx) => settled(ctx, ctx.billing.markPastDue(invoice(ctx)))),
  route("POST", "/__fake/invoices/:id/uncollectible", (ctx) =>
    settled(ctx, ctx.billing.markUncollectible(invoice(ctx))),
  ),
  route("POST", "/__fake/subscriptions/:id/advance", (ctx) => {
    const sub = ctx.state.subscriptions.get(ctx.path.id!);
    if (!sub) throw missing("subscription", ctx.path.id!);
    return settled(ctx, ctx.billing.advance(sub));
  }),
  route("GET", "/__fake/events", (ctx) => {
    const type = ctx.query.get("type");
    return { data: ctx.state.events.filter((e) => !type || e.type === type) };
  }),
  route("GET", "/__fake/deliveries", async (ctx) => {
    if (ctx.query.get("wait") === "1") await ctx.bus.flush();
    return { data: ctx.state.deliveries };
  }),
  route("POST", "/__fake/deliveries/:id/redeliver", async (ctx) => {
    const result = ctx.bus.redeliver(ctx.path.id!);
    if (!result) throw missing("delivery", ctx.path.id!);
    return result;
  }),
  route("POST", "/__fake/flush", async (ctx) => {
    await ctx.bus.flush();
    return { ok: true };
  }),
  /** The hosted invoice page a city would open from the e-mail: a plain summary. */
  route("GET", "/__fake/hosted/:id", (ctx) => {
    const i = invoice(ctx);
    return { number: i.number, status: i.status, amount_due: i.amount_due, currency: i.currency, due_date: i.due_date };
  }),
];
