CREATE TYPE "public"."line_age_band" AS ENUM('under20', '20s', '30s', '40s', '50s', '60s', '70plus', 'no_answer');--> statement-breakpoint
CREATE TYPE "public"."line_friend_status" AS ENUM('following', 'blocked');--> statement-breakpoint
CREATE TYPE "public"."line_gender" AS ENUM('female', 'male', 'other', 'no_answer');--> statement-breakpoint
CREATE TYPE "public"."line_survey_step" AS ENUM('gender', 'age', 'area', 'topics');--> statement-breakpoint
CREATE TABLE "line_channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"channel_id" text NOT NULL,
	"login_channel_id" text,
	"liff_id" text,
	"bot_user_id" text,
	"data_key_enc" text NOT NULL,
	"secret_enc" text NOT NULL,
	"token_enc" text NOT NULL,
	"secret_last4" text NOT NULL,
	"token_last4" text NOT NULL,
	"checked_at" timestamp with time zone,
	"check_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "line_channels_tenant" UNIQUE("tenant_id"),
	CONSTRAINT "line_channels_tenant_id_id" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "line_channels" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "line_friends" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"line_user_id" text NOT NULL,
	"status" "line_friend_status" DEFAULT 'following' NOT NULL,
	"followed_at" timestamp with time zone,
	"blocked_at" timestamp with time zone,
	"gender" "line_gender",
	"age_band" "line_age_band",
	"area" text,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"survey_step" "line_survey_step",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "line_friends_tenant_user" UNIQUE("tenant_id","line_user_id"),
	CONSTRAINT "line_friends_tenant_id_id" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "line_friends" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "line_webhook_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"webhook_event_id" text NOT NULL,
	"type" text NOT NULL,
	"line_user_id" text,
	"payload" jsonb NOT NULL,
	"is_redelivery" boolean DEFAULT false NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"error" text,
	CONSTRAINT "line_webhook_events_tenant_event" UNIQUE("tenant_id","webhook_event_id"),
	CONSTRAINT "line_webhook_events_tenant_id_id" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "line_webhook_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "topics" jsonb DEFAULT '[{"key":"garbage","label":"ごみ"},{"key":"childcare","label":"子育て"},{"key":"events","label":"イベント"},{"key":"disaster","label":"防災"}]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "line_channels" ADD CONSTRAINT "line_channels_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_friends" ADD CONSTRAINT "line_friends_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_webhook_events" ADD CONSTRAINT "line_webhook_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "line_friends_tenant_status_idx" ON "line_friends" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "line_webhook_events_received_idx" ON "line_webhook_events" USING btree ("received_at");--> statement-breakpoint
CREATE POLICY "line_channels_tenant_isolation" ON "line_channels" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "line_friends_tenant_isolation" ON "line_friends" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "line_webhook_events_tenant_isolation" ON "line_webhook_events" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);