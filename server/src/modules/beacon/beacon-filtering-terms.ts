import { and, asc, eq, ne } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { phenotypeObservations } from '../datasets/ingest/ingest.tables.js';
import { ontologyTerms } from '../ontology/ontology.tables.js';
import { participants } from '../participants/participants.tables.js';
import { informationalMeta } from './beacon-responses.js';
import { FILTER_RESOURCES, SEX_TERMS } from './beacon-vocabulary.js';

const SCOPES = ['individual', 'genomicVariant'];

/**
 * The filtering terms this beacon accepts: the NCIT sex terms, and the HPO and MONDO terms
 * observed (present) in participants who are counted at all — a term seen only in withdrawn or
 * non-discoverable participants is not advertised, since nobody could match it.
 * `page` is `{ skip, limit }` in the spec's sense (skip whole pages); no page lists everything.
 */
export async function filteringTermsResponse(
  db: Queryable,
  beaconId: string,
  page: { skip: number; limit: number } | null,
): Promise<Record<string, unknown>> {
  const observed = await db
    .selectDistinct({ id: phenotypeObservations.term, label: ontologyTerms.label })
    .from(phenotypeObservations)
    .innerJoin(participants, eq(participants.id, phenotypeObservations.participantId))
    .innerJoin(ontologyTerms, eq(ontologyTerms.curie, phenotypeObservations.term))
    .where(
      and(
        eq(phenotypeObservations.present, true),
        ne(participants.status, 'withdrawn'),
        eq(participants.discoverable, true),
      ),
    )
    .orderBy(asc(phenotypeObservations.term));
  const all = [
    ...Object.entries(SEX_TERMS).map(([id, t]) => ({ id, label: t.label })),
    ...observed,
  ].map((t) => ({ type: 'ontologyTerm', id: t.id, label: t.label, scopes: SCOPES }));
  const shown =
    page && page.limit > 0 ? all.slice(page.skip * page.limit, (page.skip + 1) * page.limit) : all;
  return {
    meta: informationalMeta(beaconId),
    response: { filteringTerms: shown, resources: FILTER_RESOURCES },
  };
}
