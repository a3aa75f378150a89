import type { Database } from '../../db/database.js';
import { ConflictError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import type { Actor } from '../actors/actor.js';
import { CohortCriteriaSchema, type CohortCriteria } from '../cohorts/cohort-criteria.js';
import type { CohortCounter } from '../cohorts/cohort-counter.js';
import { criteriaForAudit } from '../cohorts/criteria-limits.js';
import { signResearcherStatusVisa } from '../grants/passport/visa.js';
import { assertCanCountNetwork } from './federation.policy.js';
import type { MemberRegistry } from './member-registry.js';
import { beaconCountRequest } from './network-query.js';
import { noAnswer, readSiteAnswer, type SiteAnswer } from './site-answer.js';

/** A network query visa lives this long: enough for one fan-out, too short to keep. */
const VISA_SECONDS = 120;
/** The longest answer body read from a site. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** One site's row in a federated count. */
export interface SiteCount extends SiteAnswer {
  memberId: string;
  name: string;
  /** True for this institution's own figure (counted locally, not over HTTP). */
  home: boolean;
  /** How long the site took, in milliseconds. */
  elapsedMs: number;
}

/** The network total, built only from what each site showed. */
export interface NetworkTotal {
  /** The sum of the figures shown (suppressed sites add nothing to it). */
  count: number;
  /** At least this many match: the sum plus one per suppressed site. */
  atLeast: number;
  /** "1,234", or "at least 1,236" when some site suppressed its figure. */
  display: string;
  /** False when a site did not answer, refused or misbehaved: the total misses its people. */
  complete: boolean;
}

/** A federated count: each site's figure and the total. */
export interface NetworkCount {
  sites: SiteCount[];
  total: NetworkTotal;
}

/** What a federated count needs. */
export interface FederatedCountDeps {
  db: Database;
  counter: CohortCounter;
  registry: MemberRegistry;
  /** This server's Passport issuer (`PUBLIC_URL`): the visas it signs name it. */
  issuer: string;
  /** How long each site may take (default 3 s); a slower site is shown as no answer. */
  timeoutMs?: number;
}

/**
 * Counts a cohort across the network: here, through this site's own counter, and at every
 * other active member, through its Beacon (`/individuals`, the member's URL in the chain
 * registry), each sent with a short-lived ResearcherStatus visa this site signs for the
 * researcher and addresses to that Beacon alone. Every site applies its own protection; the
 * total is the sum of what the sites showed, so no site's suppression or noise can be undone by
 * subtracting. Sites are asked in parallel and each has `timeoutMs`: one that is down or slow is
 * "no answer" and never holds up the rest. Audited here as `network.count` with each site's
 * shown figure (each answering site audits its own `beacon.query`).
 */
export async function countAcrossNetwork(
  deps: FederatedCountDeps,
  actor: Actor | null,
  input: { criteria: unknown },
): Promise<NetworkCount> {
  assertCanCountNetwork(actor);
  const criteria: CohortCriteria = parseInput(CohortCriteriaSchema, input.criteria);
  const body = beaconCountRequest(criteria);
  const self = await deps.registry.self();
  if (!self) throw new ConflictError('This institution is not a member of the network');
  const peers = await deps.registry.peers();
  const timeoutMs = deps.timeoutMs ?? 3_000;
  const { minCellCount } = deps.counter.settings;

  // One unit of the daily budget for the whole fan-out (a network count is one question),
  // spent before any site is asked; committed on its own, so a refusal still counts.
  await deps.db.transaction((tx) => deps.counter.spendBudget(tx, actor.userId));
  // The sites are asked outside any transaction: a slow site must not hold a connection (on
  // PGlite, the only one).
  const remote = await Promise.all(
    peers.map(async (peer): Promise<SiteCount> => {
      const t0 = Date.now();
      const answer = await askSite(deps, actor.userId, peer.beacon_url, body, {
        timeoutMs,
        minCellCount,
      });
      return {
        memberId: peer.id,
        name: peer.name,
        home: false,
        elapsedMs: Date.now() - t0,
        ...answer,
      };
    }),
  );
  const index = await deps.counter.index();
  return deps.db.transaction(async (tx) => {
    const started = Date.now();
    const protect = await deps.counter.protector(tx, actor.userId);
    const members = index.members(criteria);
    let home: SiteCount;
    try {
      const shown = protect(members);
      home = {
        memberId: self.id,
        name: self.name,
        home: true,
        elapsedMs: Date.now() - started,
        status: shown.count === null ? 'suppressed' : 'counted',
        count: shown.count,
        display: shown.display,
        detail: shown.count === null ? 'fewer participants match than this site shows' : null,
      };
    } finally {
      members.dispose();
    }
    const sites = [home, ...remote];
    const total = networkTotal(sites);
    await appendAuditEvent(tx, actor, {
      action: 'network.count',
      targetType: 'cohort',
      payload: {
        ...criteriaForAudit(criteria),
        shown: total.display,
        sites: sites.map((s) => ({ member: s.memberId, status: s.status, shown: s.display })),
      },
    });
    return { sites, total };
  });
}

/** Sums what the sites showed; a suppressed site adds at least one. */
export function networkTotal(sites: SiteAnswer[]): NetworkTotal {
  const count = sites.reduce((sum, s) => sum + (s.status === 'counted' ? (s.count ?? 0) : 0), 0);
  const suppressed = sites.filter((s) => s.status === 'suppressed').length;
  const atLeast = count + suppressed;
  const format = (n: number) => n.toLocaleString('en-US');
  return {
    count,
    atLeast,
    display: suppressed ? `at least ${format(atLeast)}` : format(count),
    complete: sites.every((s) => s.status === 'counted' || s.status === 'suppressed'),
  };
}

async function askSite(
  deps: FederatedCountDeps,
  subject: string,
  beaconUrl: string,
  body: unknown,
  limits: { timeoutMs: number; minCellCount: number },
): Promise<SiteAnswer> {
  const now = new Date();
  const visa = await signResearcherStatusVisa(deps.db, {
    subject,
    issuer: deps.issuer,
    source: deps.issuer,
    asserted: now,
    now,
    expiresAt: new Date(now.getTime() + VISA_SECONDS * 1000),
    audience: beaconUrl,
  });
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    const response = await fetch(`${beaconUrl.replace(/\/+$/, '')}/individuals`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${visa}`,
      },
      body: JSON.stringify(body),
      signal,
      redirect: 'error',
    });
    const text = await response.text();
    if (text.length > MAX_ANSWER_BYTES)
      return readSiteAnswer(response.status, null, limits.minCellCount);
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return readSiteAnswer(response.status, json, limits.minCellCount);
  } catch (error) {
    if (signal.aborted) return noAnswer(`no answer within ${limits.timeoutMs} ms`);
    return noAnswer(`could not be reached (${(error as Error).message})`);
  }
}
