CREATE TABLE "participant_site_links" (
	"nonce" text PRIMARY KEY NOT NULL,
	"participant_id" uuid NOT NULL,
	"role" text NOT NULL,
	"other_member" text NOT NULL,
	"applied_seq" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "participant_site_links_role" CHECK ("participant_site_links"."role" in ('offer', 'accept'))
);
--> statement-breakpoint
ALTER TABLE "participant_site_links" ADD CONSTRAINT "participant_site_links_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "participant_site_links_participant" ON "participant_site_links" USING btree ("participant_id");