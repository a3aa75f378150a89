CREATE TABLE "consent_preferences" (
	"participant_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"purposes" jsonb NOT NULL,
	"ask_each_time" boolean NOT NULL,
	"discoverable" boolean NOT NULL,
	"recontact" boolean NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consent_preferences_participant_id_version_pk" PRIMARY KEY("participant_id","version")
);
--> statement-breakpoint
ALTER TABLE "consent_preferences" ADD CONSTRAINT "consent_preferences_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;