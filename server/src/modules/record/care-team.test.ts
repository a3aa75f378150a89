import { eq, notLike } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccessFixture, signIn, type AccessFixture } from '../../test/access-fixture.js';
import { loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { auditEvents } from '../audit/audit.tables.js';
import { careTeamMembers, careTeams, recordEntries } from './record.tables.js';
import { participantByEmail } from '../../test/participant-by-email.js';
import { isoDateInDays } from '../../test/iso-dates.js';
import {
  APPEND_CONDITION,
  PAYLOAD_ERRORS,
  REVOKE_CLINICIAN,
  type RecordPayload,
} from '../../test/record-api.js';

const CREATE = `mutation($n: String!, $i: String!) { createCareTeam(name: $n, institution: $i) {
  ${PAYLOAD_ERRORS} ... on MutationCreateCareTeamSuccess { data { id } } } }`;
const ADD = `mutation($i: CareTeamMemberInput!) { addCareTeamMember(input: $i) {
  ${PAYLOAD_ERRORS} ... on MutationAddCareTeamMemberSuccess { data { id } } } }`;
const REMOVE = `mutation($i: CareTeamMemberInput!) { removeCareTeamMember(input: $i) {
  ${PAYLOAD_ERRORS} ... on MutationRemoveCareTeamMemberSuccess { data { id } } } }`;
const AUTHORISE_TEAM = `mutation($i: AuthoriseCareTeamInput!) { authoriseCareTeam(input: $i) {
  ${PAYLOAD_ERRORS} ... on MutationAuthoriseCareTeamSuccess { data { id endsAt } } } }`;
const READ = `query($p: String!) { patientRecord(pseudonym: $p) {
  ${PAYLOAD_ERRORS} ... on QueryPatientRecordSuccess { data { id source code } } } }`;

describe(`care teams a participant authorises (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let patient = '';
  let admin = '';
  let pseudonym = '';
  let participantId = '';
  let teamId = '';
  const members: { email: string; name: string; token: string }[] = [];
  let latecomer = { email: '', token: '' };
  let outsiderEmail = '';

  const call = async (query: string, variables: Record<string, unknown>, token: string) => {
    const res = await f.gql<Record<string, RecordPayload>>(query, variables, { token });
    // A role the field does not admit is refused before the resolver runs.
    const refusal = res.errors?.[0]?.extensions as { code?: string } | undefined;
    if (refusal) return { __typename: 'GraphQLError', code: refusal.code };
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return Object.values(res.data!)[0]!;
  };
  const written = async () => [
    (
      await f.db.db
        .select({ id: recordEntries.id })
        .from(recordEntries)
        .where(eq(recordEntries.participantId, participantId))
    ).length,
    (await f.db.db.select({ id: careTeamMembers.id }).from(careTeamMembers)).length,
    (await f.db.db.select({ id: careTeams.id }).from(careTeams)).length,
    // Refusals are audited (`<field>.refused`); anything else would be a write.
    (
      await f.db.db
        .select({ seq: auditEvents.seq })
        .from(auditEvents)
        .where(notLike(auditEvents.action, '%.refused'))
    ).length,
  ];
  const refusedWithNothingWritten = async (
    query: string,
    variables: Record<string, unknown>,
    token: string,
  ) => {
    const before = await written();
    const out = await call(query, variables, token);
    expect(out.__typename).not.toMatch(/Success$/);
    expect(await written()).toEqual(before);
    return out;
  };
  const clinicianAt = async (institution: string) => {
    const user = await makeUser(f.db.db, 'clinician', institution);
    return { email: user.email, name: user.displayName, token: await loginAs(f.gql, user) };
  };

  beforeAll(async () => {
    f = await openAccessFixture();
    admin = f.tokens.admin;
    patient = await signIn(f.gql, 'patient@demo.local');
    members.push(await clinicianAt('Hospital Clínic'), await clinicianAt('Hospital Clínic'));
    latecomer = await clinicianAt('Hospital Clínic');
    outsiderEmail = (await clinicianAt('Elsewhere Hospital')).email;
    ({ id: participantId, pseudonym } = await participantByEmail(f.db.db, 'patient@demo.local'));
  }, 120_000);
  afterAll(() => f?.dispose());

  it('lets only an administrator set up a team and add clinicians of its institution', async () => {
    expect(
      await refusedWithNothingWritten(
        CREATE,
        { n: 'Cardiogenetics', i: 'Hospital Clínic' },
        members[0]!.token,
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });
    const created = await call(CREATE, { n: 'Cardiogenetics', i: 'Hospital Clínic' }, admin);
    teamId = (created.data as { id: string }).id;
    expect(
      await refusedWithNothingWritten(CREATE, { n: 'Cardiogenetics', i: 'Hospital Clínic' }, admin),
    ).toMatchObject({ code: 'CONFLICT' });
    for (const m of members)
      expect((await call(ADD, { i: { teamId, clinicianEmail: m.email } }, admin)).__typename).toBe(
        'MutationAddCareTeamMemberSuccess',
      );
    const elsewhere = await refusedWithNothingWritten(
      ADD,
      { i: { teamId, clinicianEmail: outsiderEmail } },
      admin,
    );
    expect(elsewhere).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ field: 'clinicianEmail' }],
    });
    expect(
      await refusedWithNothingWritten(
        ADD,
        { i: { teamId, clinicianEmail: members[0]!.email } },
        admin,
      ),
    ).toMatchObject({ code: 'CONFLICT' });
    expect(
      await refusedWithNothingWritten(
        ADD,
        { i: { teamId, clinicianEmail: latecomer.email } },
        members[0]!.token,
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });

    // The participant sees the team and its members by name, not their addresses.
    const seen = await f.gql<{
      careTeams: { id: string; members: { name: string; email: string | null }[] }[];
    }>(`{ careTeams { id name institution members { name email } } }`, {}, { token: patient });
    const team = seen.data!.careTeams.find((t) => t.id === teamId)!;
    expect(team.members).toHaveLength(2);
    expect(team.members.every((m) => m.email === null)).toBe(true);
  });

  it('refuses a team authorisation before it is given, and one for an unknown team', async () => {
    expect(
      await refusedWithNothingWritten(
        APPEND_CONDITION,
        { p: pseudonym, i: { code: 'HP:0002099' } },
        members[0]!.token,
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    const unknown = await refusedWithNothingWritten(
      AUTHORISE_TEAM,
      {
        i: {
          careTeamId: '00000000-0000-4000-8000-000000000000',
          canRead: true,
          canAppend: true,
          until: isoDateInDays(30),
        },
      },
      patient,
    );
    expect(unknown).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lets every member, a later one too, read and append on the timeline with the team named; a removed member and, after revocation, every member is refused', async () => {
    const given = await call(
      AUTHORISE_TEAM,
      { i: { careTeamId: teamId, canRead: true, canAppend: true, until: isoDateInDays(30) } },
      patient,
    );
    expect(given.__typename).toBe('MutationAuthoriseCareTeamSuccess');
    const authorisationId = (given.data as { id: string }).id;

    const appended = await call(
      APPEND_CONDITION,
      { p: pseudonym, i: { code: 'MONDO:0005070' } },
      members[0]!.token,
    );
    expect(appended.__typename).toBe('MutationAppendConditionForPatientSuccess');
    expect((await call(READ, { p: pseudonym }, members[1]!.token)).__typename).toBe(
      'QueryPatientRecordSuccess',
    );
    // Not yet a member: no access; once added, the team's authorisation covers them.
    expect(await call(READ, { p: pseudonym }, latecomer.token)).toMatchObject({
      code: 'NOT_FOUND',
    });
    await call(ADD, { i: { teamId, clinicianEmail: latecomer.email } }, admin);
    expect((await call(READ, { p: pseudonym }, latecomer.token)).__typename).toBe(
      'QueryPatientRecordSuccess',
    );
    const listed = await f.gql<{ authorisedPatients: { pseudonym: string; canAppend: boolean }[] }>(
      `{ authorisedPatients { pseudonym canAppend } }`,
      {},
      { token: latecomer.token },
    );
    expect(listed.data!.authorisedPatients).toEqual([{ pseudonym, canAppend: true }]);

    const timeline = await f.gql<{ myTimeline: { action: string; recordedBy: string | null }[] }>(
      `{ myTimeline(limit: 30) { action recordedBy } }`,
      {},
      { token: patient },
    );
    const byTeam = (action: string, who: string) =>
      timeline.data!.myTimeline.some(
        (e) =>
          e.action === action &&
          e.recordedBy === `by ${who} (Hospital Clínic), for the care team Cardiogenetics`,
      );
    expect(byTeam('record.entry.add.clinician', members[0]!.name)).toBe(true);
    expect(byTeam('record.read.clinician', members[1]!.name)).toBe(true);
    expect(timeline.data!.myTimeline.map((e) => e.action)).toContain('care_team.authorise');

    // A member who leaves loses access at once.
    await call(REMOVE, { i: { teamId, clinicianEmail: members[1]!.email } }, admin);
    expect(
      await refusedWithNothingWritten(
        APPEND_CONDITION,
        { p: pseudonym, i: { code: 'HP:0002099' } },
        members[1]!.token,
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(await call(READ, { p: pseudonym }, members[1]!.token)).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      await refusedWithNothingWritten(
        REMOVE,
        { i: { teamId, clinicianEmail: members[1]!.email } },
        admin,
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });

    // The participant revokes the team: every member is refused, and nothing is written.
    expect((await call(REVOKE_CLINICIAN, { id: authorisationId }, patient)).__typename).toBe(
      'MutationRevokeClinicianSuccess',
    );
    for (const token of [members[0]!.token, latecomer.token]) {
      const refused = await refusedWithNothingWritten(
        APPEND_CONDITION,
        { p: pseudonym, i: { code: 'HP:0002099' } },
        token,
      );
      expect(refused).toMatchObject({ code: 'FORBIDDEN' });
      expect(refused.message).toMatch(/authorisation of you ended/);
      expect(await call(READ, { p: pseudonym }, token)).toMatchObject({ code: 'FORBIDDEN' });
    }
    const mine = await f.gql<{
      myClinicians: {
        careTeam: { name: string } | null;
        clinicianName: string | null;
        active: boolean;
      }[];
    }>(`{ myClinicians { clinicianName active careTeam { name } } }`, {}, { token: patient });
    expect(mine.data!.myClinicians).toContainEqual({
      clinicianName: null,
      active: false,
      careTeam: { name: 'Cardiogenetics' },
    });
  });
});
