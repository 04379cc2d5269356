import { jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./tenant-policy";
import { tenants } from "./tenants";
import { vendorUsers } from "./users";

/**
 * The vendor's onboarding wizard, one row per city being set up (ADR onboarding). The city row itself
 * is created with the first step, in status "onboarding" (a draft: resident pages say it is being
 * prepared); every later step saves here what it checked, so the wizard can be left and resumed.
 */
export const ONBOARDING_STEPS = ["city", "line", "webhook", "liff", "richmenu", "billing", "admin", "live"] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];

export type OnboardingStepState = {
  status: "pending" | "done" | "failed";
  /** Japanese: for a failure, what went wrong and how to fix it; for a success, what was checked. */
  message?: string;
  /** ISO time of the last success. */
  completedAt?: string;
  /** ISO time of the last attempt (success or failure). */
  attemptedAt?: string;
};

export type OnboardingSteps = Partial<Record<OnboardingStep, OnboardingStepState>>;

/**
 * Tenant-owned (RLS) like every table with a tenant_id: the vendor pages read one city's row inside
 * withTenant; the overview across cities goes through the SECURITY DEFINER function
 * onboarding_overview(), which returns these bookkeeping columns only.
 */
export const onboardings = pgTable(
  "onboardings",
  {
    tenantId: uuid().primaryKey().references(() => tenants.id, { onDelete: "cascade" }),
    currentStep: text().$type<OnboardingStep>().notNull().default("line"),
    steps: jsonb().$type<OnboardingSteps>().notNull().default({}),
    /** The plan chosen in the billing step (a key of PLANS) and where invoices go. */
    planKey: text(),
    billingEmail: text(),
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
