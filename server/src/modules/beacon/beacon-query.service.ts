import { inArray } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { requestViewer } from '../../http/request-viewer.js';
import { hasRole } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { RateLimitedError } from '../../errors/app-errors.js';
import { CohortCriteriaSchema, type CohortCriteria } from '../cohorts/cohort-criteria.js';
import type { CohortIndex } from '../cohorts/cohort-index.js';
import type { CohortCounter } from '../cohorts/cohort-counter.js';
import type { ProtectedCount } from '../cohorts/count-privacy.js';
import { criteriaForAudit } from '../cohorts/criteria-limits.js';
import { datasets } from '../datasets/datasets.tables.js';
import { criteriaFromFilters } from './beacon-filters.js';
import { BeaconRequestError } from './beacon-request-error.js';
import type { BeaconQueryInput } from './beacon-request.js';
import { DEFAULT_MEMBER_BUDGET_PER_DAY, spendMemberBudget } from './beacon-member-budget.js';
import {
  publicClientKey,
  tallyPublicHit,
  tallyPublicQuery,
  type PublicTierLimits,
} from './beacon-public-tally.js';
import { criteriaFromRequestParameters } from './beacon-variant-parameters.js';
import type { BeaconEntryType } from './beacon-vocabulary.js';
import type { NetworkCallerCheck } from './network-callers.js';
import type { VisaChecker } from './visa-checker.js';

/** What answering a query needs. */
export interface BeaconQueryDeps {
  db: Database;
  counter: CohortCounter;
  visas: VisaChecker;
  /** Per-client limits of the public tier. */
  publicLimits: PublicTierLimits;
  /** The time the public tally counts in (tests pin it). */
  now: () => Date;
  /** Recognises queries other network members send for their researchers; none by default. */
  network?: NetworkCallerCheck;
  /** Queries each other member may send per UTC day (its own budget here); default 1,000. */
  memberBudgetPerDay?: number;
}

/** One visa-granted dataset's answer. */
export interface DatasetAnswer {
  id: string;
  name: string;
  exists: boolean;
  count: ProtectedCount;
}

/** A query's answer, protected, before it is dressed as a Beacon response. */
export interface BeaconAnswer {
  exists: boolean;
  /** `count` when some figure is shown, else `boolean` (never `record`: no records leave). */
  returnedGranularity: 'boolean' | 'count';
  /** The protected total when the caller is a registered user who asked for counts. */
  total: ProtectedCount | null;
  /** Per-dataset answers for the caller's visa-granted datasets, when asked for. */
  resultSets: DatasetAnswer[] | null;
  /** Why the answer is less detailed than asked, for the response's `info`. */
  notes: string[];
}

