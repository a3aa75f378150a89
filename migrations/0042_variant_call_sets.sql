CREATE TABLE "variant_call_sets" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "variant_call_sets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"dataset_id" uuid NOT NULL,
	"ingest_id" uuid,
	"variant_id" integer NOT NULL,
	"het" integer[] NOT NULL,
	"hom" integer[] NOT NULL,
	"hemi" integer[] NOT NULL
);
--> statement-breakpoint
-- Hand-added: the calls of variant_calls carried over, one row per dataset and variant (before
-- the index is built, which is quicker than maintaining it row by row).
INSERT INTO "variant_call_sets" ("dataset_id", "ingest_id", "variant_id", "het", "hom", "hemi")
SELECT "dataset_id", NULL, "variant_id",
	coalesce(array_agg("participant_num" ORDER BY "participant_num") FILTER (WHERE "zygosity" = 1), '{}'),
	coalesce(array_agg("participant_num" ORDER BY "participant_num") FILTER (WHERE "zygosity" = 2), '{}'),
	coalesce(array_agg("participant_num" ORDER BY "participant_num") FILTER (WHERE "zygosity" = 3), '{}')
FROM "variant_calls"
GROUP BY "dataset_id", "variant_id";
--> statement-breakpoint
CREATE INDEX "variant_call_sets_variant_idx" ON "variant_call_sets" USING btree ("variant_id","dataset_id","ingest_id");--> statement-breakpoint
DROP TABLE "variant_calls" CASCADE;
--> statement-breakpoint
-- Hand-added: the calls one row per call, unnested from variant_call_sets, for tests and cold
-- paths that read them one by one (declared in the schema with `.existing()`).
CREATE VIEW "variant_calls" AS
SELECT s."dataset_id", s."variant_id", u."participant_num", u."zygosity"
FROM "variant_call_sets" s
CROSS JOIN LATERAL (
	SELECT unnest(s."het") AS "participant_num", 1::smallint AS "zygosity"
	UNION ALL SELECT unnest(s."hom"), 2::smallint
	UNION ALL SELECT unnest(s."hemi"), 3::smallint
) u;
