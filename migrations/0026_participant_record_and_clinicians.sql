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
CREATE TABLE "record_annotations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"entry_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"author_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "record_annotations_kind_check" CHECK ("record_annotations"."kind" in ('annotation', 'dispute'))
);
--> statement-breakpoint
CREATE TABLE "record_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"participant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"author_user_id" uuid,
	"author_institution" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retracted_at" timestamp with time zone,
	"retracted_by" uuid,
	CONSTRAINT "record_entries_kind_check" CHECK ("record_entries"."kind" in ('condition', 'measurement')),
	CONSTRAINT "record_entries_source_check" CHECK ("record_entries"."source" in ('self_report', 'clinician', 'steward_ingest')),
	CONSTRAINT "record_entries_clinician_check" CHECK ("record_entries"."source" <> 'clinician' or ("record_entries"."author_user_id" is not null and "record_entries"."author_institution" is not null))
);
--> statement-breakpoint
CREATE TABLE "record_entry_versions" (
	"entry_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"code" text NOT NULL,
	"onset" date,
	"value_number" double precision,
	"value_text" text,
	"unit" text,
	"note" text,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "record_entry_versions_entry_id_version_pk" PRIMARY KEY("entry_id","version"),
	CONSTRAINT "record_entry_versions_version_check" CHECK ("record_entry_versions"."version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_role_check";--> statement-breakpoint
ALTER TABLE "clinician_authorisations" ADD CONSTRAINT "clinician_authorisations_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinician_authorisations" ADD CONSTRAINT "clinician_authorisations_clinician_user_id_users_id_fk" FOREIGN KEY ("clinician_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_annotations" ADD CONSTRAINT "record_annotations_entry_id_record_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."record_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_annotations" ADD CONSTRAINT "record_annotations_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_entries" ADD CONSTRAINT "record_entries_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_entries" ADD CONSTRAINT "record_entries_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_entries" ADD CONSTRAINT "record_entries_retracted_by_users_id_fk" FOREIGN KEY ("retracted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_entry_versions" ADD CONSTRAINT "record_entry_versions_entry_id_record_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."record_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_entry_versions" ADD CONSTRAINT "record_entry_versions_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clinician_authorisations_participant_idx" ON "clinician_authorisations" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "clinician_authorisations_clinician_idx" ON "clinician_authorisations" USING btree ("clinician_user_id");--> statement-breakpoint
CREATE INDEX "record_annotations_entry_idx" ON "record_annotations" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "record_entries_participant_idx" ON "record_entries" USING btree ("participant_id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_check" CHECK ("users"."role" in ('participant', 'researcher', 'ethics_board', 'steward', 'admin', 'consent_coordinator', 'clinician'));