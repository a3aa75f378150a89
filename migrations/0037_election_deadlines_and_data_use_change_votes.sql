CREATE TABLE "data_use_change_votes" (
	"change_id" uuid NOT NULL,
	"dac_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"vote" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_use_change_votes_change_id_member_id_pk" PRIMARY KEY("change_id","member_id"),
	CONSTRAINT "data_use_change_votes_vote_check" CHECK ("data_use_change_votes"."vote" in ('approve', 'reject'))
);
--> statement-breakpoint
ALTER TABLE "dacs" ADD COLUMN "overdue_rule" text DEFAULT 'remind' NOT NULL;--> statement-breakpoint
ALTER TABLE "study_elections" ADD COLUMN "reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "study_elections" ADD COLUMN "overdue_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "data_use_change_votes" ADD CONSTRAINT "data_use_change_votes_change_id_dataset_data_use_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."dataset_data_use_changes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_use_change_votes" ADD CONSTRAINT "data_use_change_votes_dac_id_dacs_id_fk" FOREIGN KEY ("dac_id") REFERENCES "public"."dacs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_use_change_votes" ADD CONSTRAINT "data_use_change_votes_member_id_users_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dacs" ADD CONSTRAINT "dacs_overdue_rule_check" CHECK ("dacs"."overdue_rule" in ('remind', 'chair_closes'));