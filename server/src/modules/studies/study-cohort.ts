import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { CohortCriteria } from '../cohorts/cohort-criteria.js';
import type { CohortIndex } from '../cohorts/cohort-index.js';
import { RoaringBitmap32 } from '../cohorts/roaring.js';
import { consentPreferences } from '../consent/consent.tables.js';
import type { CombinedMatchResult } from '../consent/duo/match-across-datasets.js';
import type { ResearchPurpose } from '../consent/duo/match-types.js';
import {
  choiceSinceOf,
  decideConsent,
  type EffectiveConsent,
  type PrecedenceRule,
} from '../consent/effective-consent.js';
import type { ConsentPreferences, DiseaseChoice } from '../consent/preferences.js';
import { ancestryGraphAbove } from '../ontology/ontology-ancestry.js';
import { collectionConsentOfRow, type CollectionConsent } from '../datasets/collection-consent.js';
import { datasets } from '../datasets/datasets.tables.js';
import { samples } from '../datasets/ingest/ingest.tables.js';
import { participants } from '../participants/participants.tables.js';
import { studyDecisions } from './studies.tables.js';
import { latestVersions } from './study-decisions.js';

/** One cohort member and what their consent says about the study right now. */
export interface MemberConsent {
  participantId: string;
  num: number;
  userId: string | null;
  consent: EffectiveConsent;
  /** The precedence rule that decided (consent/effective-consent.ts). */
  rule: PrecedenceRule;
  /**
   * Their earlier "yes" stands only until they say whether a later standing "no" applies to
   * this study, which already received data: they must be asked.
   */
  awaitingAnswer: boolean;
  /**
   * Who vouched for the decision that governs: the participant's passkey signature, or the
   * institution recording it for them (the defaults count as the institution's).
   */
  vouchedBy: 'participant' | 'institution';
}

// Keeps each IN list well below PostgreSQL's 65,535 bind parameters.
const CHUNK = 5_000;

async function chunked<T, R>(items: readonly T[], run: (part: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await run(items.slice(i, i + CHUNK))));
  return out;
}

/**
 * The participant numbers matching a study's criteria within its datasets, from the cohort
 * index: everyone who has not withdrawn, whether or not they allow discovery (opting out of
 * discovery counts keeps a person out of counts only; their consent decides the rest). The index
 * must be synced before the caller's transaction opens.
 */
export function studyCandidates(
  index: CohortIndex,
  criteria: CohortCriteria,
  datasetIds: readonly string[],
): number[] {
  const members = index.studyMembers(criteria);
  const inDatasets = new RoaringBitmap32();
  try {
    for (const id of datasetIds) {
      const m = index.datasetMembers(id);
      if (m) inDatasets.orInPlace(m);
    }
    members.andInPlace(inDatasets);
    return [...members.toUint32Array()];
  } finally {
    members.dispose();
    inDatasets.dispose();
  }
}

/**
 * The statuses of a study that received data: an approved study has its grant (issued in the
 * approval's transaction), and a grant that ended does not take back what was shared.
 */
const RECEIVED_DATA: readonly string[] = ['approved', 'expired', 'revoked', 'closed_out'];

/** True when the study already received data, so a later standing "no" must be asked about. */
export function studyReceivedData(status: string): boolean {
  return RECEIVED_DATA.includes(status);
}

/**
 * Effective consent of each candidate for the study, read from the database inside the
 * caller's transaction (not from the index), so a withdrawal or a "no" committed a moment ago
 * counts: status, latest standing preferences, latest decision on this study, and whether a
 * dataset holding their data allows the purpose. One rule for everything: `effectiveConsent`.
 */
