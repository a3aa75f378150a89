import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { queryRows } from '../../db/query-rows.js';
import { OntologyGraph } from './ontology-graph.js';

/**
 * The is-a graph above some terms only (every edge on their way up), read in one recursive query
 * instead of loading the whole ontology: enough to answer `ancestors` for those terms and for
 * every term above them. Used where one purpose's few diseases are checked against a
 * participant's named diseases without the cohort index at hand.
 */
export async function ancestryGraphAbove(
  db: Queryable,
  curies: readonly string[],
): Promise<OntologyGraph> {
  if (curies.length === 0) return new OntologyGraph(new Map(), []);
  const list = sql.join(
    curies.map((c) => sql`${c}`),
    sql`, `,
  );
  const edges = await queryRows<{ child: string; parent: string }>(
    db,
    sql`with recursive up(child, parent) as (
          select child, parent from ontology_parents where child in (${list})
          union
          select p.child, p.parent from ontology_parents p join up on p.child = up.parent)
        select child, parent from up`,
  );
  return new OntologyGraph(new Map(), edges);
}
