import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { UserActor } from '../modules/accounts/actor.js';
import type { ChainConnection } from '../modules/chain/chain-connection.js';
import type { CohortEngine } from '../modules/cohorts/cohort-engine.js';
import type { ConsentBreakdownProvider } from '../modules/cohorts/consent-breakdown.js';
import type { DifferencingGuard } from '../modules/cohorts/differencing-guard.js';
import type { IngestJobs } from '../modules/datasets/ingest/ingest-jobs.js';
import type { Refusal } from './refusal-audit.js';

/** Per-request GraphQL context. */
export interface GraphQLContext {
  db: Database;
  config: Config;
  /** The signed-in user, or null for an anonymous caller. */
  viewer: UserActor | null;
  /** Identifies the client for rate limiting (address as seen, or behind a trusted proxy). */
  clientKey: string;
  /** True when the request arrived over TLS (directly or via a trusted proxy). */
  secure: boolean;
  /** The chain this instance anchors to; null when none is connected (in-process tests). */
  chain: ChainConnection | null;
  /** The in-memory cohort index of this instance. */
  cohorts: CohortEngine;
  /** Ingests started from the portal, running in this instance. */
  ingestJobs: IngestJobs;
  /** Remembers each user's recent result sets (differencing defence). */
  countGuard: DifferencingGuard;
  /** Splits cohorts by consent for a purpose. */
  consentBreakdown: ConsentBreakdownProvider;
  /** Set-Cookie values the response must carry (login, logout). */
  setCookies: string[];
  /** Fields the role gate refused in this request, audited after execution. */
  refusals: Refusal[];
}
