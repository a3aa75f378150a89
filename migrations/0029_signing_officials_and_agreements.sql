CREATE TABLE "data_use_agreement_acceptances" (
	"agreement_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"capacity" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_use_agreement_acceptances_agreement_id_user_id_pk" PRIMARY KEY("agreement_id","user_id"),
	CONSTRAINT "data_use_agreement_acceptances_capacity_check" CHECK (capacity in ('principal_investigator', 'signing_official'))
);
--> statement-breakpoint
CREATE TABLE "data_use_agreements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"dac_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"text" text NOT NULL,
	"text_sha256" text NOT NULL,
	"published_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_use_agreements_dac_version_uq" UNIQUE("dac_id","version"),
	CONSTRAINT "data_use_agreements_version_check" CHECK ("data_use_agreements"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "library_cards" (
	"id" uuid PRIMARY KEY NOT NULL,
	"researcher_id" uuid NOT NULL,
	"issued_by" uuid NOT NULL,
	"institution" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid
);
--> statement-breakpoint
CREATE TABLE "institution_reviews" (
	"id" uuid PRIMARY KEY NOT NULL,
	"study_id" uuid NOT NULL,
	"signing_official_id" uuid NOT NULL,
	"decision" text NOT NULL,
	"reason" text,
	"library_card_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "institution_reviews_decision_check" CHECK (decision in ('approved', 'returned', 'rejected', 'library_card'))
);
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_role_check";--> statement-breakpoint
ALTER TABLE "studies" DROP CONSTRAINT "studies_status_check";--> statement-breakpoint
ALTER TABLE "data_use_agreement_acceptances" ADD CONSTRAINT "data_use_agreement_acceptances_agreement_id_data_use_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."data_use_agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_use_agreement_acceptances" ADD CONSTRAINT "data_use_agreement_acceptances_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_use_agreements" ADD CONSTRAINT "data_use_agreements_dac_id_dacs_id_fk" FOREIGN KEY ("dac_id") REFERENCES "public"."dacs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_use_agreements" ADD CONSTRAINT "data_use_agreements_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_cards" ADD CONSTRAINT "library_cards_researcher_id_users_id_fk" FOREIGN KEY ("researcher_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_cards" ADD CONSTRAINT "library_cards_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_cards" ADD CONSTRAINT "library_cards_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "institution_reviews" ADD CONSTRAINT "institution_reviews_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "institution_reviews" ADD CONSTRAINT "institution_reviews_signing_official_id_users_id_fk" FOREIGN KEY ("signing_official_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "institution_reviews" ADD CONSTRAINT "institution_reviews_library_card_id_library_cards_id_fk" FOREIGN KEY ("library_card_id") REFERENCES "public"."library_cards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "data_use_agreement_acceptances_user_idx" ON "data_use_agreement_acceptances" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "library_cards_researcher_idx" ON "library_cards" USING btree ("researcher_id");--> statement-breakpoint
CREATE INDEX "library_cards_institution_idx" ON "library_cards" USING btree ("institution");--> statement-breakpoint
CREATE INDEX "institution_reviews_study_idx" ON "institution_reviews" USING btree ("study_id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_check" CHECK ("users"."role" in ('participant', 'researcher', 'ethics_board', 'steward', 'admin', 'consent_coordinator', 'clinician', 'signing_official'));--> statement-breakpoint
ALTER TABLE "studies" ADD CONSTRAINT "studies_status_check" CHECK (status in ('draft', 'institution_review', 'submitted', 'under_review', 'approved', 'rejected', 'withdrawn', 'expired', 'revoked', 'closed_out'));