import { randomBytes } from "node:crypto";

/**
 * The fake's in-memory account: Stripe-shaped objects, stored as Stripe returns them (snake_case,
 * unix-second timestamps, ids with Stripe's prefixes), plus idempotency records, events and webhook
 * deliveries. Everything dies with the server.
 */

export const API_VERSION = "2026-10-28.endive";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** `cus_` + 14 base62 characters, like Stripe's test-mode ids. */
export function newId(prefix: string, length = 14): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i]! % ALPHABET.length];
  return `${prefix}_${out}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export type Metadata = Record<string, string>;

export type Customer = {
  id: string;
  object: "customer";
  created: number;
  livemode: false;
  email: string | null;
  name: string | null;
  description: string | null;
  metadata: Metadata;
  balance: number;
  currency: string | null;
  delinquent: boolean;
  preferred_locales: string[];
  invoice_settings: {
    default_payment_method: string | null;
    custom_fields: null;
    footer: null;
    rendering_options: null;
  };
};

export type Product = {
  id: string;
  object: "product";
  created: number;
  updated: number;
  livemode: false;
  name: string;
  description: string | null;
  active: boolean;
  metadata: Metadata;
  default_price: string | null;
  type: "service";
};

export type Price = {
  id: string;
  object: "price";
  created: number;
  livemode: false;
  product: string;
  active: boolean;
  currency: string;
  unit_amount: number;
  unit_amount_decimal: string;
  nickname: string | null;
  lookup_key: string | null;
  metadata: Metadata;
  type: "recurring" | "one_time";
  billing_scheme: "per_unit";
  tax_behavior: "unspecified";
  recurring: {
    interval: "day" | "week" | "month" | "year";
    interval_count: number;
    usage_type: "licensed";
    meter: null;
  } | null;
};

export type SubscriptionItem = {
  id: string;
  object: "subscription_item";
  created: number;
  price: Price;
  quantity: number;
  subscription: string;
  current_period_start: number;
  current_period_end: number;
  metadata: Metadata;
  discounts: string[];
  tax_rates: [];
};

export type SubscriptionStatus =
  "incomplete" | "incomplete_expired" | "trialing" | "active" | "past_due" | "canceled" | "unpaid" | "paused";

export type Subscription = {
  id: string;
  object: "subscription";
  created: number;
  livemode: false;
  customer: string;
  status: SubscriptionStatus;
  collection_method: "send_invoice" | "charge_automatically";
  days_until_due: number | null;
  currency: string;
  items: { object: "list"; data: SubscriptionItem[]; has_more: false; url: string };
  latest_invoice: string | null;
  metadata: Metadata;
  start_date: number;
  billing_cycle_anchor: number;
  cancel_at: number | null;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  ended_at: number | null;
  default_payment_method: string | null;
  description: string | null;
};

export type InvoiceStatus = "draft" | "open" | "paid" | "void" | "uncollectible";

export type Invoice = {
  id: string;
  object: "invoice";
  created: number;
  livemode: false;
  customer: string;
  customer_email: string | null;
  customer_name: string | null;
  status: InvoiceStatus;
  collection_method: "send_invoice" | "charge_automatically";
  currency: string;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  subtotal: number;
  total: number;
  due_date: number | null;
  period_start: number;
  period_end: number;
  number: string | null;
  attempted: boolean;
  attempt_count: number;
  auto_advance: boolean;
  billing_reason: "subscription_create" | "subscription_cycle" | "subscription_update" | "manual";
  hosted_invoice_url: string | null;
  invoice_pdf: string | null;
  metadata: Metadata;
  description: string | null;
  parent: {
    type: "subscription_details";
    quote_details: null;
    subscription_details: { subscription: string; metadata: Metadata };
  } | null;
  lines: { object: "list"; data: InvoiceLine[]; has_more: false; url: string };
  status_transitions: {
    finalized_at: number | null;
    paid_at: number | null;
    voided_at: number | null;
    marked_uncollectible_at: number | null;
  };
};

export type InvoiceLine = {
  id: string;
  object: "line_item";
  amount: number;
  currency: string;
  description: string;
  quantity: number;
  period: { start: number; end: number };
  metadata: Metadata;
  pricing: { type: "price_details"; price_details: { price: string; product: string }; unit_amount_decimal: string };
};

export type StripeEvent = {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  livemode: false;
  pending_webhooks: number;
  type: string;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  request: { id: string | null; idempotency_key: string | null };
};

export type Delivery = {
  id: string;
  eventId: string;
  type: string;
  url: string;
  attempts: number;
  status: number | null;
  error: string | null;
  deliveredAt: string | null;
  signature: string | null;
};

export type IdempotencyRecord = { fingerprint: string; status: number; body: string; at: number };

export class FakeState {
  customers = new Map<string, Customer>();
  products = new Map<string, Product>();
  prices = new Map<string, Price>();
  subscriptions = new Map<string, Subscription>();
  invoices = new Map<string, Invoice>();
  events: StripeEvent[] = [];
  deliveries: Delivery[] = [];
  idempotency = new Map<string, IdempotencyRecord>();
  invoiceSeq = 0;
  /** Where events are POSTed, and the endpoint secret (`whsec_…`) they are signed with. */
  webhook: { url: string | null; secret: string };

  constructor(webhook: { url: string | null; secret: string }) {
    this.webhook = webhook;
  }

  reset() {
    for (const m of [this.customers, this.products, this.prices, this.subscriptions, this.invoices, this.idempotency])
      m.clear();
    this.events = [];
    this.deliveries = [];
    this.invoiceSeq = 0;
  }
}
