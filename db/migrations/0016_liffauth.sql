ALTER TABLE "line_channels" ADD COLUMN "login_secret_enc" text;--> statement-breakpoint
ALTER TABLE "line_channels" ADD COLUMN "login_secret_last4" text;