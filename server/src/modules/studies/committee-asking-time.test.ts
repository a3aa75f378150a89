import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openAccessFixture,
  submittedStudy,
  type AccessFixture,
} from '../../test/access-fixture.js';
import { auditCount } from '../../test/audit-rows.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { dacDatasets, dacs } from '../dacs/dacs.tables.js';
import { consentRequests } from './studies.tables.js';

// Issue #16 item 4: when participants are asked is each committee's choice (before its decision,
// to see the response rate; or after approval), with CONSENT_REQUESTS_WHEN as the default.
describe(`when participants are asked is each committee's setting (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let dacId = '';
  const asked = async (studyId: string) =>
    (await f.db.db.select().from(consentRequests).where(eq(consentRequests.studyId, studyId)))
      .length;
  const setRules = (askParticipants: string) =>
    f.gql<{ setDacRules: { __typename: string; data?: { askParticipants: string | null } } }>(
      `mutation($d: ID!, $a: String) { setDacRules(dacId: $d, askParticipants: $a) { __typename
        ... on MutationSetDacRulesSuccess { data { askParticipants } } ... on Error { code message } } }`,
      { d: dacId, a: askParticipants },
      { token: f.tokens.admin },
    );

  beforeAll(async () => {
    // The server's default: ask after approval.
    f = await openAccessFixture({
      review: { quorum: 2, chairEmail: null, consentRequestsWhen: 'after_approval' },
    });
    const [row] = await f.db.db
      .select({ id: dacDatasets.dacId })
      .from(dacDatasets)
      .where(eq(dacDatasets.datasetId, f.panelId));
    dacId = row!.id;
  }, 180_000);
  afterAll(() => f.dispose());

  it('by default nobody is asked at submission', async () => {
    expect(await asked(await submittedStudy(f))).toBe(0);
  });

  it('a committee that asks before its decision has participants asked at submission', async () => {
    const set = await setRules('before_decision');
    expect(set.data?.setDacRules).toEqual({
      __typename: 'MutationSetDacRulesSuccess',
      data: { askParticipants: 'before_decision' },
    });
    expect(await asked(await submittedStudy(f))).toBeGreaterThan(0);
  });

  it('an unknown timing is refused and changes nothing; an empty one restores the default', async () => {
    const before = await auditCount(f.db.db);
    const bad = await setRules('sometimes');
    expect(bad.data?.setDacRules.__typename).toBe('ValidationError');
    expect(await auditCount(f.db.db)).toBe(before);
    const [still] = await f.db.db.select().from(dacs).where(eq(dacs.id, dacId));
    expect(still!.askParticipants).toBe('before_decision');

    const reset = await setRules('');
    expect(reset.data?.setDacRules.data).toEqual({ askParticipants: null });
    expect(await asked(await submittedStudy(f))).toBe(0);
  });

  it('only administrators set it', async () => {
    const refused = await f.gql(
      `mutation($d: ID!) { setDacRules(dacId: $d, askParticipants: "before_decision") { __typename } }`,
      { d: dacId },
      { token: f.tokens.ethics },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [still] = await f.db.db.select().from(dacs).where(eq(dacs.id, dacId));
    expect(still!.askParticipants).toBeNull();
  });
});
