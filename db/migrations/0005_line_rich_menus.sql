CREATE TYPE "public"."line_rich_menu_image_source" AS ENUM('generated', 'uploaded');--> statement-breakpoint
CREATE TYPE "public"."line_rich_menu_kind" AS ENUM('default', 'disaster');--> statement-breakpoint
CREATE TABLE "line_rich_menus" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"kind" "line_rich_menu_kind" NOT NULL,
	"tiles" jsonb NOT NULL,
	"image_source" "line_rich_menu_image_source" DEFAULT 'generated' NOT NULL,
	"uploaded_image" "bytea",
	"uploaded_image_type" text,
	"line_rich_menu_id" text,
	"published_at" timestamp with time zone,
	"publish_error" text,
	"active" boolean DEFAULT false NOT NULL,
	"edited_at" timestamp with time zone DEFAULT now() NOT NULL,
	"busy_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "line_rich_menus_tenant_kind" UNIQUE("tenant_id","kind"),
	CONSTRAINT "line_rich_menus_tenant_id_id" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "line_rich_menus" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "line_rich_menus" ADD CONSTRAINT "line_rich_menus_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "line_rich_menus_one_active" ON "line_rich_menus" USING btree ("tenant_id") WHERE "line_rich_menus"."active";--> statement-breakpoint
CREATE POLICY "line_rich_menus_tenant_isolation" ON "line_rich_menus" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);