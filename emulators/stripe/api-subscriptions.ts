import { addInterval } from "./billing";
import { StripeFakeError, missing } from "./errors";
import { bool, int, metadataUpdate, ParamError, str } from "./form";
import { newId, nowSeconds, type Subscription, type SubscriptionItem } from "./state";
import { diff, invoice, itemsParam, page, price, required, route, subscription, type ApiRoute } from "./api-core";

/** Subscriptions and their invoices: the /v1 routes of a city's monthly billing. */
export const subscriptionRoutes: ApiRoute[] = [
  // Subscriptions
  route("POST", "/v1/subscriptions", (ctx) => {
    const p = ctx.params;
    const cus = ctx.state.customers.get(required(p, "customer"));
    if (!cus) throw missing("customer", str(p, "customer")!, "customer");
    const items = itemsParam(p);
    if (!items.length)
      throw new StripeFakeError(400, "invalid_request_error", "Missing required param: items.", {
        param: "items",
        code: "parameter_missing",
      });
    const method = (str(p, "collection_method") ?? "charge_automatically") as Subscription["collection_method"];
    if (method !== "send_invoice" && method !== "charge_automatically")
      throw new ParamError("collection_method", `Invalid collection_method: ${method}`);
    const daysUntilDue = int(p, "days_until_due");
    if (method === "send_invoice" && daysUntilDue === undefined)
      throw new StripeFakeError(
        400,
        "invalid_request_error",
        "Missing required param: days_until_due (required when collection_method is send_invoice).",
        { param: "days_until_due", code: "parameter_missing" },
      );
    if (method === "charge_automatically" && daysUntilDue !== undefined)
      throw new ParamError("days_until_due", "days_until_due can only be set when collection_method is send_invoice.");
    const now = nowSeconds();
    const id = newId("sub", 24);
    const prices = items.map((it, i) => price(ctx, str(it, "price") ?? "", `items[${i}][price]`));
    const currency = prices[0]!.currency;
    if (prices.some((pr) => pr.currency !== currency))
      throw new ParamError("items", "All prices on a subscription must have the same currency.");
    const subItems: SubscriptionItem[] = prices.map((pr, i) => ({
      id: newId("si"),
      object: "subscription_item",
      created: now,
      price: structuredClone(pr),
      quantity: int(items[i]!, "quantity") ?? 1,
      subscription: id,
      current_period_start: now,
      current_period_end: addInterval(now, pr),
      metadata: {},
      discounts: [],
      tax_rates: [],
    }));
    const sub: Subscription = {
      id,
      object: "subscription",
      created: now,
      livemode: false,
      customer: cus.id,
      status: "active",
      collection_method: method,
      days_until_due: daysUntilDue ?? null,
      currency,
      items: { object: "list", data: subItems, has_more: false, url: `/v1/subscription_items?subscription=${id}` },
      latest_invoice: null,
      metadata: metadataUpdate({}, p),
      start_date: now,
      billing_cycle_anchor: now,
      cancel_at: null,
      cancel_at_period_end: false,
      canceled_at: null,
      ended_at: null,
      default_payment_method: str(p, "default_payment_method") || null,
      description: str(p, "description") || null,
    };
    ctx.state.subscriptions.set(id, sub);
    ctx.bus.emit("customer.subscription.created", sub, undefined, ctx.req);
    const inv = ctx.billing.createInvoice(sub, "subscription_create", now, subItems[0]!.current_period_end, ctx.req);
    ctx.billing.finalize(inv, ctx.req);
    return sub;
  }),
  route("GET", "/v1/subscriptions", (ctx) => {
    const cus = str(ctx.params, "customer");
    const status = str(ctx.params, "status");
    const items = [...ctx.state.subscriptions.values()].filter(
      (s) =>
        (!cus || s.customer === cus) &&
        (status === "all" ? true : status ? s.status === status : s.status !== "canceled"),
    );
    return page(items, ctx.params, "/v1/subscriptions");
  }),
  route("GET", "/v1/subscriptions/:id", (ctx) => subscription(ctx)),
  route("POST", "/v1/subscriptions/:id", (ctx) => {
    const sub = subscription(ctx);
    if (sub.status === "canceled")
      throw new StripeFakeError(
        400,
        "invalid_request_error",
        "A canceled subscription can only update its cancellation_details and metadata.",
      );
    const before = structuredClone(sub);
    for (const [i, it] of itemsParam(ctx.params).entries()) {
      const itemId = str(it, "id");
      const pr = str(it, "price") ? price(ctx, str(it, "price")!, `items[${i}][price]`) : undefined;
      const existing = itemId ? sub.items.data.find((x) => x.id === itemId) : undefined;
      if (itemId && !existing) throw missing("subscription_item", itemId, `items[${i}][id]`);
      if (existing && bool(it, "deleted")) sub.items.data = sub.items.data.filter((x) => x !== existing);
      else if (existing) {
        if (pr) existing.price = structuredClone(pr);
        existing.quantity = int(it, "quantity") ?? existing.quantity;
      } else if (pr) {
        const first = sub.items.data[0];
        sub.items.data.push({
          id: newId("si"),
          object: "subscription_item",
          created: nowSeconds(),
          price: structuredClone(pr),
          quantity: int(it, "quantity") ?? 1,
          subscription: sub.id,
          current_period_start: first?.current_period_start ?? nowSeconds(),
          current_period_end: first?.current_period_end ?? addInterval(nowSeconds(), pr),
          metadata: {},
          discounts: [],
          tax_rates: [],
        });
      }
    }
    const days = int(ctx.params, "days_until_due");
    if (days !== undefined) sub.days_until_due = days;
    const method = str(ctx.params, "collection_method");
    if (method === "send_invoice" || method === "charge_automatically") sub.collection_method = method;
    const cancelAtEnd = bool(ctx.params, "cancel_at_period_end");
    if (cancelAtEnd !== undefined) {
      sub.cancel_at_period_end = cancelAtEnd;
      sub.cancel_at = cancelAtEnd ? (sub.items.data[0]?.current_period_end ?? null) : null;
    }
    sub.metadata = metadataUpdate(sub.metadata, ctx.params);
    ctx.bus.emit("customer.subscription.updated", sub, diff(before, sub), ctx.req);
    return sub;
  }),
  route("DELETE", "/v1/subscriptions/:id", (ctx) => {
    const sub = subscription(ctx);
    if (sub.status === "canceled")
      throw new StripeFakeError(
        400,
        "invalid_request_error",
        `No such subscription: '${sub.id}' is already canceled.`,
        { code: "resource_missing" },
      );
    const now = nowSeconds();
    sub.status = "canceled";
    sub.canceled_at = now;
    sub.ended_at = now;
    ctx.bus.emit("customer.subscription.deleted", sub, undefined, ctx.req);
    return sub;
  }),

  // Invoices
  route("GET", "/v1/invoices", (ctx) => {
    const cus = str(ctx.params, "customer");
    const sub = str(ctx.params, "subscription");
    const status = str(ctx.params, "status");
    const items = [...ctx.state.invoices.values()].filter(
      (i) =>
        (!cus || i.customer === cus) &&
        (!sub || i.parent?.subscription_details?.subscription === sub) &&
        (!status || i.status === status),
    );
    return page(items, ctx.params, "/v1/invoices");
  }),
  route("GET", "/v1/invoices/:id", (ctx) => invoice(ctx)),
  route("POST", "/v1/invoices/:id/finalize", (ctx) => ctx.billing.finalize(invoice(ctx), ctx.req)),
  route("POST", "/v1/invoices/:id/pay", (ctx) => {
    const inv = invoice(ctx);
    const outOfBand = bool(ctx.params, "paid_out_of_band") === true;
    const cus = ctx.state.customers.get(inv.customer)!;
    if (!outOfBand && !cus.invoice_settings.default_payment_method && !str(ctx.params, "payment_method")) {
      throw new StripeFakeError(
        400,
        "invalid_request_error",
        "This customer has no attached payment source or default payment method. Pass paid_out_of_band=true for a bank transfer.",
      );
    }
    return ctx.billing.markPaid(inv, ctx.req);
  }),
  route("POST", "/v1/invoices/:id/void", (ctx) => ctx.billing.void(invoice(ctx), ctx.req)),
  route("POST", "/v1/invoices/:id/mark_uncollectible", (ctx) => ctx.billing.markUncollectible(invoice(ctx), ctx.req)),
];
