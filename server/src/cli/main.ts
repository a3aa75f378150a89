import path from 'node:path';
import { Command, Option } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { acquireLock, readLock } from '../app/data-dir-lock.js';
import { databaseLocation, usesEmbeddedStore } from '../app/database-location.js';
import { sendControlCommand } from '../app/control-socket.js';
import { startServer } from '../app/start-server.js';
import { migrateDatabase } from '../db/migrate.js';
import { openDatabase } from '../db/open-database.js';
import { createLogger } from '../lib/logger.js';
import { ROLES } from '../modules/actors/roles.js';
import {
  deployToRealChain,
  openChainConnection,
  type ChainConnection,
} from '../modules/chain/chain-connection.js';
import { runDatabaseCommand, type CommandRequest } from './database-commands.js';
import { readSecret } from './read-secret.js';
import { verifyConsentFile } from './verify-consent-file.js';
import { securePrivateDir } from '../app/private-data-dir.js';
import { encryptPlaintextSecrets } from '../modules/secrets/server-secrets.js';
import { installSecretsKeyring, loadSecretsKeyring } from '../lib/secrets-keyring.js';
import { generateSyntheticCohort } from '../modules/genomics/synth/generate-cohort.js';
import { dataFileStore } from '../app/data-file-store.js';

const print = (text: string) => process.stdout.write(`${text}\n`);

/**
 * Runs a command where the stores are: through a running server's control socket when it holds
 * an embedded store (PGlite, the simulated chain), otherwise on connections of our own.
 */
async function runCommand(config: Config, request: CommandRequest): Promise<number> {
  securePrivateDir(config.dataDir);
  const holder = readLock(config.dataDir);
  if (holder?.controlSocket) return sendControlCommand(holder.controlSocket, request, print);
  if (holder)
    throw new Error(
      `The data directory is in use by process ${holder.pid}; try again when it ends.`,
    );
  const release = usesEmbeddedStore(config) ? acquireLock(config.dataDir) : () => {};
  installSecretsKeyring(loadSecretsKeyring(config.secretsKey));
  const handle = await openDatabase(databaseLocation(config));
  let chain: Promise<ChainConnection> | null = null;
  try {
    if (request.command !== 'migrate') {
      await migrateDatabase(handle);
      await encryptPlaintextSecrets(handle.db);
    }
    return await runDatabaseCommand(
      {
        handle,
        files: dataFileStore(config),
        chain: () => (chain ??= openChainConnection(config.dataDir, process.env, config.webauthn)),
      },
      request,
      print,
    );
  } finally {
    const opened = chain ? await (chain as Promise<ChainConnection>).catch(() => null) : null;
    await opened?.close();
    await handle.close();
    release();
  }
}

function exitWith(promise: Promise<number>): void {
  promise.then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}

const program = new Command('consentome')
  .description('Consentome: dynamic consent and research data sharing for genomic data')
  .showHelpAfterError();

