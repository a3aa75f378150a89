CREATE TABLE "dataset_data_use_changes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"dataset_id" uuid NOT NULL,
	"base_version" integer NOT NULL,
	"applied_version" integer,
	"previous" jsonb NOT NULL,
	"data_use" jsonb NOT NULL,
	"direction" text NOT NULL,
	"status" text NOT NULL,
	"requested_by" uuid NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dataset_data_use_changes_direction_check" CHECK ("dataset_data_use_changes"."direction" in ('narrower', 'wider', 'mixed')),
	CONSTRAINT "dataset_data_use_changes_status_check" CHECK ("dataset_data_use_changes"."status" in ('applied', 'pending', 'rejected'))
);
--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "duo_params" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "data_use_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_data_use_changes" ADD CONSTRAINT "dataset_data_use_changes_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_data_use_changes" ADD CONSTRAINT "dataset_data_use_changes_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_data_use_changes" ADD CONSTRAINT "dataset_data_use_changes_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dataset_data_use_changes_dataset_idx" ON "dataset_data_use_changes" USING btree ("dataset_id");