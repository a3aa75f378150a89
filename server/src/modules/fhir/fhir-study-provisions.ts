import type { ConsentProvision } from '@medplum/fhirtypes';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { studies, studyDecisions } from '../studies/studies.tables.js';
import { SYSTEMS } from './fhir-systems.js';

/** One of a participant's decisions on a study. */
export interface StudyDecisionEntry {
  studyId: string;
  title: string;
  decision: 'permit' | 'deny';
  version: number;
  at: Date;
}

/** Every decision the participant made on any study, oldest first. */
export async function participantStudyDecisions(
  tx: Tx,
  participantId: string,
): Promise<StudyDecisionEntry[]> {
  const rows = await tx
    .select({
      studyId: studyDecisions.studyId,
      title: studies.title,
      decision: studyDecisions.decision,
      version: studyDecisions.version,
      at: studyDecisions.createdAt,
    })
    .from(studyDecisions)
    .innerJoin(studies, eq(studies.id, studyDecisions.studyId))
    .where(eq(studyDecisions.participantId, participantId));
  return rows
    .map((r) => ({ ...r, decision: r.decision as 'permit' | 'deny' }))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.version - b.version);
}

/**
 * The decision in force on each study at `at` (null: now). A study decision does not make a
 * new preference version, so the current Consent shows the decisions in force now, and an
 * earlier version the decisions in force when it was recorded (version 0, the defaults: none).
 */
export function decisionsAsOf(
  all: readonly StudyDecisionEntry[],
  at: Date | null | undefined,
): StudyDecisionEntry[] {
  if (at === undefined) return [];
  const latest = new Map<string, StudyDecisionEntry>();
  for (const d of all) if (at === null || d.at <= at) latest.set(d.studyId, d);
  return [...latest.values()];
}

/** A per-study decision as a nested provision: the study by id in our naming system. */
export function studyProvision(d: StudyDecisionEntry): ConsentProvision {
  return {
    type: d.decision,
    period: { start: d.at.toISOString() },
    code: [{ coding: [{ system: SYSTEMS.study, code: d.studyId, display: d.title }] }],
  };
}
