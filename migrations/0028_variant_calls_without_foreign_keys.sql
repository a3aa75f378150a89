ALTER TABLE "variant_calls" DROP CONSTRAINT "variant_calls_dataset_id_datasets_id_fk";
--> statement-breakpoint
ALTER TABLE "variant_calls" DROP CONSTRAINT "variant_calls_variant_id_variants_id_fk";
