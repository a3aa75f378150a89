import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUser } from '../accounts/accounts.service.js';
import { dacDatasets, dacMembers, dacs } from '../dacs/dacs.tables.js';
import { grants } from '../grants/grants.tables.js';
import { studyElections } from '../studies/studies.tables.js';
import {
  openAccessFixture,
  signIn,
  type AccessFixture,
  type Payload,
  completeApplication,
} from '../../test/access-fixture.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { reviewConflicts, reviewVotes } from './review.tables.js';

const ERR = `... on Error { message code } ... on ValidationError { fieldErrors { field message } }`;

/**
 * Two committees (the demo's: Clinical Genomics over the clinical cohorts, Population Panel over
 * the reference panel) and a request over datasets of both: one election each, each committee
 * deciding only its own datasets, and a grant over the approving committee's datasets only.
 */
describe(`data access committees (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let ids: {
    panel: string;
    rare: string;
    colorectal: string;
    clinical: string;
    population: string;
  };
  let outsider: { id: string; token: string };
  let clinicalOnly: { id: string; token: string };

  /** Runs one mutation; answers its payload (success data or typed error). */
  async function call(
    token: string,
    field: string,
    args: string,
    vars: Record<string, unknown>,
    types: string,
    selection = 'id',
  ) {
    const success = `Mutation${field[0]!.toUpperCase()}${field.slice(1)}Success`;
    const res = await f.gql<Record<string, Payload>>(
      `mutation(${types}) { ${field}(${args}) { __typename ... on ${success} { data { ${selection} } } ${ERR} } }`,
      vars,
      { token },
    );
    if (res.errors)
      return {
        __typename: 'GraphQLError',
        code: String(res.errors[0]?.extensions?.code),
        message: res.errors[0]?.message,
      } as Payload;
    return res.data![field]!;
  }
  const vote = (token: string, input: Record<string, unknown>) =>
    call(token, 'castVote', 'input: $v', { v: input }, '$v: VoteInput!', 'status');
  const declare = (token: string, input: Record<string, unknown>) =>
    call(
      token,
      'declareConflict',
      'input: $c',
      { c: input },
      '$c: DeclareConflictInput!',
      'status',
    );

  /** Every row the review writes, to show a refused input changed nothing. */
  async function reviewState() {
    const db = f.db.db;
    return JSON.stringify([
      await db.select().from(reviewVotes).orderBy(reviewVotes.id),
      await db.select().from(reviewConflicts).orderBy(reviewConflicts.memberId),
      await db.select().from(studyElections).orderBy(studyElections.id),
      await db.select().from(dacs).orderBy(dacs.id),
      await db.select().from(dacMembers).orderBy(dacMembers.dacId, dacMembers.userId),
      await db.select().from(dacDatasets).orderBy(dacDatasets.datasetId),
    ]);
  }

  async function boardAccount(email: string): Promise<{ id: string; token: string }> {
    const user = await f.db.db.transaction((tx) =>
      insertUser(
        tx,
        {
          email,
          password: 'board member password',
          role: 'ethics_board',
          displayName: email,
          institution: null,
        },
        { emailVerified: true },
      ),
    );
    return { id: user.id, token: await signIn(f.gql, email, 'board member password') };
  }

  async function submitted(datasetIds: string[]): Promise<Payload & { id?: string }> {
    const created = await call(
      f.tokens.researcher,
      'createStudy',
      'input: $i',
      {
        i: {
          title: 'Lung function across cohorts',
          laySummary:
            'We compare lung function genetics across the panel and the clinical cohorts.',
          purpose: { primary: 'HMB', commercial: false },
          // The rare disease exomes ask for collaboration with their investigators (COL).
          collaborators: ['Dr Carla Collaborator'],
          cohortCriteria: { datasets: [f.panelId], sex: 'female', ageMin: 40, ageMax: 60 },
          datasetIds,
        },
      },
      '$i: CreateStudyInput!',
    );
    const id = (created.data as { id: string }).id;
    await completeApplication(f, f.tokens.researcher, id);
    const sent = await call(
      f.tokens.researcher,
      'submitStudy',
      'id: $id',
      { id },
      '$id: ID!',
      'id',
    );
    return { ...sent, id };
  }

  beforeAll(async () => {
    f = await openAccessFixture();
    const res = await f.gql<{
      dacs: { id: string; name: string; datasets: { id: string; name: string }[] }[];
    }>(`{ dacs { id name datasets { id name } } }`, {}, { token: f.tokens.admin });
    const byName = new Map(res.data!.dacs.map((d) => [d.name, d]));
    const clinical = byName.get('Clinical Genomics DAC')!;
    const population = byName.get('Population Panel DAC')!;
    ids = {
      panel: f.panelId,
      rare: clinical.datasets.find((d) => d.name === 'Rare Disease Exomes')!.id,
      colorectal: clinical.datasets.find((d) => d.name === 'Colorectal Cancer Genomes')!.id,
      clinical: clinical.id,
      population: population.id,
    };
    expect(population.datasets.map((d) => d.id)).toEqual([f.panelId]);
    outsider = await boardAccount('outsider@board.test');
    clinicalOnly = await boardAccount('clinical@board.test');
    const added = await call(
      f.tokens.admin,
      'addDacMember',
      'dacId: $d, userId: $u',
      { d: ids.clinical, u: clinicalOnly.id },
      '$d: ID!, $u: ID!',
      'members { id }',
    );
    expect(added.__typename).toBe('MutationAddDacMemberSuccess');
  }, 180_000);
  afterAll(() => f.dispose());

  it('a request over two committees’ datasets: one approves, one rejects (a member standing aside), the grant covers only the approved datasets, the approving committee renews it, and the researcher closes it out', async () => {
    const sent = await submitted([ids.panel, ids.rare]);
    expect(sent.__typename).toBe('MutationSubmitStudySuccess');
    const studyId = sent.id!;
    const elections = await f.db.db
      .select()
      .from(studyElections)
      .where(eq(studyElections.studyId, studyId));
    expect(elections.map((e) => [e.dacId, e.datasetIds]).sort()).toEqual(
      [
        [ids.clinical, [ids.rare]],
        [ids.population, [ids.panel]],
      ].sort(),
    );

    // The queue of a member of the clinical committee only shows its election, not the other.
    const queue = await f.gql<{
      reviewElections: { dac: { name: string }; study: { id: string }; canAct: boolean }[];
    }>(
      `{ reviewElections { dac { name } study { id } canAct } }`,
      {},
      { token: clinicalOnly.token },
    );
    expect(
      queue.data!.reviewElections.filter((e) => e.study.id === studyId).map((e) => e.dac.name),
    ).toEqual(['Clinical Genomics DAC']);

    // Population Panel: both members approve (the chair among them): approved.
    for (const token of [f.tokens.ethics, f.tokens.ethics2])
      expect(
        await vote(token, {
          studyId,
          dacId: ids.population,
          vote: 'APPROVE',
          rationale: 'The panel permits health research.',
        }),
      ).toMatchObject({ data: { status: 'UNDER_REVIEW' } });
    // Clinical Genomics: a member declares a conflict and stands aside; another rejects; the chair
    // rejects and so decides (three members, quorum two, one standing aside).
    expect(
      await declare(f.tokens.ethics2, {
        studyId,
        dacId: ids.clinical,
        reason: 'I co-lead the rare disease consortium.',
      }),
    ).toMatchObject({ data: { status: 'UNDER_REVIEW' } });
    expect(
      await vote(clinicalOnly.token, {
        studyId,
        vote: 'REJECT',
        rationale: 'The families were not asked about lung research.',
      }),
    ).toMatchObject({ data: { status: 'UNDER_REVIEW' } });
    const last = await vote(f.tokens.ethics, {
      studyId,
      dacId: ids.clinical,
      vote: 'REJECT',
      rationale: 'Agree: outside what the families agreed to.',
    });
    expect(last).toMatchObject({ data: { status: 'APPROVED' } });

    const decided = await f.db.db
      .select()
      .from(studyElections)
      .where(eq(studyElections.studyId, studyId));
    expect(Object.fromEntries(decided.map((e) => [e.dacId, e.status]))).toEqual({
      [ids.population]: 'approved',
      [ids.clinical]: 'rejected',
    });
    const [grant] = await f.db.db.select().from(grants).where(eq(grants.studyId, studyId));
    expect(grant!.datasetIds).toEqual([ids.panel]);

    // Each committee's report counts its own decision.
    const reports = await f.gql<{
      dacReports: { dacId: string; categories: { approved: number; rejected: number }[] }[];
    }>(`{ dacReports { dacId categories { approved rejected } } }`, {}, { token: f.tokens.ethics });
    const decisions = Object.fromEntries(
      reports.data!.dacReports.map((r) => [
        r.dacId,
        r.categories.reduce((a, c) => [a[0]! + c.approved, a[1]! + c.rejected], [0, 0]),
      ]),
    );
    expect(decisions[ids.population]![0]).toBeGreaterThanOrEqual(1);
    expect(decisions[ids.clinical]![1]).toBeGreaterThanOrEqual(1);

    // The renewal: asked early by the panel's committee, reported by the researcher, renewed by
    // the panel's committee; a member of the clinical committee only has no say on this grant.
    const grantId = grant!.id;
    expect(
      await call(
        f.tokens.ethics,
        'setRenewalDate',
        'grantId: $g, dueAt: $d',
        { g: grantId, d: new Date(Date.now() + 30 * 86_400_000).toISOString() },
        '$g: ID!, $d: DateTime!',
      ),
    ).toMatchObject({ __typename: 'MutationSetRenewalDateSuccess' });
    const report = await call(
      f.tokens.researcher,
      'submitRenewalReport',
      'input: $r',
      {
        r: {
          grantId,
          workDone: 'Lung function association scan on the panel, first results.',
          publications: [],
        },
      },
      '$r: RenewalReportInput!',
    );
    const renewalId = report.data!.id as string;
    const decide = (token: string) =>
      call(
        token,
        'decideRenewal',
        'renewalId: $id, decision: RENEW',
        { id: renewalId },
        '$id: ID!',
        'status',
      );
    expect(await decide(clinicalOnly.token)).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await decide(f.tokens.ethics2)).toMatchObject({ data: { status: 'RENEWED' } });

    // The closeout ends the grant.
    const closed = await call(
      f.tokens.researcher,
      'closeOutGrant',
      'input: $c',
      {
        c: {
          grantId,
          destroyedOn: new Date().toISOString().slice(0, 10),
          statement: 'Every copy deleted from the analysis cluster and its backups.',
          attestDestroyed: true,
        },
      },
      '$c: CloseOutGrantInput!',
      'destroyedOn',
    );
    expect(closed.__typename).toBe('MutationCloseOutGrantSuccess');
    const [ended] = await f.db.db.select().from(grants).where(eq(grants.id, grantId));
    expect(ended!.status).toBe('closed_out');
  });

  it('a request every committee rejects is rejected, with no grant', async () => {
    const studyId = (await submitted([ids.panel])).id!;
    expect(
      await vote(f.tokens.ethics2, {
        studyId,
        vote: 'REJECT',
        rationale: 'The cohort is too small to be useful.',
      }),
    ).toMatchObject({ data: { status: 'UNDER_REVIEW' } });
    expect(
      await vote(f.tokens.ethics, {
        studyId,
        vote: 'REJECT',
        rationale: 'Agree, the cohort is too small.',
      }),
    ).toMatchObject({ data: { status: 'REJECTED' } });
    expect(await f.db.db.select().from(grants).where(eq(grants.studyId, studyId))).toEqual([]);
  });

  describe('bad input changes nothing', () => {
    let studyId: string;
    let before: string;
    beforeAll(async () => {
      studyId = (await submitted([ids.panel, ids.rare])).id!;
      expect(
        await declare(f.tokens.ethics2, {
          studyId,
          dacId: ids.population,
          reason: 'My lab holds a panel sub-study.',
        }),
      ).toMatchObject({ data: { status: 'SUBMITTED' } });
    });

    const refusals: [string, () => Promise<Payload>, Record<string, unknown>][] = [
      [
        'a vote by a member who declared a conflict',
        () =>
          vote(f.tokens.ethics2, {
            studyId,
            dacId: ids.population,
            vote: 'APPROVE',
            rationale: 'Fine.',
          }),
        { __typename: 'ConflictError', message: expect.stringContaining('conflict of interest') },
      ],
      [
        'a vote on a dataset of another committee',
        () =>
          vote(clinicalOnly.token, {
            studyId,
            dacId: ids.population,
            vote: 'APPROVE',
            rationale: 'Fine.',
          }),
        {
          __typename: 'ForbiddenError',
          message: expect.stringContaining('not a member of this committee'),
        },
      ],
      [
        'a vote by a board member on no committee of the request',
        () => vote(outsider.token, { studyId, vote: 'APPROVE', rationale: 'Fine.' }),
        { __typename: 'ForbiddenError' },
      ],
      [
        'a member of two committees not saying which',
        () => vote(f.tokens.ethics, { studyId, vote: 'APPROVE', rationale: 'Fine.' }),
        {
          __typename: 'ValidationError',
          fieldErrors: [{ field: 'dacId', message: expect.any(String) }],
        },
      ],
      [
        'a conflict declared twice',
        () =>
          declare(f.tokens.ethics2, {
            studyId,
            dacId: ids.population,
            reason: 'Again, the same reason.',
          }),
        { __typename: 'ConflictError' },
      ],
      [
        'a quorum below one',
        () =>
          call(
            f.tokens.admin,
            'setDacRules',
            'dacId: $d, quorum: $q',
            { d: ids.population, q: 0 },
            '$d: ID!, $q: Int',
          ),
        {
          __typename: 'ValidationError',
          fieldErrors: [{ field: 'quorum', message: 'must be at least 1' }],
        },
      ],
      [
        'a committee created with a quorum below one',
        () =>
          call(
            f.tokens.admin,
            'createDac',
            'input: $i',
            { i: { name: 'No quorum DAC', quorum: 0 } },
            '$i: CreateDacInput!',
          ),
        { __typename: 'ValidationError' },
      ],
      [
        'a chair who is not a member',
        () =>
          call(
            f.tokens.admin,
            'setDacChair',
            'dacId: $d, chairId: $c',
            { d: ids.population, c: outsider.id },
            '$d: ID!, $c: ID',
          ),
        {
          __typename: 'ValidationError',
          fieldErrors: [{ field: 'chairId', message: 'must be a member of the committee' }],
        },
      ],
      [
        'a committee created with a chair outside it',
        () =>
          call(
            f.tokens.admin,
            'createDac',
            'input: $i',
            {
              i: {
                name: 'Chaired from outside',
                memberIds: [clinicalOnly.id],
                chairId: outsider.id,
              },
            },
            '$i: CreateDacInput!',
          ),
        { __typename: 'ValidationError' },
      ],
      [
        'a member who is not on the ethics board',
        () =>
          call(
            f.tokens.admin,
            'addDacMember',
            'dacId: $d, userId: $u',
            { d: ids.population, u: '00000000-0000-4000-8000-000000000000' },
            '$d: ID!, $u: ID!',
          ),
        { __typename: 'ValidationError' },
      ],
      [
        'the chair removed while chairing',
        async () => {
          const [dac] = await f.db.db.select().from(dacs).where(eq(dacs.id, ids.population));
          return call(
            f.tokens.admin,
            'removeDacMember',
            'dacId: $d, userId: $u',
            { d: ids.population, u: dac!.chairId },
            '$d: ID!, $u: ID!',
          );
        },
        { __typename: 'ConflictError' },
      ],
      [
        'a board member managing committees',
        () =>
          call(
            f.tokens.ethics,
            'setDacRules',
            'dacId: $d, quorum: $q',
            { d: ids.population, q: 1 },
            '$d: ID!, $q: Int',
          ),
        { __typename: 'GraphQLError', code: 'FORBIDDEN' },
      ],
    ];
    it.each(refusals)('%s', async (_name, attempt, expected) => {
      before = await reviewState();
      expect(await attempt()).toMatchObject(expected);
      expect(await reviewState()).toBe(before);
    });

    it('a request for a dataset no committee governs is refused by name, and nothing is opened', async () => {
      const released = await call(
        f.tokens.admin,
        'assignDacDatasets',
        'dacId: $d, datasetIds: $ds',
        { d: ids.clinical, ds: [ids.colorectal] },
        '$d: ID!, $ds: [ID!]!',
        'datasets { id }',
      );
      expect(released.data).toEqual({ datasets: [{ id: ids.colorectal }] });
      const elections = (await f.db.db.select().from(studyElections)).length;
      const refused = await submitted([ids.panel, ids.rare]);
      expect(refused).toMatchObject({
        __typename: 'ValidationError',
        fieldErrors: [
          { field: 'datasetIds', message: expect.stringContaining('Rare Disease Exomes') },
        ],
      });
      expect((await f.db.db.select().from(studyElections)).length).toBe(elections);
      await call(
        f.tokens.admin,
        'assignDacDatasets',
        'dacId: $d, datasetIds: $ds',
        { d: ids.clinical, ds: [ids.colorectal, ids.rare] },
        '$d: ID!, $ds: [ID!]!',
      );
    });
  });
});
