CREATE TABLE "usage_monthly" (
	"tenant_id" uuid NOT NULL,
	"month" date NOT NULL,
	"metric" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_monthly_tenant_id_month_metric_pk" PRIMARY KEY("tenant_id","month","metric")
);
--> statement-breakpoint
ALTER TABLE "usage_monthly" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "usage_monthly" ADD CONSTRAINT "usage_monthly_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "usage_monthly_tenant_isolation" ON "usage_monthly" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);