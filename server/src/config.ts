import path from 'node:path';
import { z } from 'zod';
import { secretsKeySourceFromEnv, type SecretsKeySource } from './lib/secrets-keyring.js';
import { identitySettingsFromEnv, type IdentitySettings } from './lib/identity-settings.js';

/** When consent requests go out (CONSENT_REQUESTS_WHEN); a single setting that may move per DAC. */
export const CONSENT_REQUEST_TIMINGS = ['after_approval', 'before_decision'] as const;
export type ConsentRequestTiming = (typeof CONSENT_REQUEST_TIMINGS)[number];

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  // Production unless told otherwise: `npm start` (the demo) sets development itself.
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  DATABASE_URL: z.string().url().optional(),
  // Named prepared statements on the PostgreSQL server (db/prepared-statements.ts).
  DATABASE_PREPARE: boolish.default(true),
  DATA_DIR: z.string().default('.data'),
  SECRETS_KEY: z.string().min(1).optional(),
  SECRETS_KEY_FILE: z.string().min(1).optional(),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  WEB_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  WEB_ORIGIN: z.string().url().optional(),
  PUBLIC_URL: z.string().url().optional(),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  COOKIE_SECURE: boolish.optional(),
  // `true`/`false` for one/no proxy, or the number of reverse proxies in front of the API.
  TRUST_PROXY: z
    .union([boolish.transform((v) => (v ? 1 : 0)), z.coerce.number().int().min(0).max(10)])
    .default(0),
  PORTAL_FORWARD_SECRET: z
    .string()
    .min(32, { message: 'must be at least 32 characters' })
    .optional(),
  UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(10_240).default(256),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  DEMO_SEED: boolish.optional(),
  DEMO_COHORT_SEED: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(2026),
  DEMO_COHORT_SIZE: z.coerce.number().int().min(1).max(100_000).default(2_000),
  CHAIN_RELAY: boolish.default(true),
  MIN_CELL_COUNT: z.coerce.number().int().min(1).max(1_000).default(20),
  COUNT_NOISE_RANGE: z.coerce.number().int().min(0).max(50).default(3),
  COUNT_QUERY_BUDGET_PER_DAY: z.coerce.number().int().min(1).default(500),
  BEACON_PUBLIC_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  FEDERATION_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  FEDERATION_MEMBER_BUDGET_PER_DAY: z.coerce.number().int().min(1).default(1_000),
  BEACON_PUBLIC_PER_DAY: z.coerce.number().int().min(1).default(1_000),
  AUDIT_BATCH_MAX_EVENTS: z.coerce.number().int().min(1).max(10_000).default(1_000),
  AUDIT_BATCH_MAX_WAIT_MS: z.coerce.number().int().min(0).default(2_000),
  REVIEW_QUORUM: z.coerce.number().int().min(1).max(50).default(2),
  REVIEW_CHAIR_EMAIL: z.string().email().optional(),
  /**
   * When studies ask participants whose consent says "ask": after the board approves (the
   * default: nobody is troubled about a study that may be rejected), or as soon as the study is
   * submitted, so the board sees the response rate while it decides.
   */
  CONSENT_REQUESTS_WHEN: z.enum(CONSENT_REQUEST_TIMINGS).default('after_approval'),
  GRANT_DEFAULT_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  /** The largest document (IRB letter, other evidence) a request may carry. */
  DOCUMENT_MAX_MB: z.coerce.number().int().min(1).max(100).default(10),
  /** The largest genotype file a participant may upload (a 23andMe file is about 25 MB). */
  GENOTYPE_UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(1_024).default(64),
  /** A UCSC chain file (hg19ToHg38.over.chain.gz) to convert GRCh37 uploads; unset refuses them. */
  LIFTOVER_CHAIN_GRCH37_TO_GRCH38: z.string().min(1).optional(),
  /** How long a request's documents are kept after its decision (default: 7 years). */
  DOCUMENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(2_555),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('Consentome <no-reply@consentome.local>'),
  /** Development and browser tests only: write e-mail as JSON files here instead of sending. */
  MAIL_OUTBOX_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

