CREATE TABLE "grant_closeouts" (
	"grant_id" uuid PRIMARY KEY NOT NULL,
	"destroyed_on" date NOT NULL,
	"statement" text NOT NULL,
	"attested_by" uuid NOT NULL,
	"attested_at" timestamp with time zone NOT NULL,
	"countersigned_by" uuid,
	"countersigned_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "grant_renewals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"grant_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"work_done" text NOT NULL,
	"publications" text[] DEFAULT '{}'::text[] NOT NULL,
	"incidents" text,
	"submitted_by" uuid NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	CONSTRAINT "grant_renewals_grant_due_uq" UNIQUE("grant_id","due_at"),
	CONSTRAINT "grant_renewals_status_check" CHECK (status in ('submitted', 'renewed', 'not_renewed'))
);
--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "renewal_due_at" timestamp with time zone;--> statement-breakpoint
-- Grants issued before renewals existed: the first anniversary of their issue (hand-added).
UPDATE "grants" SET "renewal_due_at" = "issued_at" + interval '12 months';--> statement-breakpoint
ALTER TABLE "grants" ALTER COLUMN "renewal_due_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "renewal_reminders_sent" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "renewal_overdue_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "grant_closeouts" ADD CONSTRAINT "grant_closeouts_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_closeouts" ADD CONSTRAINT "grant_closeouts_attested_by_users_id_fk" FOREIGN KEY ("attested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_closeouts" ADD CONSTRAINT "grant_closeouts_countersigned_by_users_id_fk" FOREIGN KEY ("countersigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_renewals" ADD CONSTRAINT "grant_renewals_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_renewals" ADD CONSTRAINT "grant_renewals_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_renewals" ADD CONSTRAINT "grant_renewals_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;