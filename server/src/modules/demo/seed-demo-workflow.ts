import { inArray } from 'drizzle-orm';
import type { Database, Tx } from '../../db/database.js';
import { users } from '../accounts/accounts.tables.js';
import { systemActor, type UserActor } from '../actors/actor.js';
import type { Role } from '../actors/roles.js';
import { CohortCounter } from '../cohorts/cohort-counter.js';
import { CohortEngine } from '../cohorts/cohort-engine.js';
import { preferenceBreakdown } from '../cohorts/preference-breakdown.js';
import { createExport } from '../grants/exports/export.service.js';
import { setRenewalDate } from '../grants/grant-renewals.service.js';
import { grantOfStudy } from '../grants/grants.service.js';
import { notify } from '../notifications/notify.js';
import { castVote } from '../review/review.service.js';
import { approveAsSigningOfficial } from '../studies/institution-review.js';
import { createStudy, submitStudy } from '../studies/studies.service.js';
import { fillExampleAccessRequest } from './demo-access-request.js';
import type { FileStore } from '../../lib/file-store.js';

// One-year grants; the review rules are the demo committees' own (quorum two, chaired).
// Participants are asked at submission (CONSENT_REQUESTS_WHEN=before_decision), so the board
// sees the response rate and the study under review has asked the demo patient.
const REVIEW = { grantDefaultMonths: 12 };
const ASK_WHEN = 'before_decision' as const;
// Days until the demo grant's first renewal: inside the 30-day reminder window.
const DEMO_RENEWAL_DAYS = 25;
// Counts as the default configuration protects them.
const PRIVACY = { minCellCount: 20, noiseRange: 3, budgetPerDay: 1_000 };

async function actorsByEmail(tx: Tx, emails: string[]): Promise<Map<string, UserActor>> {
  const rows = await tx.select().from(users).where(inArray(users.email, emails));
  return new Map(
    rows.map((u): [string, UserActor] => [
      u.email,
      { kind: 'user', userId: u.id, role: u.role as Role, sessionId: null },
    ]),
  );
}

/**
 * The demo in motion, so each role's first page has something to do: an approved study with its
 * grant and an export that includes the demo patient (who allows health research), a study under
 * review with one of two votes cast whose submission asked the demo patient (who wants to be
 * asked about general research), and a notification for every role. Through the same services
 * the API uses, so every step is audited and anchored like a real one.
 */
export async function seedDemoWorkflow(
  db: Database,
  panelId: string,
  files: FileStore,
): Promise<void> {
  const engine = new CohortEngine(db);
  const counter = new CohortCounter(engine, PRIVACY, preferenceBreakdown);
  try {
    const who = await db.transaction((tx) =>
      actorsByEmail(tx, [
        'researcher@demo.local',
        'ethics@demo.local',
        'ethics2@demo.local',
        'steward@demo.local',
        'admin@demo.local',
        'so@demo.local',
      ]),
    );
    const researcher = who.get('researcher@demo.local')!;
    const official = who.get('so@demo.local')!;
    // No library card yet (seed-demo.ts issues it last): each request waits for the signing
    // official, who sends the first two on to the committees.
    const submitThroughOfficial = async (studyId: string, approve: boolean) => {
      let index = await counter.index();
      await db.transaction((tx) => fillExampleAccessRequest(tx, researcher, studyId));
      await db.transaction((tx) => submitStudy(tx, researcher, index, studyId, ASK_WHEN));
      if (!approve) return;
      index = await counter.index();
      await db.transaction((tx) =>
        approveAsSigningOfficial(tx, official, index, studyId, ASK_WHEN),
      );
    };
    // Asthma in the reference panel: a few hundred people, the demo patient among them.
    const cohortCriteria = { datasets: [panelId], phenotypes: ['HP:0002099'] };

    const approved = await db.transaction((tx) =>
      createStudy(tx, researcher, {
        title: 'Asthma and lung function genetics',
        laySummary:
          'We compare the genes of people with and without asthma to learn why some lungs react more.',
        purpose: { primary: 'HMB', commercial: false },
        cohortCriteria,
        datasetIds: [panelId],
      }),
    );
    await submitThroughOfficial(approved.id, true);
    let index: Awaited<ReturnType<typeof counter.index>>;
    for (const email of ['ethics@demo.local', 'ethics2@demo.local']) {
      index = await counter.index();
      await db.transaction((tx) =>
        castVote(tx, who.get(email)!, counter, index, REVIEW, {
          studyId: approved.id,
          vote: 'approve',
          rationale: 'Health research within the panel’s terms; consent covers it.',
          conditions: [],
          overrideReason: null,
        }),
      );
    }
    index = await counter.index();
    await db.transaction(async (tx) => {
      const grant = await grantOfStudy(tx, approved.id);
      await createExport(tx, researcher, index, grant!.id, files);
      // The committee asked for the first progress report early, so a newcomer sees a renewal
      // due (and the 60-day reminder once the worker runs) rather than one a year away.
      await setRenewalDate(tx, systemActor('demo'), {
        grantId: grant!.id,
        dueAt: new Date(Date.now() + DEMO_RENEWAL_DAYS * 86_400_000),
      });
    });

    const underReview = await db.transaction((tx) =>
      createStudy(tx, researcher, {
        title: 'Everyday health in the reference panel',
        laySummary:
          'We look at how common conditions like asthma run together, to plan better general care.',
        purpose: { primary: 'GRU', commercial: false },
        cohortCriteria,
        datasetIds: [panelId],
      }),
    );
    await submitThroughOfficial(underReview.id, true);
    index = await counter.index();
    await db.transaction((tx) =>
      castVote(tx, who.get('ethics@demo.local')!, counter, index, REVIEW, {
        studyId: underReview.id,
        vote: 'approve',
        rationale: 'General research on the panel; the participants who asked to be asked were.',
        conditions: [],
        overrideReason: null,
      }),
    );

    // The request waiting for the signing official.
    const waiting = await db.transaction((tx) =>
      createStudy(tx, researcher, {
        title: 'Sleep and asthma in the reference panel',
        laySummary:
          'We study whether people with asthma sleep differently, to improve advice on night-time care.',
        purpose: { primary: 'HMB', commercial: false },
        cohortCriteria,
        datasetIds: [panelId],
      }),
    );
    await submitThroughOfficial(waiting.id, false);

    // The roles the workflow does not reach on its own.
    await db.transaction(async (tx) => {
      await notify(tx, [who.get('steward@demo.local')!.userId], {
        kind: 'grant_issued',
        title: 'Your dataset was shared with an approved study',
        body: '“Asthma and lung function genetics” may use the Population Reference Panel for a year.',
        link: `/datasets/${panelId}`,
      });
      await notify(tx, [who.get('admin@demo.local')!.userId], {
        kind: 'vote_needed',
        title: 'A study awaits its second vote',
        body: '“Everyday health in the reference panel” has one of the two votes it needs.',
        link: `/review/${underReview.id}`,
      });
    });
  } finally {
    counter.dispose();
    engine.dispose();
  }
}
