import { StripeFakeError } from "./errors";
import { bool, int, list, metadataUpdate, ParamError, str, type FormObject } from "./form";
import { newId, nowSeconds, type Customer, type Price, type Product } from "./state";
import {
  applyCustomer,
  customer,
  diff,
  page,
  price,
  product,
  required,
  route,
  searchCustomers,
  type ApiRoute,
} from "./api-core";

/** Customers, products and prices: the /v1 routes stripe-node calls to set up a city's billing. */
export const catalogueRoutes: ApiRoute[] = [
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
];
