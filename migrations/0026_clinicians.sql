CREATE TABLE "clinician_authorisations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"participant_id" uuid NOT NULL,
	"clinician_user_id" uuid NOT NULL,
	"can_read" boolean NOT NULL,
	"can_append" boolean NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clinician_authorisations_some_right_check" CHECK ("clinician_authorisations"."can_read" or "clinician_authorisations"."can_append"),
	CONSTRAINT "clinician_authorisations_period_check" CHECK ("clinician_authorisations"."ends_at" > "clinician_authorisations"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_role_check";--> statement-breakpoint
ALTER TABLE "clinician_authorisations" ADD CONSTRAINT "clinician_authorisations_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinician_authorisations" ADD CONSTRAINT "clinician_authorisations_clinician_user_id_users_id_fk" FOREIGN KEY ("clinician_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clinician_authorisations_participant_idx" ON "clinician_authorisations" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "clinician_authorisations_clinician_idx" ON "clinician_authorisations" USING btree ("clinician_user_id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_check" CHECK ("users"."role" in ('participant', 'researcher', 'ethics_board', 'steward', 'admin', 'consent_coordinator', 'clinician'));