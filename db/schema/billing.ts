import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";

/**
 * Vendor billing of cities through Stripe (ADR billing): plans as Stripe products and prices, one
 * subscription per city, invoices mirrored from Stripe's webhooks, and the webhook events themselves
 * for idempotency. Stripe is the source of truth for money; these rows are what the consoles show.
 */

export const BILLING_STATUSES = ["none", "active", "past_due", "unpaid", "canceled"] as const;
export const billingStatus = pgEnum("billing_status", BILLING_STATUSES);
export const collectionMethod = pgEnum("billing_collection_method", ["send_invoice", "charge_automatically"]);

/** Price list by population band. Platform level (no tenant data). Stripe ids are filled in by syncPlans(). */
export const plans = pgTable(
  "plans",
  {
    /** Stable key, also the Stripe price's lookup_key ("madoguchi_plan_<id>"). */
    id: text().primaryKey(),
    name: text().notNull(),
    /** The band this plan is meant for: population ≥ min and (< max or max null). */
    populationMin: integer().notNull().default(0),
    populationMax: integer(),
    amountYenPerMonth: integer().notNull(),
    stripeProductId: text().unique(),
    stripePriceId: text().unique(),
    active: boolean().notNull().default(true),
    sortOrder: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("plans_amount_positive", sql`${t.amountYenPerMonth} > 0`),
    check("plans_band", sql`${t.populationMax} is null or ${t.populationMax} > ${t.populationMin}`),
  ],
);

/**
 * One row per city that has been set up for billing. `stripe_customer_id` is UNIQUE: it is how a
 * webhook finds its city (through billing_tenant_by_customer(), the app role being bound by RLS).
 */
export const cityBilling = pgTable(
  "city_billing",
  {
    tenantId: uuid()
      .primaryKey()
      .references(() => tenants.id, { onDelete: "cascade" }),
    planId: text().references(() => plans.id),
    billingEmail: text().notNull(),
    collectionMethod: collectionMethod().notNull().default("send_invoice"),
    daysUntilDue: integer().notNull().default(30),
    stripeCustomerId: text().unique(),
    stripeSubscriptionId: text().unique(),
    status: billingStatus().notNull().default("none"),
    currentPeriodStart: timestamp({ withTimezone: true }),
    currentPeriodEnd: timestamp({ withTimezone: true }),
    /** When the city became past due, and until when it may stay so before the vendor may suspend it. */
    pastDueSince: timestamp({ withTimezone: true }),
    graceUntil: timestamp({ withTimezone: true }),
    /** `created` of the last subscription event applied: an older event arriving late changes nothing. */
    statusEventAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("city_billing_days_until_due", sql`${t.daysUntilDue} between 1 and 365`),
    tenantIsolation("city_billing"),
  ],
).enableRLS();

/** Invoices as Stripe last told us (invoice.* webhooks): the city's billing page lists them. */
export const cityInvoices = pgTable(
  "city_invoices",
  {
    stripeInvoiceId: text().primaryKey(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    number: text(),
    /** draft | open | paid | void | uncollectible, as Stripe names them. */
    status: text().notNull(),
    amountDueYen: integer().notNull(),
    amountPaidYen: integer().notNull().default(0),
    dueDate: timestamp({ withTimezone: true }),
    periodStart: timestamp({ withTimezone: true }),
    periodEnd: timestamp({ withTimezone: true }),
    hostedInvoiceUrl: text(),
    paidAt: timestamp({ withTimezone: true }),
    stripeCreatedAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("city_invoices_tenant_created_idx").on(t.tenantId, t.stripeCreatedAt),
    tenantIsolation("city_invoices"),
  ],
).enableRLS();

/**
 * Every Stripe event received, by its id: a redelivered event that was processed is acknowledged and
 * skipped. Platform level (the tenant is known only after the customer lookup, and may be unknown).
 */
export const stripeEvents = pgTable("stripe_events", {
  eventId: text().primaryKey(),
  type: text().notNull(),
  tenantId: uuid().references(() => tenants.id, { onDelete: "set null" }),
  stripeCreatedAt: timestamp({ withTimezone: true }).notNull(),
  receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  processed: boolean().notNull().default(false),
  processedAt: timestamp({ withTimezone: true }),
  /** applied | ignored | stale | unknown_customer */
  outcome: text(),
});

export type Plan = typeof plans.$inferSelect;
export type CityBilling = typeof cityBilling.$inferSelect;
export type CityInvoice = typeof cityInvoices.$inferSelect;
export type BillingStatus = (typeof BILLING_STATUSES)[number];
