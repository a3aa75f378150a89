import type { DatabaseHandle } from '../db/database.js';
import { migrateDatabase } from '../db/migrate.js';
import { AppError } from '../errors/app-errors.js';
import { createUser } from '../modules/accounts/accounts.service.js';
import { systemActor } from '../modules/actors/actor.js';
import { verifyAuditChain } from '../modules/audit/audit-verify.js';
import { verifyAnchors } from '../modules/chain/anchor-verify.js';
import type { ChainConnection } from '../modules/chain/chain-connection.js';
import { ChainWorker } from '../modules/chain/chain-worker.js';
import { getChainStatus } from '../modules/chain/chain-status.service.js';
import {
  DEMO_ACCOUNTS,
  DEMO_ASSISTED_ACCOUNTS,
  DEMO_CLINICIAN,
  DEMO_PASSWORD,
} from '../modules/demo/demo-accounts.js';
import { isDatabaseEmpty, seedDemo } from '../modules/demo/seed-demo.js';
import { createLogger } from '../lib/logger.js';
import {
  ingestPhenotypes,
  type PhenotypeFormat,
} from '../modules/datasets/ingest/phenotype-ingest.service.js';
import { ingestVcf } from '../modules/datasets/ingest/vcf-ingest.service.js';
import { importOntology } from '../modules/ontology/ontology-import.service.js';
import { rotateSecretsKey } from '../modules/secrets/secrets-rotation.js';
import { rewrapDocumentKeys } from '../modules/studies/study-documents.service.js';
import { importParticipants } from '../modules/participants/participant-import.service.js';
import { verifyConsentOnChain } from '../modules/chain/consent-verify.js';
import type { FileStore } from '../lib/file-store.js';

/** A CLI command that needs the database (and maybe the chain), run in-process or by a running server. */
export type CommandRequest =
  | { command: 'migrate' }
  | { command: 'seed-demo' }
  | {
      command: 'users-create';
      input: {
        email: string;
        password: string;
        displayName: string;
        role: string;
        institution?: string;
      };
    }
  | { command: 'audit-verify' }
  | { command: 'secrets-rotate-key' }
  | { command: 'chain-status' }
  | { command: 'consent-verify'; subject: string }
  | { command: 'relay-once' }
  | { command: 'ingest-vcf'; datasetId: string; path: string; sampleMap?: string }
  | { command: 'ingest-phenotypes'; datasetId: string; path: string; format: PhenotypeFormat }
  | { command: 'participants-import'; path: string }
  | { command: 'ontology-import'; path: string };

/** What a command runs against: the open database, and the chain (opened on first use). */
export interface CommandContext {
  handle: DatabaseHandle;
  chain: () => Promise<ChainConnection>;
  /** Where export files live (DATA_DIR/files): the demo seed writes an export. */
  files: FileStore;
}

/** Prints the demo accounts (the password is the public demo password, never a real secret). */
export function demoAccountLines(): string[] {
  return [
    'Demo accounts (password for all: ' + DEMO_PASSWORD + '):',
    ...DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(24)} ${a.role}`),
    `  ${DEMO_ASSISTED_ACCOUNTS.coordinator.email.padEnd(24)} consent_coordinator`,
    `  ${DEMO_CLINICIAN.email.padEnd(24)} clinician (authorised by the demo patient)`,
    `  ${DEMO_ASSISTED_ACCOUNTS.represented.email.padEnd(24)} participant (P-DEMO0002, represented)`,
    `  ${DEMO_ASSISTED_ACCOUNTS.guardian.email.padEnd(24)} participant portal: Sam's parent`,
  ];
}

