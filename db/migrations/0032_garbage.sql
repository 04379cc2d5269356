CREATE TABLE "garbage_datasets" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"data" jsonb NOT NULL,
	"push_time" text,
	"imported_at" timestamp with time zone,
	"pending" jsonb,
	"pending_at" timestamp with time zone,
	"imported_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "garbage_datasets_push_time" CHECK ("garbage_datasets"."push_time" is null or "garbage_datasets"."push_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')
);
--> statement-breakpoint
ALTER TABLE "garbage_datasets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "garbage_exceptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"date" date NOT NULL,
	"category" text,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "garbage_exceptions_once" UNIQUE NULLS NOT DISTINCT("tenant_id","date","category")
);
--> statement-breakpoint
ALTER TABLE "garbage_exceptions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "garbage_push_chunks" (
	"tenant_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"user_ids" text[] NOT NULL,
	"size" integer NOT NULL,
	"text" text NOT NULL,
	"sent_at" timestamp with time zone,
	"outcome" text,
	"failed_at" timestamp with time zone,
	"error" text,
	CONSTRAINT "garbage_push_chunks_tenant_id_run_id_seq_pk" PRIMARY KEY("tenant_id","run_id","seq"),
	CONSTRAINT "garbage_push_chunks_size" CHECK ("garbage_push_chunks"."size" between 1 and 500)
);
--> statement-breakpoint
ALTER TABLE "garbage_push_chunks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "garbage_push_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"collection_date" date NOT NULL,
	"total_chunks" integer DEFAULT 0 NOT NULL,
	"total_recipients" integer DEFAULT 0 NOT NULL,
	"sent_chunks" integer DEFAULT 0 NOT NULL,
	"failed_chunks" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "garbage_push_runs_once" UNIQUE("tenant_id","collection_date"),
	CONSTRAINT "garbage_push_runs_tenant_id" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "garbage_push_runs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "garbage_datasets" ADD CONSTRAINT "garbage_datasets_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "garbage_datasets" ADD CONSTRAINT "garbage_datasets_imported_by_staff_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "garbage_exceptions" ADD CONSTRAINT "garbage_exceptions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "garbage_push_chunks" ADD CONSTRAINT "garbage_push_chunks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "garbage_push_chunks" ADD CONSTRAINT "garbage_push_chunks_tenant_id_run_id_garbage_push_runs_tenant_id_id_fk" FOREIGN KEY ("tenant_id","run_id") REFERENCES "public"."garbage_push_runs"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "garbage_push_runs" ADD CONSTRAINT "garbage_push_runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "garbage_datasets_tenant_isolation" ON "garbage_datasets" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "garbage_exceptions_tenant_isolation" ON "garbage_exceptions" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "garbage_push_chunks_tenant_isolation" ON "garbage_push_chunks" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "garbage_push_runs_tenant_isolation" ON "garbage_push_runs" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);