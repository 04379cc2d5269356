import { asc, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { plans, tenants, type BillingStatus } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { getTenant } from "~/features/tenants/tenants.server";
import { getPlan } from "./plans.server";
import { getCityBilling, listInvoices } from "./state.server";
import { billingStanding, type BillingStanding } from "./standing";
import { bookingOpening, suspensionCheck } from "./suspension.server";

/** What the vendor console and the city's billing page show. */

export type OverviewRow = {
  tenantId: string;
  name: string;
  slug: string;
  tenantStatus: string;
  planName: string | null;
  status: BillingStatus;
  invoiceNumber: string | null;
  invoiceStatus: string | null;
  invoiceAmountYen: number | null;
  invoiceDueDate: string | null;
  graceUntil: string | null;
  graceOver: boolean;
  standing: BillingStanding;
};

type RawOverview = {
  tenant_id: string;
  plan_id: string | null;
  status: BillingStatus;
  grace_until: string | Date | null;
  invoice_number: string | null;
  invoice_status: string | null;
  invoice_amount_yen: number | null;
  invoice_due_date: string | Date | null;
};
const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());

export async function vendorBillingOverview(db: DbOrTx, now = new Date()): Promise<OverviewRow[]> {
  const [raw, cities, planRows] = await Promise.all([
    db.execute(sql`select * from billing_overview()`) as unknown as Promise<RawOverview[]>,
    db
      .select({ id: tenants.id, name: tenants.name, slug: tenants.slug, status: tenants.status })
      .from(tenants)
      .orderBy(asc(tenants.name)),
    db.select({ id: plans.id, name: plans.name }).from(plans),
  ]);
  const byTenant = new Map(raw.map((r) => [r.tenant_id, r]));
  const planName = new Map(planRows.map((p) => [p.id, p.name]));
  return cities.map((c) => {
    const b = byTenant.get(c.id);
    const grace = b?.grace_until ? new Date(b.grace_until) : null;
    const status = b?.status ?? "none";
    const dueDate = iso(b?.invoice_due_date ?? null);
    // The overview knows only each city's latest invoice; the city's own page weighs all of them.
    const latest = b?.invoice_status
      ? [{ status: b.invoice_status, amountDueYen: b.invoice_amount_yen ?? 0, amountPaidYen: 0, dueDate }]
      : [];
    return {
      tenantId: c.id,
      name: c.name,
      slug: c.slug,
      tenantStatus: c.status,
      planName: b?.plan_id ? (planName.get(b.plan_id) ?? b.plan_id) : null,
      status,
      invoiceNumber: b?.invoice_number ?? null,
      invoiceStatus: b?.invoice_status ?? null,
      invoiceAmountYen: b?.invoice_amount_yen ?? null,
      invoiceDueDate: dueDate,
      graceUntil: iso(grace),
      graceOver: grace !== null && grace <= now,
      standing: billingStanding(status, latest, now),
    };
  });
}

/** One city's billing, for the vendor's city page and the city admin's billing page. */
export async function cityBillingView(db: Db, tenantId: string, now = new Date()) {
  const tenant = await getTenant(db, tenantId);
  if (!tenant) return null;
  const { billing, invoices } = await withTenant(db, tenantId, async (tx) => ({
    billing: await getCityBilling(tx, tenantId),
    invoices: await listInvoices(tx, tenantId),
  }));
  const plan = billing?.planId ? await getPlan(db, billing.planId) : null;
  return {
    tenant: {
      id: tenant.id,
      name: tenant.name,
      slug: tenant.slug,
      status: tenant.status,
      population: tenant.population,
    },
    billing: billing && {
      status: billing.status,
      billingEmail: billing.billingEmail,
      collectionMethod: billing.collectionMethod,
      daysUntilDue: billing.daysUntilDue,
      stripeCustomerId: billing.stripeCustomerId,
      stripeSubscriptionId: billing.stripeSubscriptionId,
      currentPeriodStart: iso(billing.currentPeriodStart),
      currentPeriodEnd: iso(billing.currentPeriodEnd),
      pastDueSince: iso(billing.pastDueSince),
      graceUntil: iso(billing.graceUntil),
      standing: billingStanding(
        billing.status,
        invoices.map((i) => ({ ...i, dueDate: iso(i.dueDate) })),
        now,
      ),
    },
    plan: plan && { id: plan.id, name: plan.name, amountYenPerMonth: plan.amountYenPerMonth },
    invoices: invoices.map((i) => ({
      id: i.stripeInvoiceId,
      number: i.number,
      status: i.status,
      amountDueYen: i.amountDueYen,
      amountPaidYen: i.amountPaidYen,
      dueDate: iso(i.dueDate),
      periodStart: iso(i.periodStart),
      periodEnd: iso(i.periodEnd),
      paidAt: iso(i.paidAt),
      hostedInvoiceUrl: i.hostedInvoiceUrl,
    })),
  };
}

export { bookingOpening, suspensionCheck };
