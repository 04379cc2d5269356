CREATE TYPE "public"."billing_status" AS ENUM('none', 'active', 'past_due', 'unpaid', 'canceled');--> statement-breakpoint
CREATE TYPE "public"."billing_collection_method" AS ENUM('send_invoice', 'charge_automatically');--> statement-breakpoint
CREATE TABLE "city_billing" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"plan_id" text,
	"billing_email" text NOT NULL,
	"collection_method" "billing_collection_method" DEFAULT 'send_invoice' NOT NULL,
	"days_until_due" integer DEFAULT 30 NOT NULL,
	"stripe_customer_id" text,
	"stripe_subscription_id" text,
	"status" "billing_status" DEFAULT 'none' NOT NULL,
	"current_period_start" timestamp with time zone,
	"current_period_end" timestamp with time zone,
	"past_due_since" timestamp with time zone,
	"grace_until" timestamp with time zone,
	"status_event_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "city_billing_stripeCustomerId_unique" UNIQUE("stripe_customer_id"),
	CONSTRAINT "city_billing_stripeSubscriptionId_unique" UNIQUE("stripe_subscription_id"),
	CONSTRAINT "city_billing_days_until_due" CHECK ("city_billing"."days_until_due" between 1 and 365)
);
--> statement-breakpoint
ALTER TABLE "city_billing" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "city_invoices" (
	"stripe_invoice_id" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"number" text,
	"status" text NOT NULL,
	"amount_due_yen" integer NOT NULL,
	"amount_paid_yen" integer DEFAULT 0 NOT NULL,
	"due_date" timestamp with time zone,
	"period_start" timestamp with time zone,
	"period_end" timestamp with time zone,
	"hosted_invoice_url" text,
	"paid_at" timestamp with time zone,
	"stripe_created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "city_invoices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "plans" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"population_min" integer DEFAULT 0 NOT NULL,
	"population_max" integer,
	"amount_yen_per_month" integer NOT NULL,
	"stripe_product_id" text,
	"stripe_price_id" text,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plans_stripeProductId_unique" UNIQUE("stripe_product_id"),
	CONSTRAINT "plans_stripePriceId_unique" UNIQUE("stripe_price_id"),
	CONSTRAINT "plans_amount_positive" CHECK ("plans"."amount_yen_per_month" > 0),
	CONSTRAINT "plans_band" CHECK ("plans"."population_max" is null or "plans"."population_max" > "plans"."population_min")
);
--> statement-breakpoint
CREATE TABLE "stripe_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"tenant_id" uuid,
	"stripe_created_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed" boolean DEFAULT false NOT NULL,
	"processed_at" timestamp with time zone,
	"outcome" text
);
--> statement-breakpoint
ALTER TABLE "city_billing" ADD CONSTRAINT "city_billing_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "city_billing" ADD CONSTRAINT "city_billing_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "city_invoices" ADD CONSTRAINT "city_invoices_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_events" ADD CONSTRAINT "stripe_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "city_invoices_tenant_created_idx" ON "city_invoices" USING btree ("tenant_id","stripe_created_at");--> statement-breakpoint
CREATE POLICY "city_billing_tenant_isolation" ON "city_billing" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "city_invoices_tenant_isolation" ON "city_invoices" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);