CREATE TYPE "public"."reminder_channel" AS ENUM('line', 'email', 'call-list');--> statement-breakpoint
CREATE TYPE "public"."reminder_status" AS ENUM('queued', 'sent', 'dropped');--> statement-breakpoint
CREATE TABLE "reminder_sends" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"reservation_id" uuid NOT NULL,
	"slot_id" uuid NOT NULL,
	"rule_key" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" "reminder_status" DEFAULT 'queued' NOT NULL,
	"channel" "reminder_channel",
	"drop_reason" text,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"called_at" timestamp with time zone,
	"called_by_staff_id" uuid,
	CONSTRAINT "reminder_sends_once" UNIQUE("tenant_id","reservation_id","slot_id","rule_key")
);
--> statement-breakpoint
ALTER TABLE "reminder_sends" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "reminders" jsonb DEFAULT '[{"kind":"days-before","days":1,"at":"10:00"},{"kind":"hours-before","hours":2}]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "reminder_sends" ADD CONSTRAINT "reminder_sends_called_by_staff_id_staff_users_id_fk" FOREIGN KEY ("called_by_staff_id") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_sends" ADD CONSTRAINT "reminder_sends_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_sends" ADD CONSTRAINT "reminder_sends_tenant_id_reservation_id_reservations_tenant_id_id_fk" FOREIGN KEY ("tenant_id","reservation_id") REFERENCES "public"."reservations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_sends" ADD CONSTRAINT "reminder_sends_tenant_id_slot_id_slots_tenant_id_id_fk" FOREIGN KEY ("tenant_id","slot_id") REFERENCES "public"."slots"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reminder_sends_due_idx" ON "reminder_sends" USING btree ("tenant_id","due_at");--> statement-breakpoint
CREATE POLICY "reminder_sends_tenant_isolation" ON "reminder_sends" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);