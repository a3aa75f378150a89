CREATE TABLE "dac_datasets" (
	"dataset_id" uuid PRIMARY KEY NOT NULL,
	"dac_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dac_members" (
	"dac_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dac_members_dac_id_user_id_pk" PRIMARY KEY("dac_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "dacs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"chair_id" uuid,
	"quorum" integer NOT NULL,
	"vote_days" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dacs_name_unique" UNIQUE("name"),
	CONSTRAINT "dacs_quorum_check" CHECK ("dacs"."quorum" between 1 and 50),
	CONSTRAINT "dacs_vote_days_check" CHECK ("dacs"."vote_days" between 1 and 365)
);
--> statement-breakpoint
CREATE TABLE "study_elections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"study_id" uuid NOT NULL,
	"dac_id" uuid NOT NULL,
	"dataset_ids" uuid[] NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"deadline_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "study_elections_study_dac_uq" UNIQUE("study_id","dac_id"),
	CONSTRAINT "study_elections_status_check" CHECK (status in ('open', 'approved', 'rejected', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "review_conflicts" (
	"election_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_conflicts_election_id_member_id_pk" PRIMARY KEY("election_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "review_votes" DROP CONSTRAINT "review_votes_study_member_uq";--> statement-breakpoint
ALTER TABLE "review_votes" ADD COLUMN "election_id" uuid;--> statement-breakpoint
ALTER TABLE "dac_datasets" ADD CONSTRAINT "dac_datasets_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dac_datasets" ADD CONSTRAINT "dac_datasets_dac_id_dacs_id_fk" FOREIGN KEY ("dac_id") REFERENCES "public"."dacs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dac_members" ADD CONSTRAINT "dac_members_dac_id_dacs_id_fk" FOREIGN KEY ("dac_id") REFERENCES "public"."dacs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dac_members" ADD CONSTRAINT "dac_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dacs" ADD CONSTRAINT "dacs_chair_id_users_id_fk" FOREIGN KEY ("chair_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_elections" ADD CONSTRAINT "study_elections_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_elections" ADD CONSTRAINT "study_elections_dac_id_dacs_id_fk" FOREIGN KEY ("dac_id") REFERENCES "public"."dacs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_conflicts" ADD CONSTRAINT "review_conflicts_election_id_study_elections_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."study_elections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_conflicts" ADD CONSTRAINT "review_conflicts_member_id_users_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dac_datasets_dac_idx" ON "dac_datasets" USING btree ("dac_id");--> statement-breakpoint
CREATE INDEX "dac_members_user_idx" ON "dac_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "study_elections_dac_idx" ON "study_elections" USING btree ("dac_id");--> statement-breakpoint
ALTER TABLE "review_votes" ADD CONSTRAINT "review_votes_election_id_study_elections_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."study_elections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_votes" ADD CONSTRAINT "review_votes_election_member_uq" UNIQUE("election_id","member_id");