CREATE TABLE "genotype_upload_calls" (
	"upload_id" uuid NOT NULL,
	"variant_id" integer NOT NULL,
	"participant_num" integer NOT NULL,
	"zygosity" smallint NOT NULL,
	CONSTRAINT "genotype_upload_calls_variant_id_upload_id_pk" PRIMARY KEY("variant_id","upload_id"),
	CONSTRAINT "genotype_upload_calls_zygosity_check" CHECK ("genotype_upload_calls"."zygosity" in (1, 2, 3))
);
--> statement-breakpoint
CREATE TABLE "genotype_uploads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"participant_id" uuid NOT NULL,
	"format" text NOT NULL,
	"build" text NOT NULL,
	"lifted_over" boolean NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"report" jsonb NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retracted_at" timestamp with time zone,
	CONSTRAINT "genotype_uploads_format_check" CHECK ("genotype_uploads"."format" in ('vcf', '23andme', 'ancestrydna')),
	CONSTRAINT "genotype_uploads_build_check" CHECK ("genotype_uploads"."build" in ('GRCh37', 'GRCh38'))
);
--> statement-breakpoint
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
ALTER TABLE "genotype_upload_calls" ADD CONSTRAINT "genotype_upload_calls_upload_id_genotype_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."genotype_uploads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "genotype_uploads" ADD CONSTRAINT "genotype_uploads_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "genotype_uploads" ADD CONSTRAINT "genotype_uploads_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_app_tokens" ADD CONSTRAINT "record_app_tokens_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "genotype_upload_calls_upload_idx" ON "genotype_upload_calls" USING btree ("upload_id");--> statement-breakpoint
CREATE INDEX "genotype_upload_calls_participant_idx" ON "genotype_upload_calls" USING btree ("participant_num");--> statement-breakpoint
CREATE INDEX "genotype_uploads_participant_idx" ON "genotype_uploads" USING btree ("participant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "genotype_uploads_file_once_idx" ON "genotype_uploads" USING btree ("participant_id","file_sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "record_app_tokens_token_idx" ON "record_app_tokens" USING btree ("token_sha256");--> statement-breakpoint
CREATE INDEX "record_app_tokens_participant_idx" ON "record_app_tokens" USING btree ("participant_id");