import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { CohortCriteria } from '../cohorts/cohort-criteria.js';
import type { CohortIndex } from '../cohorts/cohort-index.js';
import { RoaringBitmap32 } from '../cohorts/roaring.js';
import { consentPreferences } from '../consent/consent.tables.js';
import type { CombinedMatchResult } from '../consent/duo/match-across-datasets.js';
import type { ResearchPurpose } from '../consent/duo/match-types.js';
import { effectiveConsent, type EffectiveConsent } from '../consent/effective-consent.js';
import { DEFAULT_PREFERENCES, type ConsentPreferences } from '../consent/preferences.js';
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
 * index (so only participants who allow discovery are ever candidates). The index must be
 * synced before the caller's transaction opens.
 */
export function studyCandidates(
  index: CohortIndex,
  criteria: CohortCriteria,
  datasetIds: readonly string[],
): number[] {
  const members = index.members(criteria);
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
 * Effective consent of each candidate for the study, read from the database inside the
 * caller's transaction (not from the index), so a withdrawal or a "no" committed a moment ago
 * counts: status, latest standing preferences, latest decision on this study, and whether a
 * dataset holding their data allows the purpose. One rule for everything: `effectiveConsent`.
 */
export async function memberConsents(
  tx: Tx,
  study: { id: string; purpose: ResearchPurpose; match: CombinedMatchResult },
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
  const preferences = latestVersions(
    await chunked(ids, (part) =>
      tx.select().from(consentPreferences).where(inArray(consentPreferences.participantId, part)),
    ),
    (row) => row.participantId,
  );
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
  const allowed = new Set<string>();
  if (allowingDatasets.length > 0) {
    for (const row of await chunked(ids, (part) =>
      tx
        .selectDistinct({ participantId: samples.participantId })
        .from(samples)
        .where(
          and(inArray(samples.participantId, part), inArray(samples.datasetId, allowingDatasets)),
        ),
    ))
      allowed.add(row.participantId);
  }
  return people.map((p) => ({
    participantId: p.id,
    num: p.num,
    userId: p.userId,
    // A study decision, when there is one, governs; otherwise the standing preferences.
    vouchedBy: (decisions.get(p.id) ?? preferences.get(p.id))?.signedWith
      ? ('participant' as const)
      : ('institution' as const),
    consent: effectiveConsent({
      dataUseAllows: allowed.has(p.id),
      preferences: standing(preferences.get(p.id)),
      purpose: study.purpose,
      studyDecision: (decisions.get(p.id)?.decision as 'permit' | 'deny' | undefined) ?? null,
      withdrawn: p.status === 'withdrawn',
    }),
  }));
}

/** A stored preference version as the consent rule reads it (none stated: the defaults). */
function standing(row: typeof consentPreferences.$inferSelect | undefined): ConsentPreferences {
  if (!row) return DEFAULT_PREFERENCES;
  return {
    purposes: row.purposes as ConsentPreferences['purposes'],
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
