CREATE TABLE "beacon_member_budgets" (
	"member" text NOT NULL,
	"day" text NOT NULL,
	"spent" integer DEFAULT 0 NOT NULL,
	"refused" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "beacon_member_budgets_member_day_pk" PRIMARY KEY("member","day")
);
--> statement-breakpoint
CREATE TABLE "network_access_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"dataset_id" uuid NOT NULL,
	"member" text NOT NULL,
	"subject" text NOT NULL,
	"visa_jti" text NOT NULL,
	"visa_expires_at" timestamp with time zone NOT NULL,
	"purpose" jsonb NOT NULL,
	"match" jsonb NOT NULL,
	"status" text NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "network_access_requests_status_check" CHECK ("network_access_requests"."status" in ('pending', 'approved', 'refused'))
);
--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "network_access" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "network_access_requests" ADD CONSTRAINT "network_access_requests_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_access_requests" ADD CONSTRAINT "network_access_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "network_access_requests_holder_idx" ON "network_access_requests" USING btree ("dataset_id","member","subject");--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_network_access_check" CHECK ("datasets"."network_access" in ('none', 'visa', 'visa_and_local_dac'));