CREATE TABLE "disaster_modes" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"hazard" text NOT NULL,
	"started_by" text DEFAULT 'city' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "disaster_modes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "safety_answers" (
	"tenant_id" uuid NOT NULL,
	"check_id" uuid NOT NULL,
	"line_user_id" text NOT NULL,
	"area" text,
	"answer" text NOT NULL,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "safety_answers_check_id_line_user_id_pk" PRIMARY KEY("check_id","line_user_id"),
	CONSTRAINT "safety_answers_answer" CHECK ("safety_answers"."answer" in ('safe','help','skip'))
);
--> statement-breakpoint
ALTER TABLE "safety_answers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "safety_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"areas" text[] NOT NULL,
	"recipients" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "safety_checks_tenant_id_id" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "safety_checks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "shelters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"gsi_id" text,
	"name" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	"hazards" text[] DEFAULT '{}'::text[] NOT NULL,
	"evacuation_site" boolean DEFAULT true NOT NULL,
	"designated_shelter" boolean DEFAULT false NOT NULL,
	"welfare" boolean DEFAULT false NOT NULL,
	"capacity" integer,
	"area" text,
	"note" text DEFAULT '' NOT NULL,
	"phone" text,
	"status" text DEFAULT 'unopened' NOT NULL,
	"status_changed_at" timestamp with time zone,
	"status_changed_by" uuid,
	"imported_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shelters_gsi_id" UNIQUE("tenant_id","gsi_id"),
	CONSTRAINT "shelters_latitude" CHECK ("shelters"."latitude" between -90 and 90),
	CONSTRAINT "shelters_longitude" CHECK ("shelters"."longitude" between -180 and 180),
	CONSTRAINT "shelters_status" CHECK ("shelters"."status" in ('unopened','open','crowded','full','closed')),
	CONSTRAINT "shelters_capacity" CHECK ("shelters"."capacity" is null or "shelters"."capacity" >= 0)
);
--> statement-breakpoint
ALTER TABLE "shelters" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "municipality_code" text;--> statement-breakpoint
ALTER TABLE "disaster_modes" ADD CONSTRAINT "disaster_modes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safety_answers" ADD CONSTRAINT "safety_answers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safety_answers" ADD CONSTRAINT "safety_answers_check_id_safety_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."safety_checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safety_checks" ADD CONSTRAINT "safety_checks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shelters" ADD CONSTRAINT "shelters_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "shelters_tenant_status_idx" ON "shelters" USING btree ("tenant_id","status");--> statement-breakpoint
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_municipality_code" CHECK ("tenants"."municipality_code" is null or "tenants"."municipality_code" ~ '^[0-9]{5,6}$');--> statement-breakpoint
CREATE POLICY "disaster_modes_tenant_isolation" ON "disaster_modes" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "safety_answers_tenant_isolation" ON "safety_answers" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "safety_checks_tenant_isolation" ON "safety_checks" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "shelters_tenant_isolation" ON "shelters" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);