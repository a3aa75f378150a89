CREATE TABLE "participant_passkeys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"participant_id" uuid NOT NULL,
	"credential_id" text NOT NULL,
	"public_key_cose" text NOT NULL,
	"public_key_sec1" text NOT NULL,
	"counter" integer DEFAULT 0 NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp (3) with time zone,
	CONSTRAINT "participant_passkeys_credential_id_unique" UNIQUE("credential_id")
);
--> statement-breakpoint
CREATE TABLE "passkey_challenges" (
	"participant_id" uuid PRIMARY KEY NOT NULL,
	"challenge" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chain_outbox" DROP CONSTRAINT "chain_outbox_kind_check";--> statement-breakpoint
ALTER TABLE "consent_preferences" ADD COLUMN "signed_with" text;--> statement-breakpoint
ALTER TABLE "study_decisions" ADD COLUMN "signed_with" text;--> statement-breakpoint
ALTER TABLE "participant_passkeys" ADD CONSTRAINT "participant_passkeys_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passkey_challenges" ADD CONSTRAINT "passkey_challenges_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "participant_passkeys_participant_idx" ON "participant_passkeys" USING btree ("participant_id");--> statement-breakpoint
ALTER TABLE "chain_outbox" ADD CONSTRAINT "chain_outbox_kind_check" CHECK ("chain_outbox"."kind" in ('consent', 'grant', 'audit_anchor', 'passkey'));