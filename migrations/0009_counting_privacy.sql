CREATE TABLE "beacon_public_queries" (
	"client" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"queries" integer DEFAULT 0 NOT NULL,
	"refused" integer DEFAULT 0 NOT NULL,
	"hits" integer DEFAULT 0 NOT NULL,
	"criteria" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"audited_at" timestamp with time zone,
	CONSTRAINT "beacon_public_queries_client_minute_pk" PRIMARY KEY("client","minute")
);
--> statement-breakpoint
ALTER TABLE "studies" ADD COLUMN "cohort_snapshot" jsonb;--> statement-breakpoint
CREATE INDEX "beacon_public_queries_unsealed_idx" ON "beacon_public_queries" USING btree ("audited_at","minute");