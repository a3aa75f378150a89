import { currentRecordTerms } from '../record/record-terms.js';
import { currentUploadedCalls } from '../datasets/genotype-upload/uploaded-calls.js';
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { queryRows } from '../../db/query-rows.js';
import type { OntologyGraph } from '../ontology/ontology-graph.js';
import { parseRegion, parseVariantKey, type CohortCriteria } from './cohort-criteria.js';

/**
 * The same criteria as plain SQL joins, with no index: the baseline the benchmark compares the
 * in-memory engine with, and an independent check of its answers in tests.
 */
export function criteriaToSql(c: CohortCriteria, ontology: OntologyGraph): SQL {
  const parts: SQL[] = [];
  // Stored calls are arrays of participant numbers per variant (variant_call_sets); uploaded
  // calls are rows. The arrays a zygosity criterion reads:
  const storedCarriers =
    c.zygosity === 'HOMOZYGOUS'
      ? sql`c.hom`
      : c.zygosity === 'HETEROZYGOUS'
        ? sql`c.het`
        : sql`c.het || c.hom || c.hemi`;
  const zyg =
    c.zygosity === 'HOMOZYGOUS'
      ? sql` and c.zygosity = 2`
      : c.zygosity === 'HETEROZYGOUS'
        ? sql` and c.zygosity = 1`
        : sql``;
  // The carriers of the matching variants as one set: unnested from the stored arrays, plus the
  // participants' own uploaded calls. One uncorrelated `in (… union all …)` lets PostgreSQL
  // start from the carriers and probe participants by number (a rare variant is a few index
  // lookups); an OR with a correlated `exists` for the uploads made it test every participant.
  const carrierOf = (variantCondition: SQL) =>
    sql`p.num in (select unnest(${storedCarriers}) from variant_call_sets c
                  join variants v on v.id = c.variant_id where (${variantCondition})
                  union all
                  select c.participant_num from ${currentUploadedCalls()} c
                  join variants v on v.id = c.variant_id where (${variantCondition})${zyg})`;
  if (c.datasets?.length) {
    parts.push(
      sql`exists (select 1 from samples s where s.participant_id = p.id and s.dataset_id in (${sql.join(
        c.datasets.map((d) => sql`${d}`),
        sql`, `,
      )}))`,
    );
  }
  if (c.variants?.length) {
    const alleles = c.variants.map((text) => {
      const v = parseVariantKey(text);
      return sql`(v.chrom = ${v.chrom} and v.pos = ${v.pos} and v.ref = ${v.ref} and v.alt = ${v.alt})`;
    });
    parts.push(carrierOf(sql.join(alleles, sql` or `)));
  }
  if (c.genes?.length)
    parts.push(
      carrierOf(
        sql`v.gene in (${sql.join(
          c.genes.map((g) => sql`${g}`),
          sql`, `,
        )})`,
      ),
    );
  if (c.regions?.length) {
    const ranges = c.regions.map((text) => {
      const r = parseRegion(text);
      return sql`(v.chrom = ${r.chrom} and v.pos between ${r.start} and ${r.end})`;
    });
    parts.push(carrierOf(sql.join(ranges, sql` or `)));
  }
  for (const term of [...(c.phenotypes ?? []), ...(c.diseases ?? [])]) {
    const terms = [...ontology.descendants(term)].map((t) => sql`${t}`);
    const within = sql.join(terms, sql`, `);
    const recorded = sql`exists (select 1 from ${currentRecordTerms()} r where r.participant_id = p.id
                  and r.term in (${within})${c.termSource === 'clinician' ? sql` and r.source = 'clinician'` : sql``})`;
    parts.push(
      c.termSource === 'clinician'
        ? recorded
        : sql`(exists (select 1 from phenotype_observations o where o.participant_id = p.id and o.present
                  and o.term in (${within})) or ${recorded})`,
    );
  }
  if (c.sex) parts.push(sql`p.sex = ${c.sex}`);
  const thisYear = new Date().getUTCFullYear();
  if (c.ageMin != null) parts.push(sql`(${thisYear} - p.birth_year) >= ${c.ageMin}`);
  if (c.ageMax != null) parts.push(sql`(${thisYear} - p.birth_year) <= ${c.ageMax}`);
  if (c.anyOf?.length)
    parts.push(
      sql`(${sql.join(
        c.anyOf.map((g) => criteriaToSql(g, ontology)),
        sql` or `,
      )})`,
    );
  if (c.not) parts.push(sql`not (${criteriaToSql(c.not, ontology)})`);
  return parts.length ? sql`(${sql.join(parts, sql` and `)})` : sql`true`;
}

/** The true (unprotected) count of eligible participants matching the criteria, by SQL alone. */
export async function sqlBaselineCount(
  db: Queryable,
  c: CohortCriteria,
  ontology: OntologyGraph,
): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from participants p
        where p.status <> 'withdrawn' and p.discoverable and ${criteriaToSql(c, ontology)}`,
  );
  return row?.n ?? 0;
}
