import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentPreferencesInput } from '../../test/consent-preferences-input.js';
import {
  approve,
  openAccessFixture,
  permittingParticipants,
  submittedStudy,
  type AccessFixture,
} from '../../test/access-fixture.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { createExportRow } from '../../test/export-fixture.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { notifications } from '../notifications/notifications.tables.js';
import { participants } from '../participants/participants.tables.js';
import { exportMembers } from './grants.tables.js';

const SET = `mutation($i: ConsentPreferencesInput!) { setConsentPreferences(input: $i) { __typename } }`;
const RETURN = `mutation($i: ReturnOfResultsInput!) { requestReturnOfResults(input: $i) {
  __typename ... on MutationRequestReturnOfResultsSuccess { data { requested contacted } }
  ... on Error { code message } } }`;

const prefs = (recontact: boolean) => consentPreferencesInput({}, { recontact });

/**
 * Return of results: a grantee names samples of their export with a clinically actionable
 * finding; the site contacts only those who allow recontact, the researcher learns how many.
 */
describe(`return of results through the site (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let grantId = '';
  let exportId = '';
  let people: { participantId: string; token: string; userId: string; sampleId: string }[] = [];

  const sent = async () =>
    f.db.db.select().from(notifications).where(eq(notifications.kind, 'return_of_results'));
  const ask = (token: string, input: Record<string, unknown>) =>
    f.gql<{ requestReturnOfResults: { __typename: string; code?: string; data?: unknown } }>(
      RETURN,
      { i: { grantId, exportId, ...input } },
      { token },
    );

  beforeAll(async () => {
    f = await openAccessFixture();
    const studyId = await submittedStudy(f);
    const asked = await permittingParticipants(f, studyId, 3);
    // The first allows recontact, the second does not, the third never says (default: no).
    await f.gql(SET, { i: prefs(true) }, { token: asked[0]!.token });
    await f.gql(SET, { i: prefs(false) }, { token: asked[1]!.token });
    grantId = await approve(f, studyId);
    exportId = (await createExportRow(f, grantId)).id;
    const members = await f.db.db
      .select({
        participantId: exportMembers.participantId,
        sampleId: exportMembers.sampleId,
        userId: participants.userId,
      })
      .from(exportMembers)
      .innerJoin(participants, eq(participants.id, exportMembers.participantId))
      .where(eq(exportMembers.exportId, exportId));
    people = asked.map((p) => {
      const m = members.find((x) => x.participantId === p.participantId)!;
      return { ...p, userId: m.userId!, sampleId: m.sampleId };
    });
  }, 180_000);
  afterAll(async () => {
    await f?.dispose();
  });

  it('bad input changes nothing: an unknown sample, no samples, another export', async () => {
    for (const input of [
      { sampleIds: [people[0]!.sampleId, 'not-a-sample'] },
      { sampleIds: [] },
      { exportId: '00000000-0000-4000-8000-000000000000', sampleIds: [people[0]!.sampleId] },
    ]) {
      const res = await ask(f.tokens.researcher, input);
      expect(res.data?.requestReturnOfResults.__typename, JSON.stringify(input)).not.toBe(
        'MutationRequestReturnOfResultsSuccess',
      );
    }
    expect(await sent()).toHaveLength(0);
    expect(await auditEventsWithAction(f.db.db, 'results.return.contact')).toHaveLength(0);
    expect(await auditEventsWithAction(f.db.db, 'results.return.request.refused')).toHaveLength(3);
  });

  it('only the researcher who holds the grant may ask; a participant or board member may not', async () => {
    for (const token of [people[0]!.token, f.tokens.ethics]) {
      const res = await ask(token, { sampleIds: [people[0]!.sampleId] });
      expect(res.data?.requestReturnOfResults.__typename ?? res.errors?.[0]?.message).not.toBe(
        'MutationRequestReturnOfResultsSuccess',
      );
    }
    expect(await sent()).toHaveLength(0);
  });

  it('the site contacts only those who allow recontact; the researcher sees only counts', async () => {
    const res = await ask(f.tokens.researcher, {
      sampleIds: [...people.map((p) => p.sampleId), people[0]!.sampleId],
    });
    const payload = res.data!.requestReturnOfResults;
    expect(payload).toEqual({
      __typename: 'MutationRequestReturnOfResultsSuccess',
      data: { requested: 3, contacted: 1 },
    });
    const messages = await sent();
    expect(messages.map((m) => m.userId)).toEqual([people[0]!.userId]);
    expect(messages[0]!.body).toMatch(/Your site, not the researchers/);
    // Every participant named has an event on their trail, contacted or withheld.
    const contact = await auditEventsWithAction(f.db.db, 'results.return.contact');
    const withheld = await auditEventsWithAction(f.db.db, 'results.return.withheld');
    expect(contact.map((e) => e.participantId)).toEqual([people[0]!.participantId]);
    expect(new Set(withheld.map((e) => e.participantId))).toEqual(
      new Set([people[1]!.participantId, people[2]!.participantId]),
    );
    const [request] = await auditEventsWithAction(f.db.db, 'results.return.request');
    expect(request!.participantId).toBeNull();
    expect(request!.payload).toContain('"contacted":1');
    // Nothing reached the others.
    const others = await f.db.db
      .select()
      .from(notifications)
      .where(inArray(notifications.userId, [people[1]!.userId, people[2]!.userId]));
    expect(others.filter((n) => n.kind === 'return_of_results')).toHaveLength(0);
  });

  it('a participant who turns recontact off is not contacted again', async () => {
    await f.gql(SET, { i: prefs(false) }, { token: people[0]!.token });
    const res = await ask(f.tokens.researcher, { sampleIds: [people[0]!.sampleId] });
    expect(res.data!.requestReturnOfResults).toMatchObject({
      data: { requested: 1, contacted: 0 },
    });
    expect(await sent()).toHaveLength(1);
  });
});
