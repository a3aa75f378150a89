import { eq } from 'drizzle-orm';
import type { Tx } from '../../../db/database.js';
import { ConflictError } from '../../../errors/app-errors.js';
import type { Actor } from '../../actors/actor.js';
import { appendAuditEvents, type AuditEntry } from '../../audit/audit.service.js';
import type { CombinedMatchResult } from '../../consent/duo/match-across-datasets.js';
import type { ResearchPurpose } from '../../consent/duo/match-types.js';
import { participants } from '../../participants/participants.tables.js';
import { studies } from '../../studies/studies.tables.js';
import { memberConsents } from '../../studies/study-cohort.js';
import { exportMembers } from '../grants.tables.js';

/**
 * An export that can no longer be served: someone in it has withdrawn, or their consent no
 * longer permits the study. Carries who (for the audit trail only, never for the response).
 */
export class ExportLapsedError extends ConflictError {
  constructor(
    readonly exportId: string,
    readonly grantId: string,
    readonly studyId: string,
    readonly file: 'vcf' | 'index' | 'manifest',
    readonly lapsedParticipantIds: readonly string[],
  ) {
    super(
      `This export can no longer be downloaded: ${lapsedParticipantIds.length} participant(s) in it withdrew or no longer consent to the study. Create a new export; it includes exactly those who consent now.`,
    );
    this.name = 'ExportLapsedError';
  }
}

/**
 * The members of an export whose effective consent for the study no longer permits it, read
 * in the caller's transaction with the same rule as a new export (`memberConsents`): a
 * withdrawal or a "no" committed a moment ago counts.
 */
export async function lapsedExportMembers(
  tx: Tx,
  exportId: string,
  studyId: string,
): Promise<string[]> {
  const members = await tx
    .select({ num: participants.num })
    .from(exportMembers)
    .innerJoin(participants, eq(participants.id, exportMembers.participantId))
    .where(eq(exportMembers.exportId, exportId));
  if (members.length === 0) return [];
  const [study] = await tx.select().from(studies).where(eq(studies.id, studyId));
  const consents = await memberConsents(
    tx,
    {
      id: study!.id,
      status: study!.status,
      purpose: study!.purpose as ResearchPurpose,
      match: study!.match as CombinedMatchResult,
    },
    members.map((m) => m.num),
  );
  return consents.filter((m) => m.consent !== 'permit').map((m) => m.participantId);
}

/**
 * Records a refused download: one event for the export and one per participant whose change of
 * consent caused it, so each of them sees that their data was not released again. Runs in a
 * transaction of its own, because the download's transaction rolled back.
 */
export async function auditLapsedDownload(
  tx: Tx,
  actor: Actor | null,
  refused: ExportLapsedError,
): Promise<void> {
  await appendAuditEvents(tx, actor, [
    {
      action: 'export.download.refused',
      targetType: 'export',
      targetId: refused.exportId,
      payload: {
        file: refused.file,
        grant: refused.grantId,
        reason: 'consent_changed',
        participants: refused.lapsedParticipantIds.length,
      },
    },
    ...refused.lapsedParticipantIds.map((participantId): AuditEntry => ({
      action: 'export.download.refused',
      targetType: 'study',
      targetId: refused.studyId,
      participantId,
      payload: { export: refused.exportId, file: refused.file, reason: 'consent_changed' },
    })),
  ]);
}