/** Validated runtime configuration; every environment variable the server reads is here. */
export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  databaseUrl: string | undefined;
  /** Run queries as prepared statements on the PostgreSQL server (off behind an old PgBouncer). */
  databasePrepare: boolean;
  dataDir: string;
  /** The key that encrypts server_secrets: SECRETS_KEY, else the key file (DATA_DIR/secrets.key). */
  secretsKey: SecretsKeySource;
  apiHost: string;
  apiPort: number;
  webPort: number;
  webOrigin: string;
  /** The passkey relying party (portal origin, RP id = its host name). */
  webauthn: { origin: string; rp_id: string };
  /** The API's public origin: the issuer of visas and passports (their jku points below it). */
  publicUrl: string;
  sessionTtlMs: number;
  cookieSecure: boolean | undefined;
  /** Reverse proxies in front of the API whose X-Forwarded-For / -Proto are trusted (0: none). */
  trustedProxies: number;
  /** Shared with the portal, which signs each browser's address with it (null: not forwarded). */
  portalForwardSecret: string | null;
  /** The largest upload (VCF, phenotypes, IRB letter) in bytes; the portal uses the same figure. */
  uploadMaxBytes: number;
  loginMaxFailures: number;
  loginWindowMs: number;
  /** Seed demo data into an empty database at start-up. Defaults to on for the embedded database only. */
  demoSeed: boolean;
  /**
   * The demo's synthetic panel cohort: its random seed and size. Sites of one network seeded with
   * different values hold different people (`npm run federation:local` does).
   */
  demoCohort: { seed: number; participants: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Run the outbox relay and audit batch sealing inside this API process. */
  chainRelay: boolean;
  auditBatch: { maxEvents: number; maxWaitMs: number };
  /** Small-cell suppression, noise and the per-user daily budget of count queries. */
  countPrivacy: { minCellCount: number; noiseRange: number; budgetPerDay: number };
  /** Public-tier Beacon queries (anonymous callers): per client per minute and per day. */
  beaconPublic: { perMinute: number; perDay: number };
  /** Federated counts: how long each member site may take before it shows as "no answer". */
  /**
   * timeoutMs: how long a federated count waits for each site; memberBudgetPerDay: how many
   * queries each other member may send this site's Beacon per UTC day.
   */
  federation: { timeoutMs: number; memberBudgetPerDay: number };
  /**
   * The initial rules of the default data access committee, read once: when a database from
   * before committees starts, its board becomes the committee "Ethics board" with this quorum
   * and chair (see review/default-dac.ts). Afterwards each committee's quorum, chair and
   * voting period are managed in the portal and these are not read again. And when
   * participants are asked about a study (CONSENT_REQUESTS_WHEN).
   */
  review: { quorum: number; chairEmail: string | null; consentRequestsWhen: ConsentRequestTiming };
  /** Grant length when no dataset's TS modifier sets a shorter one. */
  grantDefaultMonths: number;
  /**
   * A request's documents: the largest accepted (bytes), and the days they are kept after the
   * request is decided or withdrawn before the workflow worker deletes them.
   */
  documents: { maxBytes: number; retentionDays: number };
  /**
   * Participants' own genotype files: the largest accepted (bytes), and the chain file that
   * converts GRCh37 files to GRCh38 (null: GRCh37 files are refused with a clear message).
   */
  genotypeUpload: { maxBytes: number; liftoverChainPath: string | null };
  /** Outbound e-mail: SMTP when set, else notifications are logged without personal data. */
  mail: { smtpUrl: string | null; from: string; outboxDir?: string | null };
  /** True when the chain is the embedded simulator (no CHAIN_RPC_URL). */
  embeddedChain: boolean;
  /** Institutional sign-in (OpenID providers) and second-factor policy. */
  identity: IdentitySettings;
}

