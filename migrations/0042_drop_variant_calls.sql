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
