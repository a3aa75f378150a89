import { and, arrayOverlaps, eq, gt, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { users } from '../accounts/accounts.tables.js';
import type { Actor } from '../actors/actor.js';
import { dacById, dacDatasetIds } from '../dacs/dac-reads.js';
import { publishAgreement } from '../dacs/data-use-agreements.js';
import { notify } from '../notifications/notify.js';
import { signingOfficialsOf } from '../signing-officials/institutions.js';
import { studies } from '../studies/studies.tables.js';
import { grants } from './grants.tables.js';

/** Requests still on their way: at the institution or before the committees. */
const OPEN = ['institution_review', 'submitted', 'under_review'];

/**
 * The researchers with an open request or an active grant over the committee's datasets, and the
 * signing officials of their institutions: who must accept a new version of its agreement.
 */
export async function agreementHolders(
  tx: Tx,
  dacId: string,
  now = new Date(),
): Promise<{ researchers: string[]; officials: string[] }> {
  const datasetIds = await dacDatasetIds(tx, dacId);
  if (datasetIds.length === 0) return { researchers: [], officials: [] };
  const requesting = await tx
    .selectDistinct({ id: studies.ownerId })
    .from(studies)
    .where(and(inArray(studies.status, OPEN), arrayOverlaps(studies.datasetIds, datasetIds)));
  const holding = await tx
    .selectDistinct({ id: grants.researcherId })
    .from(grants)
    .where(
      and(
        eq(grants.status, 'active'),
        gt(grants.expiresAt, now),
        arrayOverlaps(grants.datasetIds, datasetIds),
      ),
    );
  const researchers = [...new Set([...requesting, ...holding].map((r) => r.id))];
  if (researchers.length === 0) return { researchers, officials: [] };
  const institutions = await tx
    .selectDistinct({ institution: users.institution })
    .from(users)
    .where(inArray(users.id, researchers));
  const officials = new Set<string>();
  for (const { institution } of institutions)
    for (const id of await signingOfficialsOf(tx, institution)) officials.add(id);
  return { researchers, officials: [...officials] };
}

/**
 * Publishes a new version of a committee's data use agreement (dacs' `publishAgreement`: who
 * may, the version, the audit) and, in the same transaction, tells the principal investigators
 * with open requests or active grants under the committee, and their institutions' signing
 * officials, that the new version needs their acceptance.
 */
export async function publishAgreementAndTell(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): ReturnType<typeof publishAgreement> {
  const agreement = await publishAgreement(tx, actor, input);
  const dac = await dacById(tx, agreement.dacId);
  const { researchers, officials } = await agreementHolders(tx, dac.id);
  const what = `${dac.name} published version ${agreement.version} of its data use agreement`;
  await notify(tx, researchers, {
    kind: 'agreement_published',
    title: 'A new data use agreement needs your acceptance',
    body: `${what}. Your requests and grants under this committee need you to accept it: open the study to read and accept it.`,
    link: '/studies',
  });
  await notify(tx, officials, {
    kind: 'agreement_published',
    title: 'A new data use agreement needs your acceptance',
    body: `${what}. Requests of your institution’s researchers under this committee need you to accept it for your institution.`,
    link: '/signing-official',
  });
  return agreement;
}
