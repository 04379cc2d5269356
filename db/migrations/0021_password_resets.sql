CREATE TABLE "password_resets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" "session_kind" NOT NULL,
	"staff_user_id" uuid,
	"vendor_user_id" uuid,
	"tenant_id" uuid,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"superseded_at" timestamp with time zone,
	"mailed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "password_resets_tokenHash_unique" UNIQUE("token_hash"),
	CONSTRAINT "password_resets_one_subject" CHECK (("password_resets"."kind" = 'staff' and "password_resets"."staff_user_id" is not null and "password_resets"."vendor_user_id" is null and "password_resets"."tenant_id" is not null)
       or ("password_resets"."kind" = 'vendor' and "password_resets"."vendor_user_id" is not null and "password_resets"."staff_user_id" is null and "password_resets"."tenant_id" is null))
);
--> statement-breakpoint
ALTER TABLE "outbox" ALTER COLUMN "tenant_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_staff_user_id_staff_users_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_vendor_user_id_vendor_users_id_fk" FOREIGN KEY ("vendor_user_id") REFERENCES "public"."vendor_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "password_resets_staff_user_idx" ON "password_resets" USING btree ("staff_user_id");--> statement-breakpoint
CREATE INDEX "password_resets_vendor_user_idx" ON "password_resets" USING btree ("vendor_user_id");--> statement-breakpoint
ALTER POLICY "outbox_tenant_isolation" ON "outbox" TO public USING (tenant_id is not distinct from nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id is not distinct from nullif(current_setting('app.tenant_id', true), '')::uuid);