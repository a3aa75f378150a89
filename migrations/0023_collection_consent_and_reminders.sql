CREATE TABLE "consent_reminder_schedules" (
	"participant_id" uuid PRIMARY KEY NOT NULL,
	"every_days" integer NOT NULL,
	"max_reminders" integer NOT NULL,
	"stopped" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consent_reminder_schedules_every_check" CHECK ("consent_reminder_schedules"."every_days" between 7 and 90),
	CONSTRAINT "consent_reminder_schedules_max_check" CHECK ("consent_reminder_schedules"."max_reminders" between 1 and 10)
);
--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "collection_consent" text DEFAULT 'recontact_each_use' NOT NULL;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "collection_duo_codes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD COLUMN "reminders_sent" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD COLUMN "last_reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "consent_reminder_schedules" ADD CONSTRAINT "consent_reminder_schedules_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_collection_consent_check" CHECK ("datasets"."collection_consent" in ('broad_gru', 'broad_hmb', 'specific', 'recontact_each_use'));