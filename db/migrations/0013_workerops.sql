CREATE TABLE "session_two_factor" (
	"session_id" text PRIMARY KEY NOT NULL,
	"method" text NOT NULL,
	"verified_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "two_factor_credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "session_kind" NOT NULL,
	"staff_user_id" uuid,
	"vendor_user_id" uuid,
	"secret_enc" text NOT NULL,
	"last_used_counter" bigint,
	"confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "two_factor_credentials_staffUserId_unique" UNIQUE("staff_user_id"),
	CONSTRAINT "two_factor_credentials_vendorUserId_unique" UNIQUE("vendor_user_id"),
	CONSTRAINT "two_factor_credentials_one_subject" CHECK (("two_factor_credentials"."kind" = 'staff' and "two_factor_credentials"."staff_user_id" is not null and "two_factor_credentials"."vendor_user_id" is null)
       or ("two_factor_credentials"."kind" = 'vendor' and "two_factor_credentials"."vendor_user_id" is not null and "two_factor_credentials"."staff_user_id" is null))
);
--> statement-breakpoint
CREATE TABLE "two_factor_recovery_codes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"credential_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "two_factor_recovery_codes_credential_hash" UNIQUE("credential_id","code_hash")
);
--> statement-breakpoint
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
ALTER TABLE "session_two_factor" ADD CONSTRAINT "session_two_factor_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "two_factor_credentials" ADD CONSTRAINT "two_factor_credentials_staff_user_id_staff_users_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "two_factor_credentials" ADD CONSTRAINT "two_factor_credentials_vendor_user_id_vendor_users_id_fk" FOREIGN KEY ("vendor_user_id") REFERENCES "public"."vendor_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "two_factor_recovery_codes" ADD CONSTRAINT "two_factor_recovery_codes_credential_id_two_factor_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."two_factor_credentials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_friend_snapshots" ADD CONSTRAINT "line_friend_snapshots_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "line_friend_snapshots_tenant_isolation" ON "line_friend_snapshots" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);