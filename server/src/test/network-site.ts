import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  namedAccountAddress,
  SigningConsentLedger,
  type ChainBackend,
  type EmbeddedLedger,
} from '@consentome/contracts-client';
import { createApiHandler } from '../app/api-handler.js';
import { createAppServices, type AppServices } from '../app/app-services.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { BEACON_PREFIX } from '../modules/beacon/beacon-route.js';
import { datasets } from '../modules/datasets/datasets.tables.js';
import { phenotypeObservations, samples } from '../modules/datasets/ingest/ingest.tables.js';
import { jwksUrl } from '../modules/grants/passport/jwks-url.js';
import { signingKey } from '../modules/grants/passport/signing-key.js';
import { participants } from '../modules/participants/participants.tables.js';
import { insertFixtureOntologyAndSteward } from './cohort-fixture.js';
import { createTestApi, testConfig, type TestApi } from './in-process-api.js';
import { connectionOf } from './test-chain.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** The chain a test site writes to, and the key it signs with. */
export interface SiteChain {
  kind: 'embedded' | 'real';
  backend: ChainBackend;
  ledger: SigningConsentLedger;
  contractAddress: string;
}

/** One institution of a test network: its own database and API on a loopback port. */
export interface NetworkSite {
  id: string;
  db: TestDatabase;
  config: Config;
  services: AppServices & { dispose(): void };
  /** The API origin (`PUBLIC_URL`, the Passport issuer). */
  origin: string;
  beaconUrl: string;
  /** GraphQL against this site, in process. */
  gql: TestApi;
  /** This site's chain key: the writer the registry lists for it. */
  ledger: SigningConsentLedger;
  /** What the chain registry should hold for it. */
  memberInput(): Promise<{
    id: string;
    name: string;
    writer: string;
    passport_jwks_url: string;
    passport_key_ids: string[];
    beacon_url: string;
  }>;
  /** Stops answering HTTP (the site is down); the database stays. */
  stopServing(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts one member institution on the shared embedded chain: a fresh database, its own chain
 * key (an address on the embedded chain, which signs without keys; `startNetworkSiteOn` for a
 * real chain), the API's doors on a
 * loopback port (GraphQL, JWKS, Beacon), with exact counts (no noise) so tests can state
 * figures. Admitting it to the network is the test's business.
 */
export async function startNetworkSite(
  chain: EmbeddedLedger,
  id: string,
  overrides: Partial<Config> = {},
): Promise<NetworkSite> {
  const prefix = chain.ledger.sender.slice(0, chain.ledger.sender.lastIndexOf('1'));
  const ledger = new SigningConsentLedger(
    chain.chain,
    chain.contractAddress,
    namedAccountAddress(prefix, `site-${id}`),
  );
  return startNetworkSiteOn(
    { kind: 'embedded', backend: chain.chain, ledger, contractAddress: chain.contractAddress },
    id,
    overrides,
  );
}

/**
 * `startNetworkSite` on any chain: the site signs with `chain.ledger` (on a real chain, a funded
 * key of its own) and reads through `chain.backend` (which a test may route through a proxy it
 * can cut, to partition the site from the chain).
 */
export async function startNetworkSiteOn(
  chain: SiteChain,
  id: string,
  overrides: Partial<Config> = {},
): Promise<NetworkSite> {
  const ledger = chain.ledger;
  const db = await createTestDatabase();
  let handler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = testConfig({
    publicUrl: origin,
    countPrivacy: { minCellCount: 20, noiseRange: 0, budgetPerDay: 1_000 },
    federation: { timeoutMs: 1_500, memberBudgetPerDay: 1_000 },
    ...overrides,
  });
  const connection = connectionOf(chain);
  const services = createAppServices(db.db, config, { chain: connection });
  handler = createApiHandler(db.db, config, services, connection);
  const beaconUrl = `${origin}${BEACON_PREFIX}`;
  let serving = true;
  const stopServing = async () => {
    if (!serving) return;
    serving = false;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    id,
    db,
    config,
    services,
    origin,
    beaconUrl,
    gql: createTestApi(db.db, config, services),
    ledger,
    memberInput: async () => ({
      id,
      name: `Site ${id}`,
      writer: ledger.sender,
      passport_jwks_url: jwksUrl(origin),
      passport_key_ids: [(await signingKey(db.db)).kid],
      beacon_url: beaconUrl,
    }),
    stopServing,
    close: async () => {
      await stopServing();
      services.dispose();
      await db.dispose();
    },
  };
}

/** A group of participants who share a sex and one phenotype. */
export interface PeopleGroup {
  count: number;
  sex: 'female' | 'male';
  phenotype: string;
}

/**
 * Inserts enrolled, discoverable participants in groups (one dataset, one sample each, one
 * present phenotype each) and the fixture ontology, straight into the tables: a site's data.
 * Answers the dataset's id.
 */
export async function insertPeople(db: Database, groups: PeopleGroup[]): Promise<string> {
  return db.transaction(async (tx) => {
    const stewardId = await insertFixtureOntologyAndSteward(tx);
    const datasetId = randomUUID();
    await tx.insert(datasets).values({
      id: datasetId,
      name: `site-data-${datasetId.slice(0, 8)}`,
      description: '',
      stewardId,
      duoPermission: 'GRU',
    });
    for (const group of groups) {
      const people = Array.from({ length: group.count }, () => ({
        id: randomUUID(),
        pseudonym: `P-NET-${randomUUID().slice(0, 8)}`,
        sex: group.sex,
        birthYear: 1970,
        status: 'enrolled',
        discoverable: true,
      }));
      await tx.insert(participants).values(people);
      await tx
        .insert(samples)
        .values(people.map((p) => ({ datasetId, sampleId: p.pseudonym, participantId: p.id })));
      await tx
        .insert(phenotypeObservations)
        .values(people.map((p) => ({ participantId: p.id, term: group.phenotype, present: true })));
    }
    return datasetId;
  });
}
