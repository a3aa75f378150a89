CREATE TABLE "participant_representatives" (
	"id" uuid PRIMARY KEY NOT NULL,
	"participant_id" uuid NOT NULL,
	"representative_user_id" uuid NOT NULL,
	"relationship" text NOT NULL,
	"ends_on" date NOT NULL,
	"end_reason" text NOT NULL,
	"linked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	CONSTRAINT "participant_representatives_relationship_check" CHECK ("participant_representatives"."relationship" in ('parent', 'guardian', 'other_legal')),
	CONSTRAINT "participant_representatives_end_reason_check" CHECK ("participant_representatives"."end_reason" in ('majority', 'date'))
);
--> statement-breakpoint
CREATE TABLE "consent_form_versions" (
	"version" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "paper_consent_records" (
	"id" uuid PRIMARY KEY NOT NULL,
	"participant_id" uuid NOT NULL,
	"recorded_by" uuid NOT NULL,
	"institution" text NOT NULL,
	"kind" text NOT NULL,
	"consent_request_id" uuid,
	"form_version" text NOT NULL,
	"signed_on" date NOT NULL,
	"witness_name" text NOT NULL,
	"scan_name" text NOT NULL,
	"scan_sha256" text NOT NULL,
	"scan" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "paper_consent_records_kind_check" CHECK ("paper_consent_records"."kind" in ('preferences', 'answer', 'withdrawal'))
);
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_role_check";--> statement-breakpoint
ALTER TABLE "participants" ADD COLUMN "site" text;--> statement-breakpoint
ALTER TABLE "participant_representatives" ADD CONSTRAINT "participant_representatives_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participant_representatives" ADD CONSTRAINT "participant_representatives_representative_user_id_users_id_fk" FOREIGN KEY ("representative_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participant_representatives" ADD CONSTRAINT "participant_representatives_linked_by_users_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_consent_records" ADD CONSTRAINT "paper_consent_records_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_consent_records" ADD CONSTRAINT "paper_consent_records_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_consent_records" ADD CONSTRAINT "paper_consent_records_form_version_consent_form_versions_version_fk" FOREIGN KEY ("form_version") REFERENCES "public"."consent_form_versions"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "participant_representatives_participant_idx" ON "participant_representatives" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "participant_representatives_user_idx" ON "participant_representatives" USING btree ("representative_user_id");--> statement-breakpoint
CREATE INDEX "paper_consent_records_participant_idx" ON "paper_consent_records" USING btree ("participant_id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_check" CHECK ("users"."role" in ('participant', 'researcher', 'ethics_board', 'steward', 'admin', 'consent_coordinator'));