async function auditVerify(ctx: CommandContext, out: (text: string) => void): Promise<number> {
  const { db } = ctx.handle;
  const result = await verifyAuditChain(db);
  if (!result.ok) {
    out(`Audit trail BROKEN at event ${result.firstBroken!.seq}: ${result.firstBroken!.reason}.`);
    out(`${result.checkedEvents} events before it verified.`);
    return 2;
  }
  out(`Audit trail intact: ${result.checkedEvents} events, head ${result.headHash}.`);
  let chain: ChainConnection;
  try {
    chain = await ctx.chain();
  } catch (error) {
    out(`Chain not reachable, anchors not checked: ${(error as Error).message}`);
    return 3;
  }
  const anchors = await verifyAnchors(db, chain.ledger);
  const chainSide = anchors.chainLatest
    ? `batch ${anchors.chainLatest.batch} up to event ${anchors.chainLatest.lastSeq}`
    : 'no batch';
  const dbSide = anchors.databaseLatest
    ? `batch ${anchors.databaseLatest.batch} up to event ${anchors.databaseLatest.lastSeq}`
    : 'no batch';
  out(`Latest anchored on chain: ${chainSide}; latest sealed in the database: ${dbSide}.`);
  if (!anchors.ok) {
    out(`Anchor MISMATCH: ${anchors.problems.length} problem(s) against the chain:`);
    for (const p of anchors.problems) out(`  batch ${p.batch}: ${p.reason}.`);
    return 2;
  }
  out(
    `Anchors verified against the chain: ${anchors.anchoredBatches} batches` +
      (anchors.pendingBatches ? ` (${anchors.pendingBatches} sealed, awaiting anchoring)` : '') +
      (anchors.unsealedEvents ? `; ${anchors.unsealedEvents} newer events not sealed yet.` : '.'),
  );
  return 0;
}

async function chainStatusLines(ctx: CommandContext, out: (text: string) => void): Promise<number> {
  let chain: ChainConnection | null = null;
  try {
    chain = await ctx.chain();
  } catch (error) {
    out(`Chain not reachable: ${(error as Error).message}`);
  }
  const s = await ctx.handle.db.transaction((tx) => getChainStatus(tx, systemActor('cli'), chain));
  if (s.chain) {
    out(`Chain      ${s.chain.kind} ${s.chain.chainId} at height ${s.chain.height}`);
    if (s.chain.contract) {
      const c = s.chain.contract;
      out(`Contract   ${c.address} (admin ${c.admin}; writers ${c.writers.join(', ') || 'none'})`);
      out(
        `On chain   ${c.consents} consents, ${c.anchors} audit anchors, ${c.grants} grants; head ${c.head}`,
      );
    }
  }
  // Also with an answering chain: a reset is reported here.
  if (s.chainError) out(`Chain      ${s.chainError}`);
  out(`Outbox     ${s.pending} pending, ${s.failed} failed, ${s.confirmed} confirmed`);
  if (s.relayError) out(`Relay      last failure of a queued item: ${s.relayError}`);
  const lag = s.oldestPendingAt
    ? ((Date.now() - s.oldestPendingAt.getTime()) / 1000).toFixed(1)
    : '0';
  out(`Lag        ${lag} s; ${s.unanchoredEvents} audit events not yet anchored`);
  if (s.lastAnchoredBatch) {
    const b = s.lastAnchoredBatch;
    out(
      `Last batch ${b.batch} (events ${b.firstSeq}-${b.lastSeq}) root ${b.merkleRoot} in tx ${b.txHash} at height ${b.height}`,
    );
  }
  return s.chain && !s.chainError ? 0 : 3;
}

/**
 * Runs one command and returns its exit code. The same function serves the CLI in-process and a
 * running server's control socket (which passes its own database and chain).
 */
