import type { EventBus, RequestInfo } from "./events";
import { StripeFakeError } from "./errors";
import {
  newId,
  nowSeconds,
  type FakeState,
  type Invoice,
  type Price,
  type Subscription,
  type SubscriptionStatus,
} from "./state";

/**
 * The subscription and invoice lifecycle, shared by the API routes and the control API. Simplified
 * from Stripe's but with its shapes and events:
 * - creating a subscription bills its first period at once: an invoice finalized right away (open);
 *   `send_invoice` gives it `due_date = now + days_until_due` and the subscription is active;
 *   `charge_automatically` pays it when the customer has a default payment method, otherwise the
 *   subscription is `incomplete` and `invoice.payment_failed` is sent;
 * - paying the latest invoice of a past_due / unpaid / incomplete subscription makes it active;
 * - the control API moves an invoice past due (subscription past_due) or uncollectible (unpaid), and
 *   advances a subscription to its next period (a new invoice).
 */

const DAY = 86_400;

export function addInterval(at: number, price: Price): number {
  const r = price.recurring ?? { interval: "month" as const, interval_count: 1 };
  const d = new Date(at * 1000);
  if (r.interval === "day") return at + DAY * r.interval_count;
  if (r.interval === "week") return at + 7 * DAY * r.interval_count;
  if (r.interval === "year") d.setUTCFullYear(d.getUTCFullYear() + r.interval_count);
  else d.setUTCMonth(d.getUTCMonth() + r.interval_count);
  return Math.floor(d.getTime() / 1000);
}

export class Billing {
  constructor(
    private readonly state: FakeState,
    private readonly bus: EventBus,
    private readonly baseUrl: () => string,
  ) {}

