CREATE TABLE "ontology_parents" (
	"child" text NOT NULL,
	"parent" text NOT NULL,
	CONSTRAINT "ontology_parents_child_parent_pk" PRIMARY KEY("child","parent")
);
--> statement-breakpoint
CREATE TABLE "ontology_terms" (
	"curie" text PRIMARY KEY NOT NULL,
	"ontology" text NOT NULL,
	"label" text NOT NULL,
	"obsolete" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ingests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"dataset_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"report" jsonb NOT NULL,
	"started_by" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ingests_kind_check" CHECK ("ingests"."kind" in ('vcf', 'phenotypes', 'phenopackets'))
);
--> statement-breakpoint
CREATE TABLE "phenotype_observations" (
	"participant_id" uuid NOT NULL,
	"term" text NOT NULL,
	"present" boolean NOT NULL,
	"onset" text,
	CONSTRAINT "phenotype_observations_participant_id_term_pk" PRIMARY KEY("participant_id","term")
);
--> statement-breakpoint
CREATE TABLE "samples" (
	"dataset_id" uuid NOT NULL,
	"sample_id" text NOT NULL,
	"participant_id" uuid NOT NULL,
	CONSTRAINT "samples_dataset_id_sample_id_pk" PRIMARY KEY("dataset_id","sample_id")
);
--> statement-breakpoint
CREATE TABLE "variant_calls" (
	"dataset_id" uuid NOT NULL,
	"variant_id" integer NOT NULL,
	"participant_num" integer NOT NULL,
	"zygosity" smallint NOT NULL,
	CONSTRAINT "variant_calls_variant_id_participant_num_dataset_id_pk" PRIMARY KEY("variant_id","participant_num","dataset_id"),
	CONSTRAINT "variant_calls_zygosity_check" CHECK ("variant_calls"."zygosity" in (1, 2, 3))
);
--> statement-breakpoint
CREATE TABLE "variants" (
	"id" serial PRIMARY KEY NOT NULL,
	"chrom" text NOT NULL,
	"pos" integer NOT NULL,
	"ref" text NOT NULL,
	"alt" text NOT NULL,
	"gene" text
);
--> statement-breakpoint
CREATE TABLE "cohort_changes" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"ref" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "count_queries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "participants" ADD COLUMN "num" serial NOT NULL;--> statement-breakpoint
ALTER TABLE "participants" ADD COLUMN "discoverable" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "ontology_parents" ADD CONSTRAINT "ontology_parents_child_ontology_terms_curie_fk" FOREIGN KEY ("child") REFERENCES "public"."ontology_terms"("curie") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ontology_parents" ADD CONSTRAINT "ontology_parents_parent_ontology_terms_curie_fk" FOREIGN KEY ("parent") REFERENCES "public"."ontology_terms"("curie") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingests" ADD CONSTRAINT "ingests_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingests" ADD CONSTRAINT "ingests_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phenotype_observations" ADD CONSTRAINT "phenotype_observations_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phenotype_observations" ADD CONSTRAINT "phenotype_observations_term_ontology_terms_curie_fk" FOREIGN KEY ("term") REFERENCES "public"."ontology_terms"("curie") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "samples" ADD CONSTRAINT "samples_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "samples" ADD CONSTRAINT "samples_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variant_calls" ADD CONSTRAINT "variant_calls_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variant_calls" ADD CONSTRAINT "variant_calls_variant_id_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "count_queries" ADD CONSTRAINT "count_queries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ontology_parents_parent_idx" ON "ontology_parents" USING btree ("parent");--> statement-breakpoint
CREATE UNIQUE INDEX "ingests_file_once_idx" ON "ingests" USING btree ("dataset_id","kind","file_sha256");--> statement-breakpoint
CREATE INDEX "phenotype_observations_term_idx" ON "phenotype_observations" USING btree ("term");--> statement-breakpoint
CREATE UNIQUE INDEX "samples_dataset_participant_idx" ON "samples" USING btree ("dataset_id","participant_id");--> statement-breakpoint
CREATE INDEX "variant_calls_participant_idx" ON "variant_calls" USING btree ("participant_num");--> statement-breakpoint
CREATE UNIQUE INDEX "variants_allele_idx" ON "variants" USING btree ("chrom","pos","ref","alt");--> statement-breakpoint
CREATE INDEX "variants_gene_idx" ON "variants" USING btree ("gene");--> statement-breakpoint
CREATE INDEX "count_queries_user_idx" ON "count_queries" USING btree ("user_id","at");--> statement-breakpoint
ALTER TABLE "participants" ADD CONSTRAINT "participants_num_unique" UNIQUE("num");