CREATE TABLE "audit_batches" (
	"batch" bigint PRIMARY KEY NOT NULL,
	"first_seq" bigint NOT NULL,
	"last_seq" bigint NOT NULL,
	"count" integer NOT NULL,
	"merkle_root" text NOT NULL,
	"sealed_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chain_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"event_id" text NOT NULL,
	"item" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_until" timestamp with time zone,
	"receipt_id" bigint,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp (3) with time zone,
	CONSTRAINT "chain_outbox_event_id_unique" UNIQUE("event_id"),
	CONSTRAINT "chain_outbox_kind_check" CHECK ("chain_outbox"."kind" in ('consent', 'grant', 'audit_anchor')),
	CONSTRAINT "chain_outbox_status_check" CHECK ("chain_outbox"."status" in ('pending', 'confirmed', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "chain_receipts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chain_id" text NOT NULL,
	"tx_hash" text NOT NULL,
	"height" bigint NOT NULL,
	"block_time" text NOT NULL,
	"digest" text NOT NULL,
	"head_hash" text NOT NULL,
	"items" integer NOT NULL,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "participant_chain_keys" (
	"participant_id" uuid PRIMARY KEY NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chain_outbox" ADD CONSTRAINT "chain_outbox_receipt_id_chain_receipts_id_fk" FOREIGN KEY ("receipt_id") REFERENCES "public"."chain_receipts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participant_chain_keys" ADD CONSTRAINT "participant_chain_keys_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chain_outbox_pending_idx" ON "chain_outbox" USING btree ("status","id");