import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/query-rows.js';
import {
  approve,
  mutate,
  openAccessFixture,
  type AccessFixture,
  completeApplication,
  researcherWithCard,
} from '../../test/access-fixture.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { recordCohortChange } from '../cohort-changes/cohort-changes.js';
import { countQueries } from '../cohorts/cohorts.tables.js';
import { phenotypeObservations } from '../datasets/ingest/ingest.tables.js';
import { participants } from '../participants/participants.tables.js';
import { beaconRoute } from '../beacon/beacon-route.js';
import { consentRequests } from './studies.tables.js';

type Figure = { count: number | null; display: string };
interface Cohort {
  permitted: Figure;
  ask: Figure;
  excluded: Figure;
  exact: boolean;
  frozenAt: string | null;
}

const COHORT = `query($id: ID!) { study(id: $id) { status cohort {
  permitted { count display } ask { count display } excluded { count display } exact frozenAt } } }`;

/**
 * Issue #11 (2) and #12 (3): a researcher's own study summary showed exact figures (no noise,
 * guard or budget, withdrawn studies too), so two studies differing by one person revealed that
 * person's consent class; and each door kept its own differencing guard. Now every door counts
 * through the one counter, and closed studies show frozen figures.
 */
describe(`study cohort figures and the one counter (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let female: Record<string, unknown>;

  /** Gives one cohort member a phenotype (a leaf term) nobody else has; answers the term. */
  async function markOne(participantId: string): Promise<string> {
    const [term] = await queryRows<{ curie: string }>(
      f.db.db,
      sql`select curie from ontology_terms where curie like 'HP:%'
          and curie not in (select term from phenotype_observations)
          and curie not in (select parent from ontology_parents) order by curie limit 1`,
    );
    const [p] = await f.db.db
      .select({ num: participants.num })
      .from(participants)
      .where(eq(participants.id, participantId));
    await f.db.db.transaction(async (tx) => {
      await tx
        .insert(phenotypeObservations)
        .values({ participantId, term: term!.curie, present: true });
      await recordCohortChange(tx, 'participant', p!.num);
      // Observed terms are reloaded with the ontology (as after an ingest).
      await recordCohortChange(tx, 'ontology', 'test');
    });
    return term!.curie;
  }

  async function createAndSubmit(token: string, criteria: Record<string, unknown>) {
    const created = await mutate(f, token, 'createStudy(input: $input)', 'id', {
      input: {
        title: 'Differencing by study',
        laySummary: 'A plain summary that participants read before deciding anything at all.',
        purpose: { primary: 'HMB', commercial: false },
        cohortCriteria: criteria,
        datasetIds: [f.panelId],
      },
    });
    const id = (created.data as { id: string }).id;
    await completeApplication(f, token, id);
    const submitted = await mutate(f, token, 'submitStudy(id: $id)', 'id', { id });
    expect(submitted.__typename).toBe('MutationSubmitStudySuccess');
    return id;
  }

  async function cohortOf(id: string, token: string): Promise<Cohort> {
    const res = await f.gql<{ study: { cohort: Cohort } }>(COHORT, { id }, { token });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.study.cohort;
  }

  async function someMember(studyId: string): Promise<string> {
    const rows = await f.db.db
      .select({ participantId: consentRequests.participantId })
      .from(consentRequests)
      .where(eq(consentRequests.studyId, studyId))
      .limit(5);
    return rows.at(-1)!.participantId;
  }

  beforeAll(async () => {
    f = await openAccessFixture();
    female = { datasets: [f.panelId], sex: 'female', ageMin: 40, ageMax: 60 };
  }, 180_000);
  afterAll(() => f.dispose());

  it('two studies that differ by one person do not reveal that person’s consent class; the board still sees exact figures', async () => {
    // Researchers who submit straight to the committees, as the demo researcher does.
    const { token } = await researcherWithCard(f);
    const first = await createAndSubmit(token, female);
    const target = await someMember(first);
    const term = await markOne(target);
    const second = await createAndSubmit(token, { ...female, not: { phenotypes: [term] } });
    const [a, b] = [await cohortOf(first, token), await cohortOf(second, token)];
    // The board's exact figures show the attack works on raw numbers: one fewer "ask".
    const [exactA, exactB] = [
      await cohortOf(first, f.tokens.ethics),
      await cohortOf(second, f.tokens.ethics),
    ];
    expect(exactA.exact).toBe(true);
    expect(exactA.ask.count! - exactB.ask.count!).toBe(1);
    expect(exactA.permitted.count).toBe(exactB.permitted.count);
    expect(exactA.excluded.count).toBe(exactB.excluded.count);
    // The researcher sees no difference in any class.
    expect(a.exact).toBe(false);
    expect(b.ask.display).toBe(a.ask.display);
    expect(b.permitted.display).toBe(a.permitted.display);
    expect(b.excluded.display).toBe(a.excluded.display);
    // And the figures are protected as cohortCount protects them: within the noise, not exact.
    expect(Math.abs(a.ask.count! - exactA.ask.count!)).toBeLessThanOrEqual(3);
  });

  it('figures freeze when a study is withdrawn or decided: later changes and reads move nothing, and frozen reads spend no budget', async () => {
    const { user, token } = await researcherWithCard(f);
    const withdrawn = await createAndSubmit(token, { ...female, ageMin: 41 });
    const live = await cohortOf(withdrawn, token);
    expect(live.frozenAt).toBeNull();
    const done = await mutate(f, token, 'withdrawStudy(id: $id)', 'status', { id: withdrawn });
    expect(done.__typename).toBe('MutationWithdrawStudySuccess');
    const frozen = await cohortOf(withdrawn, token);
    const frozenForBoard = await cohortOf(withdrawn, f.tokens.ethics);
    expect(frozen.frozenAt).not.toBeNull();
    expect(frozen.ask.display).toBe(live.ask.display);
    // A member leaves the platform: live figures would drop by one; frozen ones stay.
    const leaving = await someMember(withdrawn);
    await f.db.db.transaction(async (tx) => {
      const [p] = await tx
        .update(participants)
        .set({ status: 'withdrawn', withdrawnAt: new Date() })
        .where(eq(participants.id, leaving))
        .returning({ num: participants.num });
      await recordCohortChange(tx, 'participant', p!.num);
    });
    const spent = async () =>
      (
        await f.db.db
          .select({ n: count() })
          .from(countQueries)
          .where(and(eq(countQueries.userId, user.id)))
      )[0]!.n;
    const before = await spent();
    expect(await cohortOf(withdrawn, token)).toEqual(frozen);
    expect(await cohortOf(withdrawn, f.tokens.ethics)).toEqual(frozenForBoard);
    expect(await spent()).toBe(before);

    // A decision freezes them too.
    const decided = await createAndSubmit(f.tokens.researcher, { ...female, ageMin: 42 });
    await approve(f, decided);
    const approved = await cohortOf(decided, f.tokens.ethics);
    expect(approved).toMatchObject({ exact: true });
    expect(approved.frozenAt).not.toBeNull();
  });

  it('alternating doors (GraphQL, then Beacon, then a study summary) gains a differencing attacker nothing', async () => {
    const { token } = await researcherWithCard(f);
    const beacon = beaconRoute({ db: f.db.db, counter: f.services.counter });
    const base = { datasets: [f.panelId], sex: 'female' };
    const probe = await createAndSubmit(f.tokens.researcher, base);
    const [t1, t2] = await f.db.db
      .select({ participantId: consentRequests.participantId })
      .from(consentRequests)
      .where(eq(consentRequests.studyId, probe))
      .limit(2);
    const term1 = await markOne(t1!.participantId);
    const term2 = await markOne(t2!.participantId);

    // 1. GraphQL: the base set without target 1.
    const graph = await f.gql<{ cohortCount: { display: string } }>(
      `query($c: CohortCriteriaInput!) { cohortCount(criteria: $c) { display } }`,
      { c: { ...base, not: { phenotypes: [term1] } } },
      { token },
    );
    const shown = graph.data!.cohortCount.display;
    expect(Number(shown)).toBeGreaterThan(20);
    // 2. Beacon: the base set itself (target 1 in).
    const response = await beacon.handler(
      new Request('http://127.0.0.1:4000/api/beacon/individuals', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          meta: { apiVersion: 'v2.0.0' },
          query: {
            requestParameters: { datasets: { datasetIds: [f.panelId] } },
            filters: ['NCIT:C16576'],
            requestedGranularity: 'count',
          },
        }),
      }),
      {},
    );
    const beaconBody = (await response.json()) as { responseSummary: { numTotalResults: number } };
    expect(String(beaconBody.responseSummary.numTotalResults)).toBe(shown);
    // 3. A study of the base set without target 2: everyone is asked, so "ask" is that set.
    const study = await createAndSubmit(token, { ...base, not: { phenotypes: [term2] } });
    expect((await cohortOf(study, token)).ask.display).toBe(shown);
  });
});