// Roles that count cohorts through GraphQL may count through the Beacon too.
const COUNTING_ROLES = ['researcher', 'ethics_board', 'steward', 'admin'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Noise and guard key of callers known only by their visas: all of them share one key, so a
// second passport cannot buy fresh noise for the same set.
const VISA_ONLY_KEY = 'beacon:visa';
// Guard and noise key of the public tier: every anonymous client shares it, so a new address
// buys no fresh answers for a set near one the public was already answered about.
const PUBLIC_KEY = 'beacon:public';
// Guard and noise key of every query other members send: one key for the whole network, so an
// attacker who holds accounts at two member sites buys no fresh noise or guard history by
// asking through the second (a differencing attack spread over two sites).
const NETWORK_KEY = 'beacon:network';

/** Criteria of a query, and whether they came from variant parameters, filters or both. */
function criteriaOf(
  entryType: BeaconEntryType,
  input: BeaconQueryInput,
  deps: { ontology: Parameters<typeof criteriaFromFilters>[1] },
): { criteria: CohortCriteria; variantPart: boolean; filterPart: boolean } {
  const fromParameters = criteriaFromRequestParameters(input.requestParameters);
  const fromFilters = criteriaFromFilters(input.filters, deps.ontology);
  const criteria: CohortCriteria = { ...fromParameters, ...fromFilters };
  if (entryType === 'genomicVariant' && !criteria.variants && !criteria.regions && !criteria.genes)
    throw new BeaconRequestError(
      'A g_variants query needs referenceName and start with referenceBases and alternateBases (or end), or geneId',
    );
  const checked = CohortCriteriaSchema.safeParse(criteria);
  if (!checked.success)
    throw new BeaconRequestError(
      checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  return {
    criteria: checked.data,
    variantPart: Boolean(fromParameters.variants ?? fromParameters.regions ?? fromParameters.genes),
    filterPart: Boolean(fromFilters.phenotypes ?? fromFilters.diseases ?? fromFilters.sex),
  };
}

async function grantedDatasets(
  deps: BeaconQueryDeps,
  request: Request,
  restrictTo: string[] | null | undefined,
  networkGranted: readonly string[],
): Promise<{ id: string; name: string }[]> {
  const own = networkGranted.length ? [] : [...(await deps.visas(request))];
  const granted = [...own, ...networkGranted].filter(
    (id) => UUID.test(id) && (!restrictTo || restrictTo.includes(id)),
  );
  if (!granted.length) return [];
  const rows = await deps.db
    .select({ id: datasets.id, name: datasets.name })
    .from(datasets)
    .where(inArray(datasets.id, granted));
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Answers a Beacon query by security tier (Beacon v2: PUBLIC, REGISTERED, CONTROLLED).
 * - Public (anonymous callers and signed-in participants): `exists` only; variant parameters or
 *   filters, never both; `exists` is true only when at least minCellCount participants match
 *   (through the shared differencing guard, under one key for all public callers); limited per
 *   client per minute and per day, and audited as one event per client and minute.
 * - Registered (researcher, ethics board, steward, admin): with `count`, the total protected
 *   exactly as cohortCount protects it, within the same daily budget, through the same counter.
 * - Controlled: datasets the caller's visas grant get their own protected count as result sets.
 * Registered and controlled queries are audited one by one as `beacon.query` with what was
 * shown, never the true figures.
 */
export async function answerBeaconQuery(
  deps: BeaconQueryDeps,
  request: Request,
  entryType: BeaconEntryType,
  input: BeaconQueryInput,
  clientAddress: string,
): Promise<BeaconAnswer> {
  // Synced before the transaction opens: PGlite has one connection (see countCohort).
  const index = await deps.counter.index();
  const { criteria, variantPart, filterPart } = criteriaOf(entryType, input, {
    ontology: index.ontologyGraph(),
  });
  const network = deps.network ? await deps.network(request) : null;
  if (network && 'refused' in network) {
    // Committed before the refusal is thrown: a forged or stale visa leaves a trace.
    await deps.db.transaction((tx) =>
      appendAuditEvent(tx, null, {
        action: 'beacon.network_refused',
        targetType: 'beacon',
        targetId: entryType,
        payload: { reason: network.refused },
      }),
    );
    throw new BeaconRequestError(`Network visa refused: ${network.refused}`, 403);
  }
  const networkCaller = network?.caller ?? null;
  if (networkCaller) await spendNetworkBudget(deps, networkCaller.memberId);
  const viewer = networkCaller ? null : await requestViewer(deps.db, request);
  // A member vouches for its researcher: they count as a registered user of this beacon, under
  // this beacon's own protection (threshold, noise, guard).
  const registered = hasRole(viewer, ...COUNTING_ROLES) || networkCaller !== null;
  const granted = await grantedDatasets(
    deps,
    request,
    criteria.datasets,
    networkCaller?.datasets ?? [],
  );
  const notes: string[] = [];
  if (input.requestedGranularity === 'record')
    notes.push('record granularity is not served: no record-level data leaves this beacon');
  if (!registered && granted.length === 0) {
    if (variantPart && filterPart)
      throw new BeaconRequestError(
        'Public queries use variant parameters or filters, not both; combining them needs a registered account',
        403,
      );
    return answerPublicQuery(deps, index, criteria, clientAddress, notes);
  }
  const countMode = input.requestedGranularity !== 'boolean';

  return deps.db.transaction(async (tx) => {
    const members = index.members(criteria);
    try {
      const exists = members.size > 0;
      let total: ProtectedCount | null = null;
      let resultSets: DatasetAnswer[] | null = null;
      if (countMode) {
        if (viewer) await deps.counter.spendBudget(tx, viewer.userId);
        const protect = await deps.counter.protector(
          tx,
          viewer?.userId ?? (networkCaller ? NETWORK_KEY : VISA_ONLY_KEY),
        );
        if (registered) total = protect(members);
        if (granted.length && input.includeResultsetResponses !== 'NONE') {
          resultSets = [];
          for (const d of granted) {
            const set = index.members({ ...criteria, datasets: [d.id] });
            try {
              const answer = { id: d.id, name: d.name, exists: set.size > 0, count: protect(set) };
              const wanted =
                input.includeResultsetResponses === 'ALL' ||
                (input.includeResultsetResponses === 'HIT') === answer.exists;
              if (wanted) resultSets.push(answer);
            } finally {
              set.dispose();
            }
          }
        }
      }
      const shownSomeCount =
        total?.count != null || (resultSets ?? []).some((r) => r.count.count !== null);
      if (total && total.count === null)
        notes.push(
          `count suppressed: fewer than ${deps.counter.settings.minCellCount} participants match (${total.display})`,
        );
      const answer: BeaconAnswer = {
        exists,
        returnedGranularity: shownSomeCount ? 'count' : 'boolean',
        total,
        resultSets,
        notes,
      };
      await appendAuditEvent(tx, viewer, {
        action: 'beacon.query',
        targetType: 'beacon',
        targetId: entryType,
        payload: {
          entryType,
          ...criteriaForAudit(criteria),
          requestedGranularity: input.requestedGranularity,
          returnedGranularity: answer.returnedGranularity,
          shown: total ? total.display : exists ? 'exists' : 'none',
          resultSets: (resultSets ?? []).map((r) => ({ dataset: r.id, shown: r.count.display })),
          ...(networkCaller
            ? { network: { member: networkCaller.memberId, subject: networkCaller.subject } }
            : {}),
        },
      });
      return answer;
    } finally {
      members.dispose();
    }
  });
}

/**
 * Spends one unit of the calling member's daily budget here, in its own transaction so that a
 * refusal stays counted and audited; throws 429 naming the member when it is spent.
 */
async function spendNetworkBudget(deps: BeaconQueryDeps, memberId: string): Promise<void> {
  const perDay = deps.memberBudgetPerDay ?? DEFAULT_MEMBER_BUDGET_PER_DAY;
  const left = await deps.db.transaction((tx) =>
    spendMemberBudget(tx, memberId, perDay, deps.now()),
  );
  if (left === null)
    throw new BeaconRequestError(
      `${memberId} has used its ${perDay} queries for today at this site; its budget renews at 00:00 UTC`,
      429,
    );
}

/** The public tier: a thresholded, guarded boolean, rate-limited and tallied per client. */
async function answerPublicQuery(
  deps: BeaconQueryDeps,
  index: CohortIndex,
  criteria: CohortCriteria,
  clientAddress: string,
  notes: string[],
): Promise<BeaconAnswer> {
  const { minCellCount } = deps.counter.settings;
  notes.push(
    `public tier: exists is true only when at least ${minCellCount} participants match; counts need a registered account or a visa`,
  );
  const digest = criteriaForAudit(criteria).criteriaDigest as string;
  const outcome = await deps.db.transaction(
    async (tx): Promise<{ wait: number } | { exists: boolean }> => {
      const client = await publicClientKey(tx, clientAddress);
      const now = deps.now();
      const wait = await tallyPublicQuery(tx, client, digest, deps.publicLimits, now);
      if (wait !== null) return { wait };
      const members = index.members(criteria);
      try {
        const shown = (await deps.counter.protector(tx, PUBLIC_KEY))(members);
        const exists = shown.count !== null && shown.count > 0;
        if (exists) await tallyPublicHit(tx, client, now);
        return { exists };
      } finally {
        members.dispose();
      }
    },
  );
  // Thrown after the commit, so the refusal itself stays counted.
  if ('wait' in outcome) throw new RateLimitedError(outcome.wait);
  return {
    exists: outcome.exists,
    returnedGranularity: 'boolean',
    total: null,
    resultSets: null,
    notes,
  };
}