export async function memberConsents(
  tx: Tx,
  study: { id: string; status: string; purpose: ResearchPurpose; match: CombinedMatchResult },
  candidateNums: readonly number[],
): Promise<MemberConsent[]> {
  if (candidateNums.length === 0) return [];
  const people = await chunked(candidateNums, (part) =>
    tx
      .select({
        id: participants.id,
        num: participants.num,
        status: participants.status,
        userId: participants.userId,
      })
      .from(participants)
      .where(inArray(participants.num, part)),
  );
  const ids = people.map((p) => p.id);
  const history = new Map<string, (typeof consentPreferences.$inferSelect)[]>();
  for (const row of await chunked(ids, (part) =>
    tx.select().from(consentPreferences).where(inArray(consentPreferences.participantId, part)),
  ))
    (
      history.get(row.participantId) ?? history.set(row.participantId, []).get(row.participantId)!
    ).push(row);
  const preferences = latestVersions([...history.values()].flat(), (row) => row.participantId);
  const decisions = latestVersions(
    await chunked(ids, (part) =>
      tx
        .select()
        .from(studyDecisions)
        .where(
          and(inArray(studyDecisions.participantId, part), eq(studyDecisions.studyId, study.id)),
        ),
    ),
    (row) => row.participantId,
  );
  const allowingDatasets = study.match.datasets
    .filter((d) => d.decision !== 'DENY')
    .map((d) => d.datasetId);
  // Per participant, the collection consent of each allowing dataset holding their data.
  const collected = new Map<string, CollectionConsent[]>();
  if (allowingDatasets.length > 0) {
    const consentOf = new Map(
      (
        await tx
          .select({
            id: datasets.id,
            collectionConsent: datasets.collectionConsent,
            collectionDuoCodes: datasets.collectionDuoCodes,
          })
          .from(datasets)
          .where(inArray(datasets.id, allowingDatasets))
      ).map((d) => [d.id, collectionConsentOfRow(d)]),
    );
    for (const row of await chunked(ids, (part) =>
      tx
        .selectDistinct({ participantId: samples.participantId, datasetId: samples.datasetId })
        .from(samples)
        .where(
          and(inArray(samples.participantId, part), inArray(samples.datasetId, allowingDatasets)),
        ),
    ))
      (
        collected.get(row.participantId) ??
        collected.set(row.participantId, []).get(row.participantId)!
      ).push(consentOf.get(row.datasetId)!);
  }
  const receivedData = studyReceivedData(study.status);
  // The nested rule needs the study's diseases' is-a ancestry (only the edges above them).
  const graph =
    study.purpose.primary === 'DS'
      ? await ancestryGraphAbove(tx, study.purpose.diseases)
      : undefined;
  const ancestry = graph ? (curie: string) => graph.ancestors(curie) : undefined;
  return people.map((p) => {
    const decision = decisions.get(p.id);
    const verdict = decideConsent({
      dataUseAllows: collected.has(p.id),
      preferences: standing(preferences.get(p.id)),
      collection: collected.get(p.id) ?? [],
      choiceSince: choiceSinceOf(history.get(p.id) ?? []),
      purpose: study.purpose,
      ancestry,
      studyDecision: decision
        ? { decision: decision.decision as 'permit' | 'deny', at: decision.createdAt }
        : null,
      studyReceivedData: receivedData,
      withdrawn: p.status === 'withdrawn',
    });
    // Who vouched: the study decision when it governs, otherwise the standing preferences (the
    // collection consent counts as the institution's).
    const governing =
      verdict.rule.startsWith('study-') || verdict.awaitingAnswer
        ? decision
        : (preferences.get(p.id) ?? decision);
    return {
      participantId: p.id,
      num: p.num,
      userId: p.userId,
      vouchedBy: governing?.signedWith ? ('participant' as const) : ('institution' as const),
      consent: verdict.consent,
      rule: verdict.rule,
      awaitingAnswer: verdict.awaitingAnswer,
    };
  });
}

/** A stored preference version as the consent rule reads it (null: they never stated any). */
function standing(
  row: typeof consentPreferences.$inferSelect | undefined,
): ConsentPreferences | null {
  if (!row) return null;
  return {
    purposes: row.purposes as ConsentPreferences['purposes'],
    diseases: (row.diseases as DiseaseChoice[] | null) ?? [],
    askEachTime: row.askEachTime,
    discoverable: row.discoverable,
    recontact: row.recontact,
  };
}

/** How many members are permitted, must be asked, or are excluded. */
export function tally(members: readonly MemberConsent[]): {
  permitted: number;
  ask: number;
  excluded: number;
} {
  const t = { permitted: 0, ask: 0, excluded: 0 };
  for (const m of members) {
    if (m.consent === 'permit') t.permitted += 1;
    else if (m.consent === 'ask') t.ask += 1;
    else t.excluded += 1;
  }
  return t;
}
