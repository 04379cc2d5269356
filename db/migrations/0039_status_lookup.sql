CREATE TABLE "status_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"row_id" uuid NOT NULL,
	"from_status" text NOT NULL,
	"to_status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "status_changes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "status_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"lookup_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"file" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"rows_total" integer DEFAULT 0 NOT NULL,
	"rows_done" integer DEFAULT 0 NOT NULL,
	"rows_added" integer DEFAULT 0 NOT NULL,
	"rows_changed" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by_staff_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "status_imports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "status_lookup_daily" (
	"tenant_id" uuid NOT NULL,
	"lookup_id" uuid NOT NULL,
	"day" date NOT NULL,
	"found" integer DEFAULT 0 NOT NULL,
	"not_found" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "status_lookup_daily_day" UNIQUE("lookup_id","day")
);
--> statement-breakpoint
ALTER TABLE "status_lookup_daily" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "status_lookup_rows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"lookup_id" uuid NOT NULL,
	"key_hash" text NOT NULL,
	"key_tail" text NOT NULL,
	"birth_date" date NOT NULL,
	"status" text NOT NULL,
	"status_date" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "status_lookup_rows_lookup_key" UNIQUE("lookup_id","key_hash")
);
--> statement-breakpoint
ALTER TABLE "status_lookup_rows" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "status_lookups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"title" text NOT NULL,
	"key_label" text NOT NULL,
	"key_pattern" text NOT NULL,
	"statuses" jsonb NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"opens_on" date NOT NULL,
	"closes_on" date NOT NULL,
	"contact" text DEFAULT '' NOT NULL,
	"purge_after_days" integer DEFAULT 90 NOT NULL,
	"purged_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "status_lookups_tenant_id_id" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "status_lookups" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "status_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"row_id" uuid NOT NULL,
	"line_user_id" text,
	"email" text,
	"lang" text DEFAULT 'ja' NOT NULL,
	"last_change_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "status_subscriptions_row_line" UNIQUE("row_id","line_user_id"),
	CONSTRAINT "status_subscriptions_row_email" UNIQUE("row_id","email")
);
--> statement-breakpoint
ALTER TABLE "status_subscriptions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "status_changes" ADD CONSTRAINT "status_changes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_changes" ADD CONSTRAINT "status_changes_import_id_status_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."status_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_changes" ADD CONSTRAINT "status_changes_row_id_status_lookup_rows_id_fk" FOREIGN KEY ("row_id") REFERENCES "public"."status_lookup_rows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_imports" ADD CONSTRAINT "status_imports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_imports" ADD CONSTRAINT "status_imports_lookup_id_status_lookups_id_fk" FOREIGN KEY ("lookup_id") REFERENCES "public"."status_lookups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_lookup_daily" ADD CONSTRAINT "status_lookup_daily_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_lookup_daily" ADD CONSTRAINT "status_lookup_daily_lookup_id_status_lookups_id_fk" FOREIGN KEY ("lookup_id") REFERENCES "public"."status_lookups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_lookup_rows" ADD CONSTRAINT "status_lookup_rows_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_lookup_rows" ADD CONSTRAINT "status_lookup_rows_lookup_id_status_lookups_id_fk" FOREIGN KEY ("lookup_id") REFERENCES "public"."status_lookups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_lookups" ADD CONSTRAINT "status_lookups_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_subscriptions" ADD CONSTRAINT "status_subscriptions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_subscriptions" ADD CONSTRAINT "status_subscriptions_row_id_status_lookup_rows_id_fk" FOREIGN KEY ("row_id") REFERENCES "public"."status_lookup_rows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "status_changes_import_idx" ON "status_changes" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "status_imports_lookup_idx" ON "status_imports" USING btree ("lookup_id","created_at");--> statement-breakpoint
CREATE POLICY "status_changes_tenant_isolation" ON "status_changes" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "status_imports_tenant_isolation" ON "status_imports" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "status_lookup_daily_tenant_isolation" ON "status_lookup_daily" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "status_lookup_rows_tenant_isolation" ON "status_lookup_rows" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "status_lookups_tenant_isolation" ON "status_lookups" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "status_subscriptions_tenant_isolation" ON "status_subscriptions" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);