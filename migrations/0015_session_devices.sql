ALTER TABLE "sessions" ADD COLUMN "device" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "last_seen_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Sessions opened before this migration were last seen no earlier than they were opened; "now"
-- would claim a use nobody made.
UPDATE "sessions" SET "last_seen_at" = "created_at";
