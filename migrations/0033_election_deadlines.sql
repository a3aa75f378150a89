ALTER TABLE "dacs" ADD COLUMN "overdue_rule" text DEFAULT 'remind' NOT NULL;--> statement-breakpoint
ALTER TABLE "study_elections" ADD COLUMN "reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "study_elections" ADD COLUMN "overdue_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dacs" ADD CONSTRAINT "dacs_overdue_rule_check" CHECK ("dacs"."overdue_rule" in ('remind', 'chair_closes'));