import { and, desc, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { DbOrTx, Tx } from "#db/client.server";
import { cityBilling, cityInvoices, type BillingStatus, type CityBilling } from "#db/schema/index";
import { recordVendorAudit } from "~/features/audit/audit.server";

/**
 * Stripe objects → a city's billing state. Shared by the webhook (the usual path) and
 * setUpCityBilling (which stores what Stripe answered, so the consoles are right even before the
 * first webhook arrives). Callers hold a tenant-bound transaction.
 */

const DAY_MS = 86_400_000;

export function billingStatusOf(status: Stripe.Subscription.Status): BillingStatus {
  switch (status) {
    case "active":
    case "trialing":
      return "active";
    case "unpaid":
      return "unpaid";
    case "canceled":
    case "incomplete_expired":
      return "canceled";
    // First payment not made (incomplete), retries failing (past_due), collection paused.
    default:
      return "past_due";
  }
}

const fromUnix = (s: number | null | undefined) => (s === null || s === undefined ? null : new Date(s * 1000));
const customerIdOf = (c: string | { id: string } | null) => (c === null ? null : typeof c === "string" ? c : c.id);
export { customerIdOf };

/** The subscription's id on an invoice (API 2025+: under parent.subscription_details). */
export function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  const s = invoice.parent?.subscription_details?.subscription ?? null;
  return s === null ? null : typeof s === "string" ? s : s.id;
}

export async function getCityBilling(tx: DbOrTx, tenantId: string): Promise<CityBilling | null> {
  const [row] = await tx.select().from(cityBilling).where(eq(cityBilling.tenantId, tenantId));
  return row ?? null;
}

export type StateChange = { from: BillingStatus; to: BillingStatus } | null;

/**
 * Applies a subscription as Stripe sent it. `eventAt` (the event's `created`) guards against late,
 * out-of-order deliveries: an event older than the last one applied changes nothing.
 * Entering past_due/unpaid starts the grace period (from the open invoice's due date); becoming
 * active again ends it.
 */
export async function applySubscription(
  tx: Tx,
  tenantId: string,
  sub: Stripe.Subscription,
  opts: { eventAt: Date | null; graceDays: number; eventId?: string },
): Promise<{ applied: boolean; change: StateChange }> {
  const row = await getCityBilling(tx, tenantId);
  if (!row) return { applied: false, change: null };
  if (row.stripeSubscriptionId && row.stripeSubscriptionId !== sub.id) {
    // Another subscription of the same customer (an old, replaced one): it does not change the
    // city's state, unless the current one has ended and this one replaces it.
    const replacing = row.status === "canceled" && sub.status !== "canceled";
    if (!replacing) return { applied: false, change: null };
  }
  if (opts.eventAt && row.statusEventAt && opts.eventAt < row.statusEventAt && row.stripeSubscriptionId === sub.id)
    return { applied: false, change: null };
  const to = billingStatusOf(sub.status);
  const from = row.status;
  const item = sub.items.data[0];
  const troubled = (s: BillingStatus) => s === "past_due" || s === "unpaid";
  let pastDueSince = row.pastDueSince;
  let graceUntil = row.graceUntil;
  if (troubled(to) && !troubled(from)) {
    const [open] = await tx
      .select({ dueDate: cityInvoices.dueDate })
      .from(cityInvoices)
      .where(and(eq(cityInvoices.tenantId, tenantId), eq(cityInvoices.status, "open")))
      .orderBy(cityInvoices.dueDate)
      .limit(1);
    const start = open?.dueDate && open.dueDate < new Date() ? open.dueDate : new Date();
    pastDueSince = start;
    graceUntil = new Date(start.getTime() + opts.graceDays * DAY_MS);
  } else if (to === "active") {
    pastDueSince = null;
    graceUntil = null;
  }
  await tx
    .update(cityBilling)
    .set({
      stripeSubscriptionId: sub.id,
      status: to,
      currentPeriodStart: fromUnix(item?.current_period_start),
      currentPeriodEnd: fromUnix(item?.current_period_end),
      pastDueSince,
      graceUntil,
      statusEventAt: opts.eventAt ?? row.statusEventAt,
      updatedAt: sql`now()`,
    })
    .where(eq(cityBilling.tenantId, tenantId));
  const change = from === to ? null : { from, to };
  if (change)
    await recordVendorAudit(tx, {
      tenantId,
      action: "billing.status",
      detail: { ...change, subscription: sub.id, event: opts.eventId ?? null },
    });
  return { applied: true, change };
}

const INVOICE_RANK: Record<string, number> = { draft: 0, open: 1, uncollectible: 2, paid: 3, void: 3 };

/** Stores an invoice; a late event never moves one back (paid stays paid when "finalized" arrives late). */
export async function upsertInvoice(tx: Tx, tenantId: string, invoice: Stripe.Invoice): Promise<void> {
  const status = invoice.status ?? "draft";
  const values = {
    stripeInvoiceId: invoice.id,
    tenantId,
    number: invoice.number,
    status,
    amountDueYen: invoice.amount_due,
    amountPaidYen: invoice.amount_paid,
    dueDate: fromUnix(invoice.due_date),
    periodStart: fromUnix(invoice.period_start),
    periodEnd: fromUnix(invoice.period_end),
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    paidAt: fromUnix(invoice.status_transitions?.paid_at),
    stripeCreatedAt: fromUnix(invoice.created)!,
  };
  const [existing] = await tx
    .select({ status: cityInvoices.status })
    .from(cityInvoices)
    .where(eq(cityInvoices.stripeInvoiceId, invoice.id));
  if (!existing) {
    await tx.insert(cityInvoices).values(values).onConflictDoNothing();
    return;
  }
  if ((INVOICE_RANK[status] ?? 0) < (INVOICE_RANK[existing.status] ?? 0)) return;
  await tx
    .update(cityInvoices)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(cityInvoices.tenantId, tenantId), eq(cityInvoices.stripeInvoiceId, invoice.id)));
}

export async function listInvoices(tx: DbOrTx, tenantId: string, limit = 24) {
  return tx
    .select()
    .from(cityInvoices)
    .where(eq(cityInvoices.tenantId, tenantId))
    .orderBy(desc(cityInvoices.stripeCreatedAt))
    .limit(limit);
}
