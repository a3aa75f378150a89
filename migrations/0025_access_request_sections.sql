CREATE TABLE "study_applications" (
	"study_id" uuid PRIMARY KEY NOT NULL,
	"sections" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "study_collaborators" (
	"study_id" uuid NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"institution" text NOT NULL,
	"user_id" uuid,
	"confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "study_collaborators_study_id_email_pk" PRIMARY KEY("study_id","email")
);
--> statement-breakpoint
ALTER TABLE "study_applications" ADD CONSTRAINT "study_applications_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_collaborators" ADD CONSTRAINT "study_collaborators_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_collaborators" ADD CONSTRAINT "study_collaborators_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "study_collaborators_user_idx" ON "study_collaborators" USING btree ("user_id");