import type { Billing } from "./billing";
import { StripeFakeError, missing } from "./errors";
import type { EventBus, RequestInfo } from "./events";
import { int, list, metadataUpdate, ParamError, str, type FormObject, type FormValue } from "./form";
import { type Customer, type FakeState, type Price, type Product, type Subscription } from "./state";

/**
 * What the /v1 routes share (api.ts lists them): the handler context, list pages, and the lookups
 * that answer Stripe's own 404 for an unknown id.
 */

export type ApiCtx = {
  params: FormObject;
  path: Record<string, string>;
  req: RequestInfo;
  state: FakeState;
  bus: EventBus;
  billing: Billing;
};
export type ApiRoute = { method: string; path: string; handler: (ctx: ApiCtx) => unknown };

export const route = (method: string, path: string, handler: ApiRoute["handler"]): ApiRoute => ({
  method,
  path,
  handler,
});

export function required(params: FormObject, name: string): string {
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

export function customer(ctx: ApiCtx): Customer {
  const c = ctx.state.customers.get(ctx.path.id!);
  if (!c) throw missing("customer", ctx.path.id!);
  return c;
}

export function applyCustomer(c: Customer, p: FormObject) {
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
export function searchCustomers(state: FakeState, query: string): Customer[] {
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

export function product(ctx: ApiCtx, id: string): Product {
  const p = ctx.state.products.get(id);
  if (!p) throw missing("product", id);
  return p;
}

export function price(ctx: ApiCtx, id: string, param = "id"): Price {
  const p = ctx.state.prices.get(id);
  if (!p) throw missing("price", id, param);
  return p;
}

export function subscription(ctx: ApiCtx): Subscription {
  const s = ctx.state.subscriptions.get(ctx.path.id!);
  if (!s) throw missing("subscription", ctx.path.id!);
  return s;
}

export function invoice(ctx: ApiCtx) {
  const i = ctx.state.invoices.get(ctx.path.id!);
  if (!i) throw missing("invoice", ctx.path.id!);
  return i;
}

export function itemsParam(p: FormObject): FormObject[] {
  return list(p, "items").map((v, i) => {
    if (typeof v !== "object" || Array.isArray(v)) throw new ParamError(`items[${i}]`, "Invalid hash");
    return v as FormObject;
  });
}

/** previous_attributes: the top-level fields that changed, with their old values. */
export function diff(before: object, after: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const a = after as Record<string, unknown>;
  for (const [k, v] of Object.entries(before)) if (JSON.stringify(v) !== JSON.stringify(a[k])) out[k] = v as FormValue;
  return out;
}
