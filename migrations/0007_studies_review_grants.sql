CREATE TABLE "consent_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"study_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	CONSTRAINT "consent_requests_study_participant_uq" UNIQUE("study_id","participant_id"),
	CONSTRAINT "consent_requests_status_check" CHECK ("consent_requests"."status" in ('pending', 'answered', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "studies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"title" text NOT NULL,
	"lay_summary" text NOT NULL,
	"purpose" jsonb NOT NULL,
	"collaborators" text[] DEFAULT '{}'::text[] NOT NULL,
	"irb_evidence_sha256" text,
	"irb_evidence_name" text,
	"cohort_criteria" jsonb,
	"dataset_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"status" text NOT NULL,
	"match" jsonb,
	"decision_rationale" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	CONSTRAINT "studies_status_check" CHECK (status in ('draft', 'submitted', 'under_review', 'approved', 'rejected', 'withdrawn', 'expired', 'revoked', 'closed_out'))
);
--> statement-breakpoint
CREATE TABLE "study_decisions" (
	"participant_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"decision" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "study_decisions_participant_id_study_id_version_pk" PRIMARY KEY("participant_id","study_id","version"),
	CONSTRAINT "study_decisions_decision_check" CHECK ("study_decisions"."decision" in ('permit', 'deny'))
);
--> statement-breakpoint
CREATE TABLE "review_votes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"study_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"vote" text NOT NULL,
	"rationale" text NOT NULL,
	"conditions" text[] DEFAULT '{}'::text[] NOT NULL,
	"override_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_votes_study_member_uq" UNIQUE("study_id","member_id"),
	CONSTRAINT "review_votes_vote_check" CHECK ("review_votes"."vote" in ('approve', 'reject'))
);
--> statement-breakpoint
CREATE TABLE "data_exports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"grant_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"participant_count" integer NOT NULL,
	"variant_count" integer NOT NULL,
	"manifest" jsonb NOT NULL,
	"vcf" text NOT NULL,
	"vcf_sha256" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "export_members" (
	"export_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"sample_id" text NOT NULL,
	CONSTRAINT "export_members_export_id_participant_id_pk" PRIMARY KEY("export_id","participant_id")
);
--> statement-breakpoint
CREATE TABLE "grant_members" (
	"grant_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	CONSTRAINT "grant_members_grant_id_participant_id_pk" PRIMARY KEY("grant_id","participant_id")
);
--> statement-breakpoint
CREATE TABLE "grants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"study_id" uuid NOT NULL,
	"researcher_id" uuid NOT NULL,
	"dataset_ids" uuid[] NOT NULL,
	"conditions" jsonb NOT NULL,
	"status" text NOT NULL,
	"cohort_root" text NOT NULL,
	"member_count" integer NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	"expiry_notice_at" timestamp with time zone,
	CONSTRAINT "grants_study_id_unique" UNIQUE("study_id"),
	CONSTRAINT "grants_status_check" CHECK ("grants"."status" in ('active', 'expired', 'revoked', 'closed_out'))
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"link" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	"mailed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "consent_requests" ADD CONSTRAINT "consent_requests_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD CONSTRAINT "consent_requests_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "studies" ADD CONSTRAINT "studies_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_decisions" ADD CONSTRAINT "study_decisions_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_decisions" ADD CONSTRAINT "study_decisions_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_votes" ADD CONSTRAINT "review_votes_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_votes" ADD CONSTRAINT "review_votes_member_id_users_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_exports" ADD CONSTRAINT "data_exports_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_exports" ADD CONSTRAINT "data_exports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_members" ADD CONSTRAINT "export_members_export_id_data_exports_id_fk" FOREIGN KEY ("export_id") REFERENCES "public"."data_exports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_members" ADD CONSTRAINT "export_members_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_members" ADD CONSTRAINT "grant_members_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_members" ADD CONSTRAINT "grant_members_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_researcher_id_users_id_fk" FOREIGN KEY ("researcher_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consent_requests_participant_idx" ON "consent_requests" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "studies_owner_idx" ON "studies" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "studies_status_idx" ON "studies" USING btree ("status");--> statement-breakpoint
CREATE INDEX "study_decisions_study_idx" ON "study_decisions" USING btree ("study_id");--> statement-breakpoint
CREATE INDEX "export_members_participant_idx" ON "export_members" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "grant_members_participant_idx" ON "grant_members" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "grants_researcher_idx" ON "grants" USING btree ("researcher_id");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");