/**
 * The access workflow at demo scale and above: submitting a study that asks a whole cohort,
 * participants answering, the approving vote that issues the grant (a Merkle root over every
 * permitted member), and an export of all of them as a VCF subset. Prints wall time per step,
 * the export's size and the process RSS. Not a test: figures go to BENCHMARKS.md.
 *
 *   npm run bench:workflow -- [--participants 2000] [--variants 3000] [--calls 40000]
 * Runs on embedded PGlite in memory.
 */
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { migrateDatabase } from '../src/db/migrate.js';
import { temporaryFileStore } from '../src/lib/file-store.js';
import { openDatabase } from '../src/db/open-database.js';
import { insertUser } from '../src/modules/accounts/accounts.service.js';
import { systemActor, type UserActor } from '../src/modules/actors/actor.js';
import { CohortEngine } from '../src/modules/cohorts/cohort-engine.js';
import { createExport } from '../src/modules/grants/exports/export.service.js';
import { grants } from '../src/modules/grants/grants.tables.js';
import { ensureShippedOntologies } from '../src/modules/ontology/ontology-import.service.js';
import { participants } from '../src/modules/participants/participants.tables.js';
import { castVote } from '../src/modules/review/review.service.js';
import { createStudy, submitStudy } from '../src/modules/studies/studies.service.js';
import { consentRequests } from '../src/modules/studies/studies.tables.js';
import { recordStudyDecision } from '../src/modules/studies/study-decisions.js';
import { cohortSizeOf, syntheticBenchPanel } from './synthetic-panel.js';

const { values: opts } = parseArgs({
  options: {
    participants: { type: 'string', default: '2000' },
    variants: { type: 'string', default: '3000' },
    calls: { type: 'string', default: '40000' },
  },
});

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const mib = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

async function main() {
  const handle = await openDatabase({ pgliteDir: 'memory://' });
  const { db } = handle;
  await migrateDatabase(handle);
  const system = systemActor('bench');
  await ensureShippedOntologies(db, system);
  const user = async (role: UserActor['role'], email: string): Promise<UserActor> => {
    const u = await db.transaction((tx) =>
      insertUser(tx, {
        email,
        password: 'bench password 1',
        displayName: email,
        role,
        institution: null,
      }),
    );
    return { kind: 'user', userId: u.id, role, sessionId: null };
  };
  const researcher = await user('researcher', 'r@bench.local');
  const boards = [
    await user('ethics_board', 'b1@bench.local'),
    await user('ethics_board', 'b2@bench.local'),
  ];
  const steward = await user('steward', 's@bench.local');
  const dataset = await syntheticBenchPanel(db, system, {
    stewardId: steward.userId,
    description: 'Synthetic panel for the workflow benchmark.',
    size: cohortSizeOf(opts),
  });
  const cohorts = new CohortEngine(db);
  const index = await cohorts.current();
  const study = await db.transaction((tx) =>
    createStudy(tx, researcher, {
      title: 'Workflow benchmark',
      laySummary: 'Every participant of the synthetic panel is asked about this study.',
      purpose: { primary: 'HMB', commercial: false },
      cohortCriteria: { datasets: [dataset.id] },
      datasetIds: [dataset.id],
    }),
  );

  let t = process.hrtime.bigint();
  await db.transaction((tx) => submitStudy(tx, researcher, index, study.id));
  const asked = await db
    .select()
    .from(consentRequests)
    .where(eq(consentRequests.studyId, study.id));
  const submitMs = ms(t);

  t = process.hrtime.bigint();
  for (const r of asked) {
    await db.transaction(async (tx) => {
      const [p] = await tx.select().from(participants).where(eq(participants.id, r.participantId));
      await recordStudyDecision(tx, p!, study.id, 'permit');
    });
  }
  const answersMs = ms(t);

  const fresh = await cohorts.current();
  const settings = { quorum: 2, chairEmail: null, grantDefaultMonths: 12 };
  await db.transaction((tx) =>
    castVote(tx, boards[0]!, fresh, settings, {
      studyId: study.id,
      vote: 'approve',
      rationale: 'ok',
    }),
  );
  t = process.hrtime.bigint();
  const decided = await db.transaction((tx) =>
    castVote(tx, boards[1]!, fresh, settings, {
      studyId: study.id,
      vote: 'approve',
      rationale: 'ok',
    }),
  );
  const approveMs = ms(t);
  const [grant] = await db.select().from(grants).where(eq(grants.studyId, decided.study.id));

  t = process.hrtime.bigint();
  const exported = await db.transaction((tx) =>
    createExport(tx, researcher, fresh, grant!.id, temporaryFileStore()),
  );
  const exportMs = ms(t);

  console.log(`participants asked        ${asked.length}`);
  console.log(`submit (ask everyone)     ${submitMs.toFixed(0)} ms`);
  console.log(
    `answers, one tx each      ${answersMs.toFixed(0)} ms (${((asked.length / answersMs) * 1000).toFixed(0)}/s)`,
  );
  console.log(
    `deciding vote + grant     ${approveMs.toFixed(0)} ms (${grant!.memberCount} members in the root)`,
  );
  console.log(
    `export                    ${exportMs.toFixed(0)} ms: ${exported.participantCount} samples × ${exported.variantCount} variants, VCF ${(exported.vcfBytes / 1024 / 1024).toFixed(1)} MiB (BGZF)`,
  );
  console.log(`rss                       ${mib()} MiB`);
  cohorts.dispose();
  await handle.close();
}

await main();