  createInvoice(
    sub: Subscription,
    reason: Invoice["billing_reason"],
    start: number,
    end: number,
    req?: RequestInfo,
  ): Invoice {
    const customer = this.state.customers.get(sub.customer)!;
    const now = nowSeconds();
    const id = newId("in", 24);
    const lines = sub.items.data.map((item) => ({
      id: newId("il", 24),
      object: "line_item" as const,
      amount: item.price.unit_amount * item.quantity,
      currency: item.price.currency,
      description: `${item.quantity} × ${this.state.products.get(item.price.product)?.name ?? item.price.product}`,
      quantity: item.quantity,
      period: { start, end },
      metadata: {},
      pricing: {
        type: "price_details" as const,
        price_details: { price: item.price.id, product: item.price.product },
        unit_amount_decimal: String(item.price.unit_amount),
      },
    }));
    const total = lines.reduce((s, l) => s + l.amount, 0);
    const invoice: Invoice = {
      id,
      object: "invoice",
      created: now,
      livemode: false,
      customer: sub.customer,
      customer_email: customer.email,
      customer_name: customer.name,
      status: "draft",
      collection_method: sub.collection_method,
      currency: sub.currency,
      amount_due: total,
      amount_paid: 0,
      amount_remaining: total,
      subtotal: total,
      total,
      due_date: null,
      period_start: start,
      period_end: end,
      number: null,
      attempted: false,
      attempt_count: 0,
      auto_advance: true,
      billing_reason: reason,
      hosted_invoice_url: null,
      invoice_pdf: null,
      metadata: {},
      description: null,
      parent: {
        type: "subscription_details",
        quote_details: null,
        subscription_details: { subscription: sub.id, metadata: { ...sub.metadata } },
      },
      lines: { object: "list", data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
      status_transitions: { finalized_at: null, paid_at: null, voided_at: null, marked_uncollectible_at: null },
    };
    this.state.invoices.set(id, invoice);
    sub.latest_invoice = id;
    this.bus.emit("invoice.created", invoice, undefined, req);
    return invoice;
  }

  finalize(invoice: Invoice, req?: RequestInfo): Invoice {
    if (invoice.status !== "draft")
      throw new StripeFakeError(
        400,
        "invalid_request_error",
        `This invoice is already finalized, you can't re-finalize a non-draft invoice.`,
        { code: "invoice_not_editable" },
      );
    const now = nowSeconds();
    const sub = this.subscriptionOf(invoice);
    invoice.status = "open";
    invoice.number = `MDG-${String(++this.state.invoiceSeq).padStart(4, "0")}`;
    invoice.status_transitions.finalized_at = now;
    invoice.hosted_invoice_url = `${this.baseUrl()}/__fake/hosted/${invoice.id}`;
    invoice.invoice_pdf = `${this.baseUrl()}/__fake/hosted/${invoice.id}.pdf`;
    if (invoice.collection_method === "send_invoice") invoice.due_date = now + (sub?.days_until_due ?? 30) * DAY;
    this.bus.emit("invoice.finalized", invoice, undefined, req);
    if (invoice.collection_method === "charge_automatically") this.attemptCharge(invoice, req);
    return invoice;
  }

  /** Card on file: paid; none: the attempt fails (invoice stays open). */
  private attemptCharge(invoice: Invoice, req?: RequestInfo) {
    const customer = this.state.customers.get(invoice.customer)!;
    invoice.attempted = true;
    invoice.attempt_count++;
    if (customer.invoice_settings.default_payment_method) {
      this.markPaid(invoice, req);
    } else {
      this.bus.emit("invoice.payment_failed", invoice, undefined, req);
      const sub = this.subscriptionOf(invoice);
      if (sub && invoice.billing_reason === "subscription_create") this.setStatus(sub, "incomplete", req);
      else if (sub && sub.status === "active") this.setStatus(sub, "past_due", req);
    }
  }

  markPaid(invoice: Invoice, req?: RequestInfo): Invoice {
    if (invoice.status === "paid")
      throw new StripeFakeError(400, "invalid_request_error", "Invoice is already paid.", {
        code: "invoice_already_paid",
      });
    if (invoice.status !== "open" && invoice.status !== "uncollectible") {
      throw new StripeFakeError(
        400,
        "invalid_request_error",
        `You can only pay an invoice that is open or uncollectible; this one is ${invoice.status}.`,
        { code: "invoice_not_open" },
      );
    }
    invoice.status = "paid";
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    invoice.status_transitions.paid_at = nowSeconds();
    this.bus.emit("invoice.paid", invoice, undefined, req);
    const sub = this.subscriptionOf(invoice);
    if (sub && sub.latest_invoice === invoice.id && ["past_due", "unpaid", "incomplete"].includes(sub.status))
      this.setStatus(sub, "active", req);
    return invoice;
  }

  /** Control API: the due date has passed unpaid (send_invoice) or a retry failed (card). */
  markPastDue(invoice: Invoice): Invoice {
    if (invoice.status !== "open")
      throw new StripeFakeError(
        400,
        "invalid_request_error",
        `Only an open invoice can become past due; this one is ${invoice.status}.`,
      );
    const now = nowSeconds();
    if (invoice.due_date === null || invoice.due_date > now) invoice.due_date = now - DAY;
    invoice.attempt_count++;
    this.bus.emit("invoice.payment_failed", invoice);
    const sub = this.subscriptionOf(invoice);
    if (sub && (sub.status === "active" || sub.status === "incomplete")) this.setStatus(sub, "past_due");
    return invoice;
  }

  markUncollectible(invoice: Invoice, req?: RequestInfo): Invoice {
    if (invoice.status !== "open")
      throw new StripeFakeError(
        400,
        "invalid_request_error",
        `You can only mark an open invoice as uncollectible; this one is ${invoice.status}.`,
        { code: "invoice_not_open" },
      );
    invoice.status = "uncollectible";
    invoice.status_transitions.marked_uncollectible_at = nowSeconds();
    this.bus.emit("invoice.marked_uncollectible", invoice, undefined, req);
    const sub = this.subscriptionOf(invoice);
    if (sub && sub.latest_invoice === invoice.id && sub.status !== "canceled") this.setStatus(sub, "unpaid", req);
    return invoice;
  }

  void(invoice: Invoice, req?: RequestInfo): Invoice {
    if (invoice.status !== "open" && invoice.status !== "uncollectible")
      throw new StripeFakeError(
        400,
        "invalid_request_error",
        `You can only void an open or uncollectible invoice; this one is ${invoice.status}.`,
        { code: "invoice_not_open" },
      );
    invoice.status = "void";
    invoice.amount_remaining = 0;
    invoice.status_transitions.voided_at = nowSeconds();
    this.bus.emit("invoice.voided", invoice, undefined, req);
    return invoice;
  }

  /** Control API: the period ends, the next begins and is invoiced. */
  advance(sub: Subscription): Invoice {
    if (sub.status === "canceled")
      throw new StripeFakeError(400, "invalid_request_error", "This subscription is canceled.");
    const item = sub.items.data[0]!;
    const previous = {
      items: {
        data: sub.items.data.map((i) => ({
          id: i.id,
          current_period_start: i.current_period_start,
          current_period_end: i.current_period_end,
        })),
      },
    };
    for (const i of sub.items.data) {
      i.current_period_start = i.current_period_end;
      i.current_period_end = addInterval(i.current_period_start, i.price);
    }
    this.bus.emit("customer.subscription.updated", sub, previous);
    const invoice = this.createInvoice(sub, "subscription_cycle", item.current_period_start, item.current_period_end);
    return this.finalize(invoice);
  }

  setStatus(sub: Subscription, status: SubscriptionStatus, req?: RequestInfo) {
    if (sub.status === status) return;
    const previous = { status: sub.status };
    sub.status = status;
    this.bus.emit("customer.subscription.updated", sub, previous, req);
  }

  subscriptionOf(invoice: Invoice): Subscription | undefined {
    const id = invoice.parent?.subscription_details?.subscription;
    return id ? this.state.subscriptions.get(id) : undefined;
  }
}