program
  .command('serve')
  .description(
    'start the GraphQL API (migrates first; seeds the demo into an empty embedded database)',
  )
  .action(async () => {
    const config = loadConfig();
    const log = createLogger(config.logLevel);
    const server = await startServer(config, log);
    const stop = () => {
      log.info('shutting down');
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(() => exitWith(runCommand(loadConfig(), { command: 'migrate' })));

program
  .command('seed')
  .description('seed data into an empty database')
  .requiredOption('--demo', 'seed the demo accounts, participants and datasets')
  .action(() => exitWith(runCommand(loadConfig(), { command: 'seed-demo' })));

const users = program.command('users').description('manage accounts');
users
  .command('create')
  .description('create an account; the password is read from CONSENTOME_PASSWORD or standard input')
  .requiredOption('--email <email>', 'e-mail address')
  .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
  .requiredOption('--name <name>', 'display name')
  .option('--institution <institution>', 'institution')
  .action((opts: { email: string; role: string; name: string; institution?: string }) =>
    exitWith(
      (async () =>
        runCommand(loadConfig(), {
          command: 'users-create',
          input: {
            email: opts.email,
            role: opts.role,
            displayName: opts.name,
            institution: opts.institution,
            password: await readSecret('CONSENTOME_PASSWORD', 'Password: '),
          },
        }))(),
    ),
  );

const audit = program.command('audit').description('the audit trail');
audit
  .command('verify')
  .description('recompute the hash chain and name the first broken event (exit 2 when broken)')
  .action(() => exitWith(runCommand(loadConfig(), { command: 'audit-verify' })));

const secrets = program.command('secrets').description('the key that encrypts server secrets');
secrets
  .command('rotate-key')
  .description(
    're-encrypt every server secret with a new key in one transaction (key file: generated; SECRETS_KEY: put the new key first)',
  )
  .action(() => exitWith(runCommand(loadConfig(), { command: 'secrets-rotate-key' })));

const ingest = program.command('ingest').description('bring data into a dataset (all or nothing)');
ingest
  .command('vcf <file>')
  .description(
    'ingest a VCF (plain, gzip or bgzip); samples are participant pseudonyms unless --sample-map is given',
  )
  .requiredOption('--dataset <id>', 'dataset id')
  .option('--sample-map <tsv>', 'TSV: VCF sample id, participant pseudonym')
  .action((file: string, opts: { dataset: string; sampleMap?: string }) =>
    exitWith(
      runCommand(loadConfig(), {
        command: 'ingest-vcf',
        datasetId: opts.dataset,
        path: path.resolve(file),
        sampleMap: opts.sampleMap ? path.resolve(opts.sampleMap) : undefined,
      }),
    ),
  );
ingest
  .command('phenotypes <file>')
  .description(
    'ingest a phenotype table (participant, term, present|absent, onset) or GA4GH Phenopackets v2 JSON',
  )
  .requiredOption('--dataset <id>', 'dataset id')
  .addOption(
    new Option('--format <format>', 'file format')
      .choices(['phenotypes', 'phenopackets'])
      .default('phenotypes'),
  )
  .action((file: string, opts: { dataset: string; format: 'phenotypes' | 'phenopackets' }) =>
    exitWith(
      runCommand(loadConfig(), {
        command: 'ingest-phenotypes',
        datasetId: opts.dataset,
        path: path.resolve(file),
        format: opts.format,
      }),
    ),
  );

program
  .command('participants')
  .description('participant records')
  .command('import <tsv>')
  .description('register participants from a table: pseudonym, sex, birth_year')
  .action((file: string) =>
    exitWith(
      runCommand(loadConfig(), { command: 'participants-import', path: path.resolve(file) }),
    ),
  );

program
  .command('ontology')
  .description('HPO and MONDO')
  .command('import <file>')
  .description('import an OBO file (terms and is_a edges; a cycle is refused)')
  .action((file: string) =>
    exitWith(runCommand(loadConfig(), { command: 'ontology-import', path: path.resolve(file) })),
  );

program
  .command('synth')
  .description(
    'write a deterministic synthetic cohort (VCF slices, participants.tsv, phenotypes.tsv, truth.json)',
  )
  .requiredOption('--participants <n>', 'participants', Number)
  .requiredOption('--variants <n>', 'variants', Number)
  .requiredOption('--calls <n>', 'non-reference calls', Number)
  .option('--seed <n>', 'seed', Number, 1)
  .option(
    '--samples-per-file <n>',
    'participants per VCF file (at a million participants: 100-500 for 10M calls, about 1,000 for 100M)',
    Number,
  )
  .option('--out <dir>', 'output directory', 'synthetic-cohort')
  .action(
    (opts: {
      participants: number;
      variants: number;
      calls: number;
      seed: number;
      samplesPerFile?: number;
      out: string;
    }) =>
      exitWith(
        (async () => {
          const started = Date.now();
          const t = await generateSyntheticCohort({
            participants: opts.participants,
            variants: opts.variants,
            calls: opts.calls,
            seed: opts.seed,
            samplesPerFile: opts.samplesPerFile,
            outDir: path.resolve(opts.out),
          });
          print(
            `Wrote ${t.vcfFiles.length} VCF file(s), ${t.participants} participants, ${t.variants} variants, ${t.calls} calls, ${t.phenotypeRows} phenotype rows to ${path.resolve(opts.out)} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
          );
          return 0;
        })(),
      ),
  );

program
  .command('relay')
  .description(
    'seal audit batches and send the chain outbox once (a running server relays by itself)',
  )
  .action(() => exitWith(runCommand(loadConfig(), { command: 'relay-once' })));

const consentCmd = program
  .command('consent')
  .description('participants’ consent records on the chain');
consentCmd
  .command('verify-file <file>')
  .description(
    'check a downloaded signed-consent bundle offline: every participant signature against the bundle’s keys (exit 2 if one fails)',
  )
  .action((file: string) => exitWith(verifyConsentFile(path.resolve(file), print)));
consentCmd
  .command('verify <pseudonym>')
  .description(
    'check every consent decision of a chain pseudonym: participant signatures against the keys on chain (exit 2 if one fails)',
  )
  .action((subject: string) =>
    exitWith(runCommand(loadConfig(), { command: 'consent-verify', subject })),
  );

const chainCmd = program.command('chain').description('the consent-ledger contract on the chain');
chainCmd
  .command('status')
  .description('chain, contract, outbox and anchoring state')
  .action(() => exitWith(runCommand(loadConfig(), { command: 'chain-status' })));
chainCmd
  .command('deploy')
  .description(
    'upload and instantiate the contract on the real chain in CHAIN_RPC_URL; prints its address',
  )
  .action(() =>
    exitWith(
      (async () => {
        const d = await deployToRealChain();
        print(
          `Deployed consent-ledger (code ${d.codeId}, checksum ${d.checksum}) on ${d.chainId}.`,
        );
        print(`CONSENT_CONTRACT_ADDRESS=${d.contractAddress}`);
        print(
          `admin ${d.admin}; writers ${d.writers.join(', ')}; instantiate tx ${d.instantiateTxHash} at height ${d.height}`,
        );
        return 0;
      })(),
    ),
  );

// Everything this process creates (the embedded database's new files, the chain log, the key
// file, uploads) is owner-only from the start, not only after the next start tightens it.
process.umask(0o077);
await program.parseAsync(process.argv);
