import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvents } from '../audit/audit.service.js';
import { recontactCleared } from '../consent/recontact-gate.js';
import { notify } from '../notifications/notify.js';
import { participants } from '../participants/participants.tables.js';
import { studies } from '../studies/studies.tables.js';
import { assertCanCloseOutGrant } from './grants.policy.js';
import { visibleGrant } from './grants.service.js';
import { dataExports, exportMembers } from './grants.tables.js';

/** At most this many samples per request: a finding, not a bulk mailing. */
export const RETURN_OF_RESULTS_MAX = 1_000;

const ReturnOfResultsSchema = z.strictObject({
  grantId: idSchema,
  exportId: idSchema,
  sampleIds: z
    .array(z.string().trim().min(1).max(200))
    .min(1, 'name at least one sample')
    .max(RETURN_OF_RESULTS_MAX, `at most ${RETURN_OF_RESULTS_MAX} samples per request`),
});

/** What the researcher learns: counts, never who. */
export interface ReturnOfResultsReceipt {
  /** Distinct samples named. */
  requested: number;
  /** People their site contacted (they allow recontact). */
  contacted: number;
}

/**
 * A grantee asks to return a clinically actionable finding for samples of one of their exports.
 * The researcher never contacts anyone and learns no one's identity: the site (this
 * institution's platform) sends the message, only to participants who allow recontact (the
 * consent module's gate), and the researcher learns how many were contacted. Every participant
 * named gets an event on their trail (contacted or withheld), the grant one with the counts.
 * A sample id not in the export is bad input: nothing is sent or recorded. One transaction.
 */
export async function requestReturnOfResults(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<ReturnOfResultsReceipt> {
  const data = parseInput(ReturnOfResultsSchema, input);
  const grant = await visibleGrant(tx, actor, data.grantId);
  assertCanCloseOutGrant(actor); // the grantee only: boards and admins see grants, not exports' samples
  const [exported] = await tx
    .select({ id: dataExports.id })
    .from(dataExports)
    .where(and(eq(dataExports.id, data.exportId), eq(dataExports.grantId, grant.id)));
  if (!exported) throw new NotFoundError('Export');
  const sampleIds = [...new Set(data.sampleIds)];
  const members = await tx
    .select({
      sampleId: exportMembers.sampleId,
      participantId: participants.id,
      userId: participants.userId,
    })
    .from(exportMembers)
    .innerJoin(participants, eq(participants.id, exportMembers.participantId))
    .where(
      and(eq(exportMembers.exportId, exported.id), inArray(exportMembers.sampleId, sampleIds)),
    );
  if (members.length !== sampleIds.length)
    throw new ValidationError(
      `${sampleIds.length - members.length} of the samples named are not in this export`,
      [{ field: 'sampleIds', message: 'every sample must be one of this export’s' }],
    );
  const cleared = await recontactCleared(
    tx,
    members.flatMap((m) => (m.userId ? [m.userId] : [])),
  );
  const contactedUsers = new Set(cleared.userIds);
  const [study] = await tx
    .select({ title: studies.title })
    .from(studies)
    .where(eq(studies.id, grant.studyId));
  await notify(tx, cleared, {
    kind: 'return_of_results',
    title: {
      en: 'Your study site would like to talk to you',
      es: 'Su centro del estudio quiere hablar con usted',
    },
    body: {
      en: `Research in “${study!.title}” using data you shared found something that may matter for your health. Your site, not the researchers, will explain what it means: please get in touch with them. The researchers do not know who you are.`,
      es: `La investigación del estudio «${study!.title}», con datos que usted compartió, encontró algo que puede ser importante para su salud. Su centro, no los investigadores, le explicará qué significa: póngase en contacto con ellos. Los investigadores no saben quién es usted.`,
    },
  });
  const contacted = members.filter((m) => m.userId && contactedUsers.has(m.userId));
  await appendAuditEvents(tx, actor, [
    {
      action: 'results.return.request',
      targetType: 'grant',
      targetId: grant.id,
      payload: { export: exported.id, requested: sampleIds.length, contacted: contacted.length },
    },
    ...members.map((m) => ({
      action:
        m.userId && contactedUsers.has(m.userId)
          ? ('results.return.contact' as const)
          : ('results.return.withheld' as const),
      targetType: 'grant',
      targetId: grant.id,
      participantId: m.participantId,
    })),
  ]);
  return { requested: sampleIds.length, contacted: contacted.length };
}
