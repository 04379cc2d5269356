import type { Billing } from "./billing";
import { addInterval } from "./billing";
import { StripeFakeError, missing } from "./errors";
import type { EventBus, RequestInfo } from "./events";
import { bool, int, list, metadataUpdate, ParamError, str, type FormObject, type FormValue } from "./form";
import {
  newId,
  nowSeconds,
  type Customer,
  type FakeState,
  type Price,
  type Product,
  type Subscription,
  type SubscriptionItem,
} from "./state";

/** The /v1 paths stripe-node calls for customers, products, prices, subscriptions and invoices. */

export type ApiCtx = {
  params: FormObject;
  path: Record<string, string>;
  req: RequestInfo;
  state: FakeState;
  bus: EventBus;
  billing: Billing;
};
export type ApiRoute = { method: string; path: string; handler: (ctx: ApiCtx) => unknown };

const route = (method: string, path: string, handler: ApiRoute["handler"]): ApiRoute => ({ method, path, handler });

function required(params: FormObject, name: string): string {
  const v = str(params, name);
  if (!v)
    throw new StripeFakeError(400, "invalid_request_error", `Missing required param: ${name}.`, {
      param: name,
      code: "parameter_missing",
    });
  return v;
}

/** A Stripe list page: `limit` (1–100, default 10) and `starting_after`, newest first. */
export function page<T extends { id: string; created: number }>(items: T[], params: FormObject, url: string) {
  const limit = int(params, "limit") ?? 10;
  if (limit < 1 || limit > 100) throw new ParamError("limit", "This value must be between 1 and 100.");
  const sorted = [...items].reverse();
  let start = 0;
  const after = str(params, "starting_after");
  if (after) {
    const i = sorted.findIndex((x) => x.id === after);
    if (i === -1) throw missing("object", after, "starting_after");
    start = i + 1;
  }
  const data = sorted.slice(start, start + limit);
  return { object: "list", data, has_more: start + limit < sorted.length, url };
}

function customer(ctx: ApiCtx): Customer {
  const c = ctx.state.customers.get(ctx.path.id!);
  if (!c) throw missing("customer", ctx.path.id!);
  return c;
}

function applyCustomer(c: Customer, p: FormObject) {
  const email = str(p, "email");
  if (email !== undefined) c.email = email || null;
  const name = str(p, "name");
  if (name !== undefined) c.name = name || null;
  const description = str(p, "description");
  if (description !== undefined) c.description = description || null;
  c.metadata = metadataUpdate(c.metadata, p);
  const locales = p.preferred_locales;
  if (Array.isArray(locales)) c.preferred_locales = locales.map(String);
  const settings = p.invoice_settings;
  if (settings && typeof settings === "object" && !Array.isArray(settings)) {
    const pm = str(settings, "default_payment_method");
    if (pm !== undefined) c.invoice_settings.default_payment_method = pm || null;
  }
}

/** `metadata['key']:'value'` and `email:'x'` clauses joined by AND: what the app searches for. */
function searchCustomers(state: FakeState, query: string): Customer[] {
  const clauses = query
    .split(/\s+AND\s+/i)
    .map((c) => c.trim())
    .filter(Boolean);
  const tests = clauses.map((clause) => {
    const meta = /^metadata\[['"]([^'"]+)['"]\]\s*:\s*['"]([^'"]*)['"]$/.exec(clause);
    if (meta) return (c: Customer) => c.metadata[meta[1]!] === meta[2];
    const field = /^(email|name)\s*:\s*['"]([^'"]*)['"]$/.exec(clause);
    if (field) return (c: Customer) => c[field[1] as "email" | "name"] === field[2];
    throw new StripeFakeError(
      400,
      "invalid_request_error",
      `The fake supports metadata['k']:'v', email:'…' and name:'…' clauses; got: ${clause}`,
      { param: "query" },
    );
  });
  return [...state.customers.values()].filter((c) => tests.every((t) => t(c)));
}

function product(ctx: ApiCtx, id: string): Product {
  const p = ctx.state.products.get(id);
  if (!p) throw missing("product", id);
  return p;
}

function price(ctx: ApiCtx, id: string, param = "id"): Price {
  const p = ctx.state.prices.get(id);
  if (!p) throw missing("price", id, param);
  return p;
}

function subscription(ctx: ApiCtx): Subscription {
  const s = ctx.state.subscriptions.get(ctx.path.id!);
  if (!s) throw missing("subscription", ctx.path.id!);
  return s;
}

function invoice(ctx: ApiCtx) {
  const i = ctx.state.invoices.get(ctx.path.id!);
  if (!i) throw missing("invoice", ctx.path.id!);
  return i;
}

function itemsParam(p: FormObject): FormObject[] {
  return list(p, "items").map((v, i) => {
    if (typeof v !== "object" || Array.isArray(v)) throw new ParamError(`items[${i}]`, "Invalid hash");
    return v as FormObject;
  });
}

