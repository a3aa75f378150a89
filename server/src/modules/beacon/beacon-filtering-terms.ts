import { and, asc, countDistinct, eq, gte, ne } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { phenotypeObservations } from '../datasets/ingest/ingest.tables.js';
import { ontologyTerms } from '../ontology/ontology.tables.js';
import { participants } from '../participants/participants.tables.js';
import { informationalMeta } from './beacon-responses.js';
import { FILTER_RESOURCES, SEX_TERMS } from './beacon-vocabulary.js';

const SCOPES = ['individual', 'genomicVariant'];

/**
 * The filtering terms this beacon accepts: the NCIT sex terms (fixed vocabulary), and the HPO
 * and MONDO terms observed (present) in at least `minParticipants` counted participants (not
 * withdrawn, discovery allowed). A rarer term is not advertised: listing it would tell anyone
 * that somebody here has that diagnosis. `page` is `{ skip, limit }` in the spec's sense (skip
 * whole pages); no page lists everything.
 */
export async function filteringTermsResponse(
  db: Queryable,
  beaconId: string,
  page: { skip: number; limit: number } | null,
  minParticipants: number,
): Promise<Record<string, unknown>> {
  const observed = await db
    .select({ id: phenotypeObservations.term, label: ontologyTerms.label })
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
    .groupBy(phenotypeObservations.term, ontologyTerms.label)
    .having(gte(countDistinct(phenotypeObservations.participantId), minParticipants))
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
