import { count, eq } from 'drizzle-orm';
import type { Database, Queryable } from '../../db/database.js';
import { temporaryFileStore, type FileStore } from '../../lib/file-store.js';
import { users } from '../accounts/accounts.tables.js';
import { insertUser } from '../accounts/accounts.service.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sessionlessUser, systemActor, type SystemActor, type UserActor } from '../actors/actor.js';
import type { Role } from '../actors/roles.js';
import { setConsentPreferences } from '../consent/consent.service.js';
import { ingestPhenotypes } from '../datasets/ingest/phenotype-ingest.service.js';
import { ingestVcf } from '../datasets/ingest/vcf-ingest.service.js';
import { generateSyntheticCohort } from '../genomics/synth/generate-cohort.js';
import { ensureShippedOntologies } from '../ontology/ontology-import.service.js';
import { importParticipants } from '../participants/participant-import.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { createDac } from '../dacs/dacs.service.js';
import { registerDataset } from '../datasets/datasets.service.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
} from '../participants/participants.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SITE } from './demo-accounts.js';
import { seedAssistedConsent } from './seed-demo-assisted.js';
import { seedDemoWorkflow } from './seed-demo-workflow.js';
import { seedDemoRecord } from './seed-demo-record.js';
import { issueDemoLibraryCard, seedDemoAgreements } from './seed-demo-signing.js';

/** True when no account exists yet: the signal to seed demo data on first start. */
export async function isDatabaseEmpty(db: Queryable): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) === 0;
}

/** True when the demo accounts exist (so start-up can remind the user how to sign in). */
export async function hasDemoAccounts(db: Queryable): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(eq(users.email, DEMO_ACCOUNTS[4]!.email));
  return (row?.n ?? 0) > 0;
}

const DEMO_PARTICIPANTS = 40;

/** The demo's synthetic panel cohort: the generator's seed and how many people. */
export interface DemoCohort {
  seed: number;
  participants: number;
}
const DEFAULT_DEMO_COHORT: DemoCohort = { seed: 2026, participants: 2_000 };
/** The pseudonym of the participant linked to patient@demo.local (the first one seeded). */
const DEMO_PATIENT_PSEUDONYM = 'P-DEMO0001';
/** Tall stature, hypertension, asthma: the demo patient's phenotypes in the reference panel. */
const DEMO_PATIENT_PHENOTYPES = ['HP:0000098', 'HP:0000822', 'HP:0002099'] as const;

/**
 * Seeds the demo: the staff accounts (a signing official among them), a cohort of pseudonymous participants (the first linked to
 * patient@demo.local through the real enrolment-code path), three datasets with DUO terms and
 * the two data access committees that govern them, each with its data use agreement. The
 * signing official gives the demo researcher a library card at the end.
 * One transaction, through the same services the API uses, so every row is audited. Then, unless
 * `workflow` is false, the workflow in motion (studies under review, votes, a grant, an export);
 * suites that build their own workflow from a clean start turn it off. The export's files go to
 * `files` (a temporary folder when none is given). `cohort` sets the synthetic panel cohort's
 * seed and size (2,000 people, seed 2026 by default).
 */
