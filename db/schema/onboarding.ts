import { jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";
import { vendorUsers } from "./users";
import type { OnboardingStep, OnboardingSteps } from "./onboarding-steps";

export * from "./onboarding-steps";

/**
 * The vendor's onboarding wizard, one row per city being set up (ADR onboarding). The city row itself
 * is created with the first step, in status "onboarding" (a draft: resident pages say it is being
 * prepared); every later step saves here what it checked, so the wizard can be left and resumed.
 *
 * Tenant-owned (RLS) like every table with a tenant_id: the vendor pages read one city's row inside
 * withTenant; the overview across cities goes through the SECURITY DEFINER function
 * onboarding_overview(), which returns these bookkeeping columns only.
 */
export const onboardings = pgTable(
  "onboardings",
  {
    tenantId: uuid()
      .primaryKey()
      .references(() => tenants.id, { onDelete: "cascade" }),
    currentStep: text().$type<OnboardingStep>().notNull().default("line"),
    steps: jsonb().$type<OnboardingSteps>().notNull().default({}),
    /** The plan chosen in the billing step (a key of PLANS) and where invoices go. */
    planKey: text(),
    billingEmail: text(),
    /** How the city pays (Stripe's collection_method terms): most municipalities pay invoices by transfer. */
    billingCollection: text().$type<"send_invoice" | "charge_automatically">(),
    /** The first admin invited (the address, for the page; the invitation itself is in invitations). */
    adminEmail: text(),
    startedBy: uuid().references(() => vendorUsers.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp({ withTimezone: true }),
  },
  () => [tenantIsolation("onboardings")],
).enableRLS();

export type Onboarding = typeof onboardings.$inferSelect;
