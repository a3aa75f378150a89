import type { MemberRegistry } from '../modules/federation/member-registry.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { UserRecord } from '../modules/accounts/accounts.service.js';
import type { UserActor } from '../modules/actors/actor.js';
import type { ChainConnection } from '../modules/chain/chain-connection.js';
import type { CohortCounter } from '../modules/cohorts/cohort-counter.js';
import type { CohortEngine } from '../modules/cohorts/cohort-engine.js';
import type { IngestJobs } from '../modules/datasets/ingest/ingest-jobs.js';
import type { MailPort } from '../modules/notifications/mail-port.js';
import type { FileStore } from '../lib/file-store.js';

/**
 * What one API process holds besides its database, built once at start-up
 * (`createAppServices`) and handed to every door: GraphQL through its context, the Beacon
 * route, the CLI control socket. One cohort index, one counter with one differencing guard,
 * one set of ingest jobs.
 */
export interface AppServices {
  /** The chain this instance anchors to; null when none is connected (in-process tests). */
  chain: ChainConnection | null;
  /** The in-memory cohort index. */
  cohorts: CohortEngine;
  /** Every protected count goes through it (engine, guard, settings, budget). */
  counter: CohortCounter;
  /** Ingests started from the portal, running in this instance. */
  ingestJobs: IngestJobs;
  /** Outbound e-mail sent at once (password-reset links); notifications go through the worker. */
  mail: MailPort;
  /** Where export files live (DATA_DIR/files in the server; a temporary folder in tests). */
  files: FileStore;
  /** The network of member institutions as the chain registry holds it; null without a chain. */
  registry: MemberRegistry | null;
  /**
   * Applies the latest decisions participants signed at sites their record is linked with
   * (federation/linked-decisions.ts); called before counting, asking, granting or exporting.
   * Null without a chain.
   */
  linkedDecisions: { applyLatest(): Promise<number> } | null;
  /**
   * This process's outbox relay when it runs one (null or absent otherwise: tests, a relay run
   * elsewhere), woken after each GraphQL write commits.
   */
  relay?: { wake(): Promise<void> } | null;
}

/** A refused field, as the role gate or a service reported it. */
export interface Refusal {
  /** The response path (`participant`, `a1.user`). */
  path: string;
  code: 'FORBIDDEN' | 'NOT_FOUND';
}

/** Per-request GraphQL context. */
export interface GraphQLContext {
  db: Database;
  config: Config;
  /** The per-process services, built once at start-up (`createAppServices`). */
  services: AppServices;
  /** The signed-in user, or null for an anonymous caller. */
  viewer: UserActor | null;
  /**
   * The signed-in user's own account (also while acting for someone they represent), as the
   * session lookup read it: what `me` answers without a statement of its own. Null when anonymous.
   */
  viewerAccount: Readonly<UserRecord> | null;
  /** Identifies the client for rate limiting (address as seen, or behind a trusted proxy). */
  clientKey: string;
  /**
   * The caller's device, described briefly ("Firefox on Windows") for the sessions it opens, or
   * null when unknown; never the raw User-Agent.
   */
  device: string | null;
  /** True when the request arrived over TLS (directly or via a trusted proxy). */
  secure: boolean;
  /** Set-Cookie values the response must carry (login, logout). */
  setCookies: string[];
  /** Fields the role gate refused in this request, audited after execution. */
  refusals: Refusal[];
}
