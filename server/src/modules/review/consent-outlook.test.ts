import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import {
  approve,
  mutate,
  openAccessFixture,
  type AccessFixture,
  completeApplication,
} from '../../test/access-fixture.js';
import { notificationsOf } from '../../test/notifications-of.js';
import { TEST_DRIVER } from '../../test/test-database.js';

interface Figures {
  permitted: number;
  ask: number;
  excluded: number;
}
interface Outlook {
  total: number;
  figures: Figures;
  reasons: { outcome: string; reason: string; count: number }[];
  conditions: { key: string; condition: string; figures: Figures }[];
}

const OUTLOOK = `query($id: ID!) { study(id: $id) {
  cohort { permitted { count } ask { count } excluded { count } exact }
  consentOutlook { total figures { permitted ask excluded } reasons { outcome reason count }
    conditions { key condition figures { permitted ask excluded } } } } }`;

const sum = (f: Figures) => f.permitted + f.ask + f.excluded;

describe(`the board's consent outlook and data-use reviews (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  beforeAll(async () => {
    f = await openAccessFixture();
  }, 180_000);
  afterAll(() => f.dispose());

  async function submitted(commercial: boolean): Promise<string> {
    const created = await mutate(f, f.tokens.researcher, 'createStudy(input: $input)', 'id', {
      input: {
        title: commercial ? 'Commercial blood pressure panel' : 'Blood pressure in the panel',
        laySummary: 'We study blood pressure across the volunteers of the reference panel.',
        purpose: { primary: 'HMB', commercial },
        cohortCriteria: { datasets: [f.panelId], sex: 'female' },
        datasetIds: [f.panelId],
      },
    });
    const id = (created.data as { id: string }).id;
    await completeApplication(f, f.tokens.researcher, id);
    const sent = await mutate(f, f.tokens.researcher, 'submitStudy(id: $id)', 'id', { id });
    expect(sent.__typename).toBe('MutationSubmitStudySuccess');
    return id;
  }

  const outlookOf = async (id: string, token = f.tokens.ethics) =>
    f.gql<{
      study: {
        cohort: {
          permitted: { count: number };
          ask: { count: number };
          excluded: { count: number };
        };
        consentOutlook: Outlook | null;
      };
    }>(OUTLOOK, { id }, { token });

  it('shows the board why a commercial purpose loses the cohort, and what excluding commercial use would give', async () => {
    const id = await submitted(true);
    const before = (await auditEventsWithAction(f.db.db, 'review.consent_outlook.read')).length;
    const res = await outlookOf(id);
    expect(res.errors).toBeUndefined();
    const { cohort, consentOutlook: o } = res.data!.study;
    expect(o!.total).toBeGreaterThan(20);
    expect(sum(o!.figures)).toBe(o!.total);
    // The panel's data use forbids commercial use (NCU): everyone is excluded, for that reason.
    expect(o!.figures).toEqual({ permitted: 0, ask: 0, excluded: o!.total });
    expect(o!.reasons).toContainEqual({
      outcome: 'excluded',
      reason: 'The data use of their datasets does not allow this purpose',
      count: o!.total,
    });
    // It agrees with the study's own (exact, board) cohort figures.
    expect([cohort.permitted.count, cohort.ask.count, cohort.excluded.count]).toEqual([
      o!.figures.permitted,
      o!.figures.ask,
      o!.figures.excluded,
    ]);
    const nonCommercial = o!.conditions.find((c) => c.key === 'exclude_commercial')!;
    expect(nonCommercial.condition).toBe('Exclude commercial use');
    expect(sum(nonCommercial.figures)).toBe(o!.total);
    expect(nonCommercial.figures.excluded).toBeLessThan(o!.total);
    expect(o!.conditions.map((c) => c.key)).toEqual([
      'exclude_commercial',
      'permitted_only',
      'signed_only',
    ]);
    expect(await auditEventsWithAction(f.db.db, 'review.consent_outlook.read')).toHaveLength(
      before + 1,
    );
  });

  it('splits a non-commercial purpose into permitted, asked and excluded with reasons; the researcher cannot see it', async () => {
    const id = await submitted(false);
    const o = (await outlookOf(id)).data!.study.consentOutlook!;
    expect(sum(o.figures)).toBe(o.total);
    expect(o.figures.ask + o.figures.permitted).toBeGreaterThan(0);
    for (const r of o.reasons) expect(r.count).toBeGreaterThan(0);
    const askReasons = o.reasons.filter((r) => r.outcome === 'ask');
    if (o.figures.ask > 0) expect(askReasons.length).toBeGreaterThan(0);
    expect(o.conditions.map((c) => c.key)).toEqual(['permitted_only', 'signed_only']);
    const permittedOnly = o.conditions[0]!.figures;
    expect(permittedOnly).toEqual({
      permitted: o.figures.permitted,
      ask: 0,
      excluded: o.figures.excluded + o.figures.ask,
    });

    const before = (await auditEventsWithAction(f.db.db, 'review.consent_outlook.read')).length;
    const refused = await outlookOf(id, f.tokens.researcher);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.data?.study?.consentOutlook ?? null).toBeNull();
    expect(await auditEventsWithAction(f.db.db, 'review.consent_outlook.read')).toHaveLength(
      before,
    );
  });

  it('narrowing a dataset tells the holders of active grants and lists their grants for the board', async () => {
    const id = await submitted(false);
    const grantId = await approve(f, id);
    const narrowed = await mutate(
      f,
      f.tokens.admin,
      'updateDataset(input: $datasetUpdate)',
      'dataUse { version }',
      {
        datasetUpdate: { id: f.panelId, dataUse: { permission: 'GRU', modifiers: ['NCU', 'IRB'] } },
      },
    );
    expect(narrowed).toMatchObject({
      __typename: 'MutationUpdateDatasetSuccess',
      data: { dataUse: { version: 2 } },
    });

    const told = (await notificationsOf(f.db.db, 'researcher@demo.local')).filter(
      (n) => n.kind === 'data_use_narrowed',
    );
    expect(told).toHaveLength(1);

    const reviews = await f.gql<{
      dataUseReviews: {
        narrowed: {
          datasetName: string;
          change: { direction: string };
          grants: { grantId: string }[];
        }[];
      };
    }>(
      `{ dataUseReviews { narrowed { datasetName change { direction } grants { grantId } } } }`,
      {},
      { token: f.tokens.ethics },
    );
    expect(reviews.errors).toBeUndefined();
    expect(reviews.data!.dataUseReviews.narrowed).toEqual([
      {
        datasetName: 'Population Reference Panel',
        change: { direction: 'NARROWER' },
        grants: [{ grantId }],
      },
    ]);
    const refused = await f.gql(
      `{ dataUseReviews { pending { datasetName } } }`,
      {},
      { token: f.tokens.researcher },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