export const apiRoutes: ApiRoute[] = [
  // Customers
  route("POST", "/v1/customers", (ctx) => {
    const c: Customer = {
      id: newId("cus"),
      object: "customer",
      created: nowSeconds(),
      livemode: false,
      email: null,
      name: null,
      description: null,
      metadata: {},
      balance: 0,
      currency: null,
      delinquent: false,
      preferred_locales: [],
      invoice_settings: { default_payment_method: null, custom_fields: null, footer: null, rendering_options: null },
    };
    applyCustomer(c, ctx.params);
    ctx.state.customers.set(c.id, c);
    ctx.bus.emit("customer.created", c, undefined, ctx.req);
    return c;
  }),
  route("GET", "/v1/customers", (ctx) => {
    const email = str(ctx.params, "email");
    return page(
      [...ctx.state.customers.values()].filter((c) => !email || c.email === email),
      ctx.params,
      "/v1/customers",
    );
  }),
  route("GET", "/v1/customers/search", (ctx) => ({
    object: "search_result",
    data: searchCustomers(ctx.state, required(ctx.params, "query")).reverse(),
    has_more: false,
    next_page: null,
    url: "/v1/customers/search",
  })),
  route("GET", "/v1/customers/:id", (ctx) => customer(ctx)),
  route("POST", "/v1/customers/:id", (ctx) => {
    const c = customer(ctx);
    const before = structuredClone(c);
    applyCustomer(c, ctx.params);
    ctx.bus.emit("customer.updated", c, diff(before, c), ctx.req);
    return c;
  }),

  // Products
  route("POST", "/v1/products", (ctx) => {
    const now = nowSeconds();
    const p: Product = {
      id: str(ctx.params, "id") || newId("prod"),
      object: "product",
      created: now,
      updated: now,
      livemode: false,
      name: required(ctx.params, "name"),
      description: str(ctx.params, "description") || null,
      active: bool(ctx.params, "active") ?? true,
      metadata: metadataUpdate({}, ctx.params),
      default_price: null,
      type: "service",
    };
    if (ctx.state.products.has(p.id))
      throw new StripeFakeError(400, "invalid_request_error", `Product already exists.`, {
        param: "id",
        code: "resource_already_exists",
      });
    ctx.state.products.set(p.id, p);
    return p;
  }),
  route("GET", "/v1/products", (ctx) => {
    const active = bool(ctx.params, "active");
    return page(
      [...ctx.state.products.values()].filter((p) => active === undefined || p.active === active),
      ctx.params,
      "/v1/products",
    );
  }),
  route("GET", "/v1/products/:id", (ctx) => product(ctx, ctx.path.id!)),

  // Prices
  route("POST", "/v1/prices", (ctx) => {
    const prod = product(ctx, required(ctx.params, "product"));
    const currency = required(ctx.params, "currency").toLowerCase();
    const amount = int(ctx.params, "unit_amount");
    if (amount === undefined || amount < 0)
      throw new StripeFakeError(400, "invalid_request_error", "Missing required param: unit_amount.", {
        param: "unit_amount",
        code: "parameter_missing",
      });
    const rec = ctx.params.recurring as FormObject | undefined;
    const interval = rec ? str(rec, "interval") : undefined;
    if (rec && !["day", "week", "month", "year"].includes(interval ?? ""))
      throw new ParamError(
        "recurring[interval]",
        `Invalid recurring[interval]: must be one of day, week, month, or year`,
      );
    const lookupKey = str(ctx.params, "lookup_key") || null;
    if (lookupKey) {
      const taken = [...ctx.state.prices.values()].find((p) => p.lookup_key === lookupKey);
      if (taken && bool(ctx.params, "transfer_lookup_key") !== true)
        throw new StripeFakeError(
          400,
          "invalid_request_error",
          `A price (\`${taken.id}\`) already uses that lookup key.`,
          { param: "lookup_key" },
        );
      if (taken) taken.lookup_key = null;
    }
    const p: Price = {
      id: newId("price"),
      object: "price",
      created: nowSeconds(),
      livemode: false,
      product: prod.id,
      active: bool(ctx.params, "active") ?? true,
      currency,
      unit_amount: amount,
      unit_amount_decimal: String(amount),
      nickname: str(ctx.params, "nickname") || null,
      lookup_key: lookupKey,
      metadata: metadataUpdate({}, ctx.params),
      type: rec ? "recurring" : "one_time",
      billing_scheme: "per_unit",
      tax_behavior: "unspecified",
      recurring: rec
        ? {
            interval: interval as "month",
            interval_count: int(rec, "interval_count") ?? 1,
            usage_type: "licensed",
            meter: null,
          }
        : null,
    };
    ctx.state.prices.set(p.id, p);
    if (!prod.default_price) prod.default_price = p.id;
    return p;
  }),
  route("GET", "/v1/prices", (ctx) => {
    const productId = str(ctx.params, "product");
    const active = bool(ctx.params, "active");
    const keys = list(ctx.params, "lookup_keys").map(String);
    const items = [...ctx.state.prices.values()].filter(
      (p) =>
        (!productId || p.product === productId) &&
        (active === undefined || p.active === active) &&
        (!keys.length || (p.lookup_key !== null && keys.includes(p.lookup_key))),
    );
    return page(items, ctx.params, "/v1/prices");
  }),
  route("GET", "/v1/prices/:id", (ctx) => price(ctx, ctx.path.id!)),

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

/** previous_attributes: the top-level fields that changed, with their old values. */
function diff(before: object, after: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const a = after as Record<string, unknown>;
  for (const [k, v] of Object.entries(before)) if (JSON.stringify(v) !== JSON.stringify(a[k])) out[k] = v as FormValue;
  return out;
}
