import type { Tx } from '../../db/database.js';
import type { Actor } from '../actors/actor.js';
import { saveAccessRequestSection } from '../studies/access-request.service.js';
import { SECTION_NAMES } from '../studies/access-request-sections.js';

/**
 * A complete full request as the demo researcher fills it in: every section valid, no
 * collaborator with an account (so nobody has to confirm) and an IRB approval running a year
 * from `now`. The demo's studies and the suites that submit requests use it.
 */
export function exampleAccessRequest(now = new Date()): Record<string, Record<string, unknown>> {
  const nextYear = new Date(now.getTime() + 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  return {
    research: {
      technicalStatement:
        'We will run a genome-wide association study of the requested phenotypes, adjusting for ancestry with principal components, and replicate signals in an independent cohort before publication.',
    },
    investigator: {
      piName: 'Dana Researcher',
      piEmail: 'researcher@demo.local',
      institution: 'Demo University',
    },
    collaborators: {
      collaborators: [
        {
          name: 'Kim Statistician',
          email: 'kim@elsewhere.example',
          institution: 'Elsewhere Institute',
        },
      ],
    },
    labStaff: {
      internal: [{ name: 'Lee Analyst', email: 'lee@demo-university.example' }],
      external: [],
    },
    security: { approvedCloud: 'terra', itPlan: '' },
    publication: {
      intendsToPublish: true,
      plan: 'Aggregate results in an open-access journal; no individual-level data.',
    },
    funding: { source: 'Demo Research Council', grantNumber: 'DRC-2026-001' },
    irb: { protocolNumber: 'IRB-2026-042', expiresOn: nextYear },
  };
}

/** Saves every section of the example request on a draft the actor owns. */
export async function fillExampleAccessRequest(
  tx: Tx,
  actor: Actor,
  studyId: string,
): Promise<void> {
  const example = exampleAccessRequest();
  for (const section of SECTION_NAMES)
    await saveAccessRequestSection(tx, actor, studyId, section, example[section]);
}