/**
 * Reads configuration from the environment. Throws one error listing every invalid variable,
 * so a misconfigured deployment fails at start-up rather than on first use.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const webOrigin = e.WEB_ORIGIN ?? `http://127.0.0.1:${e.WEB_PORT}`;
  return {
    nodeEnv: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    databasePrepare: e.DATABASE_PREPARE,
    dataDir: path.resolve(e.DATA_DIR),
    secretsKey: secretsKeySourceFromEnv(
      { SECRETS_KEY: e.SECRETS_KEY, SECRETS_KEY_FILE: e.SECRETS_KEY_FILE },
      path.resolve(e.DATA_DIR),
    ),
    apiHost: e.API_HOST,
    apiPort: e.API_PORT,
    webPort: e.WEB_PORT,
    webOrigin,
    /** The passkey relying party: the portal's origin and its host name as RP id. */
    webauthn: webauthnOf(webOrigin),
    publicUrl: (e.PUBLIC_URL ?? `http://${e.API_HOST}:${e.API_PORT}`).replace(/\/+$/, ''),
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    cookieSecure: e.COOKIE_SECURE,
    trustedProxies: e.TRUST_PROXY,
    portalForwardSecret: e.PORTAL_FORWARD_SECRET ?? null,
    uploadMaxBytes: e.UPLOAD_MAX_MB * 1024 * 1024,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginWindowMs: e.LOGIN_WINDOW_MINUTES * 60_000,
    demoSeed: e.DEMO_SEED ?? e.DATABASE_URL === undefined,
    demoCohort: { seed: e.DEMO_COHORT_SEED, participants: e.DEMO_COHORT_SIZE },
    logLevel: e.LOG_LEVEL,
    chainRelay: e.CHAIN_RELAY,
    auditBatch: { maxEvents: e.AUDIT_BATCH_MAX_EVENTS, maxWaitMs: e.AUDIT_BATCH_MAX_WAIT_MS },
    embeddedChain: !env.CHAIN_RPC_URL,
    review: {
      quorum: e.REVIEW_QUORUM,
      chairEmail: e.REVIEW_CHAIR_EMAIL?.toLowerCase() ?? null,
      consentRequestsWhen: e.CONSENT_REQUESTS_WHEN,
    },
    grantDefaultMonths: e.GRANT_DEFAULT_MONTHS,
    genotypeUpload: {
      maxBytes: e.GENOTYPE_UPLOAD_MAX_MB * 1024 * 1024,
      liftoverChainPath: e.LIFTOVER_CHAIN_GRCH37_TO_GRCH38
        ? path.resolve(e.LIFTOVER_CHAIN_GRCH37_TO_GRCH38)
        : null,
    },
    documents: {
      maxBytes: e.DOCUMENT_MAX_MB * 1024 * 1024,
      retentionDays: e.DOCUMENT_RETENTION_DAYS,
    },
    mail: { smtpUrl: e.SMTP_URL ?? null, from: e.MAIL_FROM, outboxDir: e.MAIL_OUTBOX_DIR ?? null },
    countPrivacy: {
      minCellCount: e.MIN_CELL_COUNT,
      noiseRange: e.COUNT_NOISE_RANGE,
      budgetPerDay: e.COUNT_QUERY_BUDGET_PER_DAY,
    },
    beaconPublic: { perMinute: e.BEACON_PUBLIC_PER_MINUTE, perDay: e.BEACON_PUBLIC_PER_DAY },
    federation: {
      timeoutMs: e.FEDERATION_TIMEOUT_MS,
      memberBudgetPerDay: e.FEDERATION_MEMBER_BUDGET_PER_DAY,
    },
    identity: identitySettingsFromEnv(env, webOrigin),
  };
}

/** The WebAuthn relying party of a portal origin (the RP id is its host name). */
export function webauthnOf(webOrigin: string): { origin: string; rp_id: string } {
  const url = new URL(webOrigin);
  return { origin: url.origin, rp_id: url.hostname };
}
