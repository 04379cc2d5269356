ALTER TYPE "public"."line_survey_step" ADD VALUE 'language' BEFORE 'gender';--> statement-breakpoint
ALTER TABLE "line_friends" ADD COLUMN "language" text;