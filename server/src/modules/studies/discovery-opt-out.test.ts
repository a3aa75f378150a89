import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentPreferencesInput } from '../../test/consent-preferences-input.js';
import {
  askedParticipants,
  openAccessFixture,
  submittedStudy,
  type AccessFixture,
} from '../../test/access-fixture.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import type { CohortCriteria } from '../cohorts/cohort-criteria.js';
import { participants } from '../participants/participants.tables.js';
import { consentRequests } from './studies.tables.js';

const SET = `mutation($i: ConsentPreferencesInput!) { setConsentPreferences(input: $i) { __typename } }`;

/**
 * Opting out of discovery counts removes a participant from counts only (cohort counts and
 * Beacon read `members`); a study's cohort (`studyMembers`) still holds them, so they are asked
 * and can be included where their consent allows.
 */
describe(`discovery opt-out keeps a participant out of counts only (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let criteria: CohortCriteria;
  let person: { participantId: string; token: string };
  let num = 0;

  beforeAll(async () => {
    f = await openAccessFixture();
    criteria = { datasets: [f.panelId], sex: 'female', ageMin: 40, ageMax: 60 };
    const first = await submittedStudy(f, { criteria: criteria as Record<string, unknown> });
    person = (await askedParticipants(f, first, 1))[0]!;
    const [row] = await f.db.db
      .select({ num: participants.num })
      .from(participants)
      .where(eq(participants.id, person.participantId));
    num = row!.num;
  }, 180_000);
  afterAll(async () => {
    await f?.dispose();
  });

  it('bad input changes nothing: they stay counted', async () => {
    const before = (await f.cohorts.current()).count(criteria);
    const res = await f.gql(
      SET,
      { i: { purposes: {}, askEachTime: false, discoverable: false, recontact: false } },
      { token: person.token },
    );
    expect(res.errors ?? []).not.toHaveLength(0);
    const index = await f.cohorts.current();
    expect(index.count(criteria)).toBe(before);
    const counted = index.members(criteria);
    expect(counted.has(num)).toBe(true);
    counted.dispose();
  });

  it('after opting out they leave the counts, and a new study still asks them', async () => {
    const before = (await f.cohorts.current()).count(criteria);
    const res = await f.gql<{ setConsentPreferences: { __typename: string } }>(
      SET,
      {
        i: consentPreferencesInput({}, { discoverable: false }),
      },
      { token: person.token },
    );
    expect(res.data?.setConsentPreferences.__typename).toBe('MutationSetConsentPreferencesSuccess');
    const index = await f.cohorts.current();
    expect(index.count(criteria)).toBe(before - 1);
    const counted = index.members(criteria);
    const cohort = index.studyMembers(criteria);
    try {
      expect(counted.has(num)).toBe(false);
      expect(cohort.has(num)).toBe(true);
    } finally {
      counted.dispose();
      cohort.dispose();
    }
    const second = await submittedStudy(f, { criteria: criteria as Record<string, unknown> });
    const [request] = await f.db.db
      .select()
      .from(consentRequests)
      .where(
        and(
          eq(consentRequests.studyId, second),
          eq(consentRequests.participantId, person.participantId),
        ),
      );
    expect(request).toMatchObject({ status: 'pending', reason: 'ask' });
  });
});
