ALTER TABLE "data_exports" ALTER COLUMN "vcf" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "data_exports" ADD COLUMN "vcf_file_key" text;--> statement-breakpoint
ALTER TABLE "data_exports" ADD COLUMN "vcf_bytes" bigint;--> statement-breakpoint
ALTER TABLE "data_exports" ADD CONSTRAINT "data_exports_vcf_one_place_check" CHECK (("data_exports"."vcf" is null) <> ("data_exports"."vcf_file_key" is null) and ("data_exports"."vcf_file_key" is null) = ("data_exports"."vcf_bytes" is null));