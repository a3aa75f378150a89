/**
 * The access workflow at demo scale and above: submitting a study that asks a whole cohort,
 * participants answering, the approving vote that issues the grant (a Merkle root over every
 * permitted member), and an export of all of them as a VCF subset. Prints wall time per step,
 * the export's size and the process RSS. Not a test: figures go to BENCHMARKS.md.
 *
 *   npm run bench:workflow -- [--participants 2000] [--variants 3000] [--calls 40000]
 * Uses the PostgreSQL server in DATABASE_URL (a fresh database, dropped afterwards) or PGlite in
 * memory. The request goes the way a real one does: a committee governs the panel, the
 * researcher filled in the full request (the demo's example), accepted the committee's data use
 * agreement and holds a library card, so it goes straight to the committee; participants are
 * asked at submission (before_decision), so their answers are in the grant the vote issues.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import type { DatabaseHandle } from '../src/db/database.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { temporaryFileStore } from '../src/lib/file-store.js';
import { openDatabase } from '../src/db/open-database.js';
import { insertUser } from '../src/modules/accounts/accounts.service.js';
import { systemActor, type UserActor } from '../src/modules/actors/actor.js';
import { CohortCounter } from '../src/modules/cohorts/cohort-counter.js';
import { CohortEngine } from '../src/modules/cohorts/cohort-engine.js';
import { preferenceBreakdown } from '../src/modules/cohorts/preference-breakdown.js';
import { createDac } from '../src/modules/dacs/dacs.service.js';
import { fillExampleAccessRequest } from '../src/modules/demo/demo-access-request.js';
import { issueDemoLibraryCard, seedDemoAgreements } from '../src/modules/demo/seed-demo-signing.js';
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

// Counts as the default configuration protects them; the one-year grants of the demo committees.
const PRIVACY = { minCellCount: 20, noiseRange: 3, budgetPerDay: 1_000 };
const REVIEW = { grantDefaultMonths: 12 };
// The bench's accounts share one institution: its signing official issues the library card.
const INSTITUTION = 'Bench University';

/** A fresh database: a scratch one on the PostgreSQL server in DATABASE_URL, or PGlite in memory. */
async function openBenchDatabase(): Promise<{ handle: DatabaseHandle; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl)
    return { handle: await openDatabase({ pgliteDir: 'memory://' }), drop: async () => {} };
  const name = `bench_workflow_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    handle: await openDatabase({ url: url.toString() }),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const mib = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

async function main() {
  const { handle, drop } = await openBenchDatabase();
  try {
    await migrateDatabase(handle);
    await runWorkflow(handle);
  } finally {
    await handle.close();
    await drop();
  }
}

async function runWorkflow({ db, kind }: DatabaseHandle) {
  const system = systemActor('bench');
  await ensureShippedOntologies(db, system);
  const user = async (role: UserActor['role'], email: string): Promise<UserActor> => {
    const u = await db.transaction((tx) =>
      insertUser(tx, {
        email,
        password: 'bench password 1',
        displayName: email,
        role,
        institution: INSTITUTION,
      }),
    );
    return { kind: 'user', userId: u.id, role, sessionId: null };
  };
  const researcher = await user('researcher', 'r@bench.local');
  const official = await user('signing_official', 'so@bench.local');
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
  // The committee that decides the request, its agreement accepted by both signers, and the
  // library card that sends the request straight to it.
  await db.transaction(async (tx) => {
    const dac = await createDac(tx, system, {
      name: 'Bench panel DAC',
      quorum: 2,
      voteDays: 30,
      memberIds: boards.map((b) => b.userId),
      chairId: boards[0]!.userId,
      datasetIds: [dataset.id],
    });
    await seedDemoAgreements(tx, system, [dac], [official, researcher]);
  });
  await issueDemoLibraryCard(db, official, researcher.userId);

  const cohorts = new CohortEngine(db);
  const counter = new CohortCounter(cohorts, PRIVACY, preferenceBreakdown);
  try {
    const study = await db.transaction(async (tx) => {
      const draft = await createStudy(tx, researcher, {
        title: 'Workflow benchmark',
        laySummary: 'Every participant of the synthetic panel is asked about this study.',
        purpose: { primary: 'HMB', commercial: false },
        cohortCriteria: { datasets: [dataset.id] },
        datasetIds: [dataset.id],
      });
      await fillExampleAccessRequest(tx, researcher, draft.id);
      return draft;
    });
    console.log(
      `bench:workflow driver=${kind} participants=${opts.participants} machine=${os.cpus().length}× ${os.cpus()[0]?.model} load=${os.loadavg()[0]!.toFixed(1)}`,
    );

    const index = await counter.index();
    let t = process.hrtime.bigint();
    await db.transaction((tx) => submitStudy(tx, researcher, index, study.id, 'before_decision'));
    const asked = await db
      .select()
      .from(consentRequests)
      .where(eq(consentRequests.studyId, study.id));
    const submitMs = ms(t);

    t = process.hrtime.bigint();
    for (const r of asked) {
      await db.transaction(async (tx) => {
        const [p] = await tx
          .select()
          .from(participants)
          .where(eq(participants.id, r.participantId));
        await recordStudyDecision(tx, p!, study.id, 'permit');
      });
    }
    const answersMs = ms(t);

    const fresh = await counter.index();
    const vote = {
      studyId: study.id,
      vote: 'approve',
      rationale: 'ok',
      conditions: [],
      overrideReason: null,
    };
    await db.transaction((tx) => castVote(tx, boards[0]!, counter, fresh, REVIEW, vote));
    t = process.hrtime.bigint();
    const decided = await db.transaction((tx) =>
      castVote(tx, boards[1]!, counter, fresh, REVIEW, vote),
    );
    const approveMs = ms(t);
    const [grant] = await db.select().from(grants).where(eq(grants.studyId, decided.study.id));
    if (!grant) throw new Error(`the second vote issued no grant (study ${decided.study.status})`);

    t = process.hrtime.bigint();
    const exported = await db.transaction((tx) =>
      createExport(tx, researcher, fresh, grant.id, temporaryFileStore()),
    );
    const exportMs = ms(t);

    console.log(`participants asked        ${asked.length}`);
    console.log(`submit (ask everyone)     ${submitMs.toFixed(0)} ms`);
    console.log(
      `answers, one tx each      ${answersMs.toFixed(0)} ms (${((asked.length / answersMs) * 1000).toFixed(0)}/s)`,
    );
    console.log(
      `deciding vote + grant     ${approveMs.toFixed(0)} ms (${grant.memberCount} members in the root)`,
    );
    console.log(
      `export                    ${exportMs.toFixed(0)} ms: ${exported.participantCount} samples × ${exported.variantCount} variants, VCF ${(exported.vcfBytes / 1024 / 1024).toFixed(1)} MiB (BGZF)`,
    );
    console.log(`rss                       ${mib()} MiB`);
  } finally {
    counter.dispose();
    cohorts.dispose();
  }
}

await main();