export async function seedDemo(
  db: Database,
  options: { workflow?: boolean; files?: FileStore; cohort?: DemoCohort } = {},
): Promise<void> {
  const actor = systemActor('seed');
  await ensureShippedOntologies(db, actor);
  let signingOfficial!: UserActor;
  let researcher!: UserActor;
  const panelId = await db.transaction(async (tx) => {
    const accounts = new Map<string, string>();
    const byEmail = new Map<string, string>();
    for (const account of DEMO_ACCOUNTS.filter((a) => a.role !== 'participant')) {
      // Demo addresses count as confirmed, so password reset and digests work out of the box.
      const user = await insertUser(
        tx,
        { ...account, password: DEMO_PASSWORD },
        { emailVerified: true },
      );
      await appendAuditEvent(tx, actor, {
        action: 'user.create',
        targetType: 'user',
        targetId: user.id,
        payload: { role: user.role },
      });
      accounts.set(account.role, user.id);
      byEmail.set(account.email, user.id);
    }
    const asUser = (role: Role): UserActor => sessionlessUser(accounts.get(role)!, role);
    signingOfficial = asUser('signing_official');
    researcher = asUser('researcher');
    const sexes = ['female', 'male'] as const;
    const participantIds: string[] = [];
    for (let i = 1; i <= DEMO_PARTICIPANTS; i += 1) {
      const p = await createParticipant(tx, actor, {
        pseudonym: `P-DEMO${String(i).padStart(4, '0')}`,
        sex: sexes[i % 2],
        birthYear: 1940 + ((i * 7) % 60),
        site: DEMO_SITE,
      });
      participantIds.push(p.id);
    }
    const patient = DEMO_ACCOUNTS.find((a) => a.role === 'participant')!;
    const { code } = await createEnrolmentCode(tx, actor, participantIds[0]);
    const enrolled = await enrolWithCode(
      tx,
      {
        code,
        email: patient.email,
        password: DEMO_PASSWORD,
        displayName: patient.displayName,
      },
      { emailVerified: true },
    );
    // The demo participant has stated preferences once, so the timeline and the chain have a
    // real consent decision from the start.
    await setConsentPreferences(
      tx,
      { kind: 'user', userId: enrolled.user.id, role: 'participant', sessionId: null },
      {
        purposes: {
          GRU: 'ask',
          HMB: 'permit',
          DS: 'permit',
          POA: 'deny',
          METHODS: 'ask',
          COMMERCIAL: 'deny',
        },
        askEachTime: false,
        discoverable: true,
        recontact: true,
      },
    );

    await seedAssistedConsent(tx, actor, participantIds[1]!);

    const stewardId = accounts.get('steward');
    const colorectal = await registerDataset(tx, actor, {
      name: 'Colorectal Cancer Genomes',
      description:
        'Whole-exome sequences and clinical phenotypes of patients treated for colorectal cancer.',
      dataUse: { permission: 'DS', diseases: ['MONDO:0005575'], modifiers: ['IRB', 'PUB'] },
      collectionConsent: { kind: 'specific', duoCodes: ['DS'] },
      stewardId,
    });
    const rareDisease = await registerDataset(tx, actor, {
      name: 'Rare Disease Exomes',
      description:
        'Exomes of families with undiagnosed rare diseases, for health and medical research.',
      dataUse: { permission: 'HMB', modifiers: ['NPU', 'COL'] },
      // Collected under broad consent: those who never state a choice need not be asked about
      // health research.
      collectionConsent: { kind: 'broad_hmb' },
      stewardId,
    });
    const panel = await registerDataset(tx, actor, {
      name: 'Population Reference Panel',
      description:
        'Genotypes and phenotypes of volunteers for general research, not for commercial use.',
      dataUse: { permission: 'GRU', modifiers: ['NCU'] },
      // Volunteers agreed to be asked about each use: every study asks them.
      collectionConsent: { kind: 'recontact_each_use' },
      stewardId,
    });
    // Two committees, one per dataset family, as DUOS runs them: the clinical cohorts and the
    // population panel. The board accounts sit on both; Prof Ethan Board chairs them.
    const board = [byEmail.get('ethics@demo.local')!, byEmail.get('ethics2@demo.local')!];
    const clinical = await createDac(tx, actor, {
      name: 'Clinical Genomics DAC',
      quorum: 2,
      voteDays: 30,
      memberIds: board,
      chairId: board[0],
      datasetIds: [colorectal.id, rareDisease.id],
    });
    const population = await createDac(tx, actor, {
      name: 'Population Panel DAC',
      quorum: 2,
      voteDays: 30,
      memberIds: board,
      chairId: board[0],
      datasetIds: [panel.id],
    });
    // Each committee's data use agreement, accepted by the signing official and the researcher.
    await seedDemoAgreements(tx, actor, [clinical, population], [signingOfficial, researcher]);
    return panel.id;
  });
  await seedDemoGenomics(db, actor, panelId, options.cohort ?? DEFAULT_DEMO_COHORT);
  await db.transaction((tx) => seedDemoRecord(tx, actor));
  if (options.workflow !== false)
    await seedDemoWorkflow(db, panelId, options.files ?? temporaryFileStore());
  // Last, so the workflow's requests went through the signing official first (one still waits):
  // from now on the demo researcher's requests go straight to the committees.
  await issueDemoLibraryCard(db, signingOfficial, researcher.userId);
}

/**
 * A synthetic cohort for the demo panel, large enough that counts show real numbers rather
 * than "<20": generated, then brought in through the same import and ingest paths a steward uses.
 */
async function seedDemoGenomics(
  db: Database,
  actor: SystemActor,
  datasetId: string,
  cohort: DemoCohort,
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-demo-'));
  try {
    const truth = await generateSyntheticCohort({
      participants: cohort.participants,
      variants: 3_000,
      // 20 calls a person, as the default 2,000 people with 40,000 calls.
      calls: cohort.participants * 20,
      seed: cohort.seed,
      outDir: dir,
    });
    await importParticipants(db, actor, path.join(dir, truth.participantsFile), DEMO_SITE);
    for (const file of truth.vcfFiles)
      await ingestVcf(db, actor, { datasetId, path: path.join(dir, file.file) });
    await ingestPhenotypes(db, actor, {
      datasetId,
      path: path.join(dir, truth.phenotypesFile),
      format: 'phenotypes',
    });
    // The demo patient joins the panel with a few phenotypes (no genotypes), so studies drawing
    // on the panel ask them too and the participant's inbox and data-use pages have something real.
    const patientFile = path.join(dir, 'demo-patient-phenotypes.tsv');
    fs.writeFileSync(
      patientFile,
      [
        'participant\tterm\tstatus',
        ...DEMO_PATIENT_PHENOTYPES.map((term) => `${DEMO_PATIENT_PSEUDONYM}\t${term}\tpresent`),
      ].join('\n') + '\n',
    );
    await ingestPhenotypes(db, actor, { datasetId, path: patientFile, format: 'phenotypes' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
