CREATE TABLE "line_friend_snapshots" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"following" integer NOT NULL,
	"blocked" integer NOT NULL,
	"by_age_band" jsonb NOT NULL,
	"by_gender" jsonb NOT NULL,
	"by_area" jsonb NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "line_friend_snapshots_tenant_id_day_pk" PRIMARY KEY("tenant_id","day")
);
--> statement-breakpoint
ALTER TABLE "line_friend_snapshots" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "line_friend_snapshots" ADD CONSTRAINT "line_friend_snapshots_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "line_friend_snapshots_tenant_isolation" ON "line_friend_snapshots" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);