export async function runDatabaseCommand(
  ctx: CommandContext,
  request: CommandRequest,
  out: (text: string) => void,
): Promise<number> {
  const { handle } = ctx;
  const { db } = handle;
  try {
    switch (request.command) {
      case 'migrate': {
        await migrateDatabase(handle);
        out(`Migrations applied (${handle.kind}).`);
        return 0;
      }
      case 'seed-demo': {
        if (!(await isDatabaseEmpty(db))) {
          out(
            'The database already has accounts; demo data is seeded only into an empty database.',
          );
          return 1;
        }
        await seedDemo(db, { files: ctx.files });
        out('Seeded demo data.');
        demoAccountLines().forEach((l) => out(l));
        return 0;
      }
      case 'users-create': {
        const user = await db.transaction((tx) =>
          createUser(tx, systemActor('cli'), request.input),
        );
        out(`Created ${user.role} ${user.email} (${user.id}).`);
        return 0;
      }
      case 'audit-verify':
        return await auditVerify(ctx, out);
      case 'secrets-rotate-key': {
        const r = await rotateSecretsKey(db, rewrapDocumentKeys);
        out(
          `Re-encrypted ${r.reencrypted} server secrets with key ${r.keyId}` +
            (r.retired.length ? `; retired ${r.retired.join(', ')}.` : '.'),
        );
        return 0;
      }
      case 'chain-status':
        return await chainStatusLines(ctx, out);
      case 'consent-verify': {
        const { ledger } = await ctx.chain();
        const verdicts = await verifyConsentOnChain(db, ledger, request.subject);
        for (const v of verdicts)
          out(`${v.status.padEnd(17)} ${v.scope} v${v.version} ${v.decision}: ${v.detail}`);
        const bad = verdicts.filter((v) => v.status === 'signature-invalid').length;
        out(
          `${verdicts.length} decisions: ${verdicts.filter((v) => v.status === 'signed').length} signed by the participant, ` +
            `${verdicts.filter((v) => v.status === 'institution').length} recorded by the institution, ` +
            `${verdicts.filter((v) => v.status === 'not-on-chain').length} not on chain, ${bad} with a signature that fails.`,
        );
        return bad ? 2 : 0;
      }
      case 'ingest-vcf': {
        let last = 0;
        const r = await ingestVcf(
          db,
          systemActor('cli'),
          { datasetId: request.datasetId, path: request.path, sampleMapPath: request.sampleMap },
          (p) => {
            if (Date.now() - last < 1_000 && !p.done) return;
            last = Date.now();
            out(
              `  ${p.percent !== undefined ? `${p.percent.toFixed(0).padStart(3)}% ` : ''}${p.records.toLocaleString('en')} records, ` +
                `${p.calls.toLocaleString('en')} calls (${Math.round(p.callsPerSecond).toLocaleString('en')} calls/s)`,
            );
          },
        );
        out(
          `Ingested ${r.fileName}: ${r.records} records, ${r.variants} variants, ${r.calls} calls, ${r.samples} samples in ${(r.elapsedMs / 1000).toFixed(1)} s.`,
        );
        if (r.withdrawnCalls)
          out(`  ${r.withdrawnCalls} calls of withdrawn participants were not stored.`);
        for (const [reason, n] of Object.entries(r.skipped))
          out(`  skipped ${n} × ${reason} (e.g. line ${r.skippedExamples[reason]?.join(', ')})`);
        return 0;
      }
      case 'ingest-phenotypes': {
        const r = await ingestPhenotypes(db, systemActor('cli'), {
          datasetId: request.datasetId,
          path: request.path,
          format: request.format,
        });
        out(
          `Ingested ${r.fileName}: ${r.observations} observations of ${r.participants} participants (${r.duplicates} duplicates dropped).`,
        );
        return 0;
      }
      case 'participants-import': {
        const r = await importParticipants(db, systemActor('cli'), request.path);
        out(`Read ${r.read} participants; registered ${r.created} new.`);
        return 0;
      }
      case 'ontology-import': {
        const r = await importOntology(db, systemActor('cli'), request.path);
        out(
          `Imported ${r.terms} terms and ${r.edges} is_a edges${r.dataVersion ? ` (${r.dataVersion})` : ''}.`,
        );
        return 0;
      }
      case 'relay-once': {
        const chain = await ctx.chain();
        const r = await new ChainWorker(db, chain.ledger, createLogger('warn', 'relay')).runOnce();
        out(
          `Sealed ${r.sealed} audit batches; ${r.confirmed} items confirmed on chain, ${r.failed} failed.`,
        );
        if (r.pending) out('The chain refused or could not take some items; they stay queued.');
        return r.pending ? 3 : 0;
      }
    }
  } catch (error) {
    if (error instanceof AppError) {
      out(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
