CREATE TABLE "record_app_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"participant_id" uuid NOT NULL,
	"app_name" text NOT NULL,
	"scope" text NOT NULL,
	"token_sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "record_app_tokens_scope_check" CHECK ("record_app_tokens"."scope" = 'patient/*.read')
);
--> statement-breakpoint
ALTER TABLE "record_app_tokens" ADD CONSTRAINT "record_app_tokens_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "record_app_tokens_token_idx" ON "record_app_tokens" USING btree ("token_sha256");--> statement-breakpoint
CREATE INDEX "record_app_tokens_participant_idx" ON "record_app_tokens" USING btree ("participant_id");