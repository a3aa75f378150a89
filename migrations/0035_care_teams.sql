CREATE TABLE "care_team_members" (
	"id" uuid PRIMARY KEY NOT NULL,
	"team_id" uuid NOT NULL,
	"clinician_user_id" uuid NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	"left_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "care_teams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"institution" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "clinician_authorisations" ALTER COLUMN "clinician_user_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "clinician_authorisations" ADD COLUMN "care_team_id" uuid;--> statement-breakpoint
ALTER TABLE "care_team_members" ADD CONSTRAINT "care_team_members_team_id_care_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."care_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_team_members" ADD CONSTRAINT "care_team_members_clinician_user_id_users_id_fk" FOREIGN KEY ("clinician_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "care_team_members_clinician_idx" ON "care_team_members" USING btree ("clinician_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "care_team_members_open_idx" ON "care_team_members" USING btree ("team_id","clinician_user_id") WHERE "care_team_members"."left_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "care_teams_institution_name_idx" ON "care_teams" USING btree ("institution","name");--> statement-breakpoint
ALTER TABLE "clinician_authorisations" ADD CONSTRAINT "clinician_authorisations_care_team_id_care_teams_id_fk" FOREIGN KEY ("care_team_id") REFERENCES "public"."care_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clinician_authorisations_care_team_idx" ON "clinician_authorisations" USING btree ("care_team_id");--> statement-breakpoint
ALTER TABLE "clinician_authorisations" ADD CONSTRAINT "clinician_authorisations_grantee_check" CHECK (("clinician_authorisations"."clinician_user_id" is null) <> ("clinician_authorisations"."care_team_id" is null));