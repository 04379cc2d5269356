CREATE TABLE "conversation_dialogs" (
	"tenant_id" uuid NOT NULL,
	"line_user_id" text NOT NULL,
	"dialog" text NOT NULL,
	"state" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_dialogs_tenant_id_line_user_id_pk" PRIMARY KEY("tenant_id","line_user_id")
);
--> statement-breakpoint
ALTER TABLE "conversation_dialogs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "faq_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"question" text NOT NULL,
	"answer" text NOT NULL,
	"category" text NOT NULL,
	"variants" text[] DEFAULT '{}'::text[] NOT NULL,
	"published" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "faq_entries_tenant_id_id" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "faq_entries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "faq_unanswered" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"text" text NOT NULL,
	"count" integer DEFAULT 1 NOT NULL,
	"first_asked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_asked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "faq_unanswered_tenant_text" UNIQUE("tenant_id","text")
);
--> statement-breakpoint
ALTER TABLE "faq_unanswered" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "conversation_dialogs" ADD CONSTRAINT "conversation_dialogs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faq_entries" ADD CONSTRAINT "faq_entries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faq_unanswered" ADD CONSTRAINT "faq_unanswered_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversation_dialogs_expires_idx" ON "conversation_dialogs" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "faq_entries_tenant_category_idx" ON "faq_entries" USING btree ("tenant_id","category");--> statement-breakpoint
CREATE INDEX "faq_unanswered_last_idx" ON "faq_unanswered" USING btree ("last_asked_at");--> statement-breakpoint
CREATE POLICY "conversation_dialogs_tenant_isolation" ON "conversation_dialogs" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "faq_entries_tenant_isolation" ON "faq_entries" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "faq_unanswered_tenant_isolation" ON "faq_unanswered" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);