ALTER TABLE "users" ADD COLUMN "researcher_status_confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "researcher_status_confirmed_by" uuid;