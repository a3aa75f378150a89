CREATE TABLE "network_request_committee" (
	"site" text PRIMARY KEY DEFAULT 'site' NOT NULL,
	"dac_id" uuid NOT NULL,
	"set_by" uuid NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "network_request_committee_site_check" CHECK ("network_request_committee"."site" = 'site')
);
--> statement-breakpoint
CREATE TABLE "remote_access_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"researcher_id" uuid NOT NULL,
	"member" text NOT NULL,
	"dataset_url" text NOT NULL,
	"remote_dataset_id" uuid NOT NULL,
	"purpose" jsonb NOT NULL,
	"dac_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"expires_at" timestamp with time zone,
	"remote_status" text DEFAULT 'not_sent' NOT NULL,
	"remote_request_id" uuid,
	"remote_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"remote_error" text,
	"remote_checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "remote_access_requests_status_check" CHECK ("remote_access_requests"."status" in ('pending', 'approved', 'refused')),
	CONSTRAINT "remote_access_requests_remote_status_check" CHECK ("remote_access_requests"."remote_status" in ('not_sent', 'pending', 'approved', 'refused'))
);
--> statement-breakpoint
CREATE TABLE "remote_exports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"remote_export_id" text NOT NULL,
	"samples" integer NOT NULL,
	"variants" integer NOT NULL,
	"vcf" text NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "network_request_committee" ADD CONSTRAINT "network_request_committee_dac_id_dacs_id_fk" FOREIGN KEY ("dac_id") REFERENCES "public"."dacs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_request_committee" ADD CONSTRAINT "network_request_committee_set_by_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remote_access_requests" ADD CONSTRAINT "remote_access_requests_researcher_id_users_id_fk" FOREIGN KEY ("researcher_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remote_access_requests" ADD CONSTRAINT "remote_access_requests_dac_id_dacs_id_fk" FOREIGN KEY ("dac_id") REFERENCES "public"."dacs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remote_access_requests" ADD CONSTRAINT "remote_access_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remote_exports" ADD CONSTRAINT "remote_exports_request_id_remote_access_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."remote_access_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "remote_access_requests_researcher_idx" ON "remote_access_requests" USING btree ("researcher_id");--> statement-breakpoint
CREATE INDEX "remote_access_requests_dac_idx" ON "remote_access_requests" USING btree ("dac_id");--> statement-breakpoint
CREATE UNIQUE INDEX "remote_exports_request_uq" ON "remote_exports" USING btree ("request_id");