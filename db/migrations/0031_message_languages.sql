ALTER TABLE "reservations" ADD COLUMN "language" text DEFAULT 'ja' NOT NULL;--> statement-breakpoint
ALTER TABLE "broadcast_chunks" ADD COLUMN "language" text DEFAULT 'ja' NOT NULL;--> statement-breakpoint
ALTER TABLE "broadcasts" ADD COLUMN "versions" jsonb DEFAULT '{}'::jsonb NOT NULL;