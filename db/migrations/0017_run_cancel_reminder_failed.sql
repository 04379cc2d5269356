ALTER TYPE "public"."reminder_status" ADD VALUE 'failed';--> statement-breakpoint
ALTER TYPE "public"."broadcast_run_status" ADD VALUE 'cancelled';--> statement-breakpoint
ALTER TABLE "reminder_sends" ADD COLUMN "failed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reminder_sends" ADD COLUMN "fail_reason" text;