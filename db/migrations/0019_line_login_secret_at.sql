ALTER TABLE "line_channels" ADD COLUMN "login_secret_updated_at" timestamp with time zone;--> statement-breakpoint
-- Secrets saved before this column existed: their last change is at most the row's last update.
UPDATE "line_channels" SET "login_secret_updated_at" = "updated_at" WHERE "login_secret_enc" IS NOT NULL;
