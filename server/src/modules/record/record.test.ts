import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { participantByEmail } from '../../test/participant-by-email.js';
import { openAccessFixture, signIn, type AccessFixture } from '../../test/access-fixture.js';
import { auditCount, auditEventsWithAction, lastAuditEventWith } from '../../test/audit-rows.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { users } from '../accounts/accounts.tables.js';
import { systemActor } from '../actors/actor.js';
import { ontologyTerms } from '../ontology/ontology.tables.js';
import { writeEntry } from './record.service.js';
import { recordEntries, recordEntryVersions } from './record.tables.js';

const ENTRY = `__typename ... on Error { code message } ... on ValidationError { fieldErrors { field message } }`;
const ADD_CONDITION = `mutation($i: RecordConditionInput!) { addConditionToRecord(input: $i) {
  ${ENTRY} ... on MutationAddConditionToRecordSuccess { data { id version } } } }`;
const ADD_MEASUREMENT = `mutation($i: RecordMeasurementInput!) { addMeasurementToRecord(input: $i) {
  ${ENTRY} ... on MutationAddMeasurementToRecordSuccess { data { id } } } }`;
const REVISE = `mutation($id: ID!, $c: RecordConditionInput) { reviseRecordEntry(entryId: $id, condition: $c) {
  ${ENTRY} ... on MutationReviseRecordEntrySuccess { data { id version } } } }`;
const RETRACT = `mutation($id: ID!) { retractRecordEntry(entryId: $id) {
  ${ENTRY} ... on MutationRetractRecordEntrySuccess { data { id retractedAt } } } }`;
const ANNOTATE = `mutation($id: ID!, $k: RecordRemarkKind!, $t: String!) { annotateRecordEntry(entryId: $id, kind: $k, text: $t) {
  ${ENTRY} ... on MutationAnnotateRecordEntrySuccess { data { id } } } }`;
const MY_RECORD = `{ myRecord { id kind source code label onset value valueText unit note version authorName
  authorInstitution remarks { kind text } } }`;

interface Entry {
  id: string;
  kind: string;
  source: string;
  code: string;
  label: string | null;
  onset: string | null;
  value: number | null;
  valueText: string | null;
  unit: string | null;
  note: string | null;
  version: number;
  remarks: { kind: string; text: string }[];
}
type Payload = {
  __typename: string;
  code?: string;
  message?: string;
  fieldErrors?: { field: string }[];
  data?: { id: string; version?: number };
};

const tomorrow = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

describe(`a participant adds to their own record (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let patient = '';
  let participantId = '';

  const call = async (query: string, variables: Record<string, unknown>, token = patient) => {
    const res = await f.gql<Record<string, Payload>>(query, variables, { token });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return Object.values(res.data!)[0]!;
  };
  const record = async () => {
    const res = await f.gql<{ myRecord: Entry[] }>(MY_RECORD, {}, { token: patient });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.myRecord;
  };
  const stored = async () =>
    (
      await f.db.db
        .select({ id: recordEntries.id })
        .from(recordEntries)
        .where(eq(recordEntries.participantId, participantId))
    ).length;
  /** Runs a refused call and checks that neither an entry, a version nor an event was written. */
  const refusedWithNothingWritten = async (query: string, variables: Record<string, unknown>) => {
    const before = [await stored(), await auditCount(f.db.db)];
    const versions = (await f.db.db.select().from(recordEntryVersions)).length;
    const out = await call(query, variables);
    expect([await stored(), await auditCount(f.db.db)]).toEqual(before);
    expect((await f.db.db.select().from(recordEntryVersions)).length).toBe(versions);
    return out;
  };

  beforeAll(async () => {
    f = await openAccessFixture();
    patient = await signIn(f.gql, 'patient@demo.local');
    participantId = (await participantByEmail(f.db.db, 'patient@demo.local')).id;
  }, 120_000);
  afterAll(() => f?.dispose());

  it('adds conditions and measurements with their source, keeps the note private and out of the audit trail', async () => {
    const asthma = await call(ADD_CONDITION, {
      i: { code: 'hp:0002099', onset: '2001-03-04', note: 'worse in spring' },
    });
    expect(asthma.__typename).toBe('MutationAddConditionToRecordSuccess');
    const height = await call(ADD_MEASUREMENT, { i: { measurement: 'HEIGHT', value: 182.5 } });
    const smoking = await call(ADD_MEASUREMENT, {
      i: { measurement: 'SMOKING_STATUS', status: 'FORMER', takenOn: '2020-01-01' },
    });
    expect([height.__typename, smoking.__typename]).toEqual([
      'MutationAddMeasurementToRecordSuccess',
      'MutationAddMeasurementToRecordSuccess',
    ]);

    const entries = await record();
    const byId = new Map(entries.map((e) => [e.id, e]));
    expect(byId.get(asthma.data!.id)).toMatchObject({
      kind: 'CONDITION',
      source: 'SELF_REPORT',
      code: 'HP:0002099',
      label: 'Asthma',
      onset: '2001-03-04',
      note: 'worse in spring',
      version: 1,
    });
    expect(byId.get(height.data!.id)).toMatchObject({ code: 'height', value: 182.5, unit: 'cm' });
    expect(byId.get(smoking.data!.id)).toMatchObject({
      code: 'smoking_status',
      valueText: 'former',
      onset: '2020-01-01',
    });

    const added = await auditEventsWithAction(f.db.db, 'record.entry.add');
    expect(added.map((e) => e.targetId)).toEqual(
      expect.arrayContaining([asthma.data!.id, height.data!.id, smoking.data!.id]),
    );
    for (const event of added) {
      expect(event.participantId).toBe(participantId);
      // The content (code, value, note) never enters the log whose digest goes on chain.
      expect(JSON.stringify(event.payload)).not.toMatch(/HP:|0002099|spring|182|former/i);
    }
    const read = await lastAuditEventWith(f.db.db, 'record.read.own');
    expect(read).toMatchObject({ participantId });
    expect(JSON.parse(String(read!.payload))).toEqual({ entries: entries.length });
  });

  it('refuses an unknown code, a non-term, a future onset and an impossible value, writing nothing', async () => {
    const unknown = await refusedWithNothingWritten(ADD_CONDITION, { i: { code: 'HP:9999999' } });
    expect(unknown).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ field: 'code' }],
    });
    const notATerm = await refusedWithNothingWritten(ADD_CONDITION, { i: { code: 'asthma' } });
    expect(notATerm).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ field: 'code' }],
    });
    const future = await refusedWithNothingWritten(ADD_CONDITION, {
      i: { code: 'HP:0002099', onset: tomorrow() },
    });
    expect(future).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ field: 'onset' }],
    });
    const tall = await refusedWithNothingWritten(ADD_MEASUREMENT, {
      i: { measurement: 'HEIGHT', value: 900 },
    });
    expect(tall).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ field: 'value' }],
    });
    const smoking = await refusedWithNothingWritten(ADD_MEASUREMENT, {
      i: { measurement: 'SMOKING_STATUS' },
    });
    expect(smoking).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ field: 'status' }],
    });
  });

  it('versions a correction and excludes a retracted entry from then on, audited', async () => {
    const added = await call(ADD_CONDITION, { i: { code: 'HP:0001250' } });
    const revised = await call(REVISE, { id: added.data!.id, c: { code: 'HP:0000822' } });
    expect(revised).toMatchObject({ data: { version: 2 } });
    expect((await record()).find((e) => e.id === added.data!.id)).toMatchObject({
      code: 'HP:0000822',
      version: 2,
    });
    const versions = await f.db.db
      .select()
      .from(recordEntryVersions)
      .where(eq(recordEntryVersions.entryId, added.data!.id));
    expect(versions.map((v) => v.code).sort()).toEqual(['HP:0000822', 'HP:0001250']);

    const retracted = await call(RETRACT, { id: added.data!.id });
    expect(retracted.__typename).toBe('MutationRetractRecordEntrySuccess');
    expect((await record()).map((e) => e.id)).not.toContain(added.data!.id);
    expect(await lastAuditEventWith(f.db.db, 'record.entry.retract')).toMatchObject({
      targetId: added.data!.id,
      participantId,
    });
    const again = await refusedWithNothingWritten(RETRACT, { id: added.data!.id });
    expect(again).toMatchObject({ code: 'CONFLICT' });
  });

  it('lets the participant dispute an entry someone else made, never edit or retract it', async () => {
    const [steward] = await f.db.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, 'steward@demo.local'));
    const theirs = await f.db.db.transaction((tx) =>
      writeEntry(
        tx,
        systemActor('ingest'),
        { source: 'steward_ingest', userId: steward!.id },
        {
          participantId,
          kind: 'condition',
          content: {
            code: 'MONDO:0005070',
            onset: null,
            valueNumber: null,
            valueText: null,
            unit: null,
            note: null,
          },
        },
      ),
    );
    const edit = await refusedWithNothingWritten(REVISE, {
      id: theirs.id,
      c: { code: 'HP:0002099' },
    });
    expect(edit).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusedWithNothingWritten(RETRACT, { id: theirs.id })).toMatchObject({
      code: 'FORBIDDEN',
    });

    const dispute = await call(ANNOTATE, { id: theirs.id, k: 'DISPUTE', t: 'I never had this' });
    expect(dispute.__typename).toBe('MutationAnnotateRecordEntrySuccess');
    expect((await record()).find((e) => e.id === theirs.id)).toMatchObject({
      source: 'STEWARD_INGEST',
      code: 'MONDO:0005070',
      version: 1,
      remarks: [{ kind: 'DISPUTE', text: 'I never had this' }],
    });
    const event = await lastAuditEventWith(f.db.db, 'record.entry.dispute');
    expect(event).toMatchObject({ targetId: theirs.id, participantId });
    expect(JSON.stringify(event!.payload)).not.toContain('never had');
  });

  it('offers the participant exactly the terms an entry may name, and no other role', async () => {
    await f.db.db.insert(ontologyTerms).values([
      { curie: 'HP:0099990', ontology: 'HP', label: 'Withdrawn phenotype', obsolete: true },
      { curie: 'GO:0099991', ontology: 'GO', label: 'Not a phenotype', obsolete: false },
    ]);
    const res = await f.gql<{ recordTerms: { id: string; label: string }[] }>(
      `{ recordTerms { id label } }`,
      {},
      { token: patient },
    );
    const offered = res.data!.recordTerms;
    expect(offered).toEqual(
      expect.arrayContaining([
        { id: 'HP:0002099', label: 'Asthma' },
        { id: 'MONDO:0005070', label: expect.any(String) },
      ]),
    );
    const ids = offered.map((t) => t.id);
    expect(ids).not.toContain('HP:0099990');
    expect(ids).not.toContain('GO:0099991');
    expect(ids.every((id) => /^(HP|MONDO):\d{7}$/.test(id))).toBe(true);
    const labels = offered.map((t) => t.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, 'en')));
    // What is offered is accepted; what is left out is refused.
    const obsolete = await refusedWithNothingWritten(ADD_CONDITION, { i: { code: 'HP:0099990' } });
    expect(obsolete).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ field: 'code' }],
    });
    const refused = await f.gql(`{ recordTerms { id } }`, {}, { token: f.tokens.researcher });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('answers "not found" for an entry that is not the participant’s, and refuses other roles', async () => {
    const missing = await refusedWithNothingWritten(RETRACT, {
      id: '00000000-0000-4000-8000-000000000000',
    });
    expect(missing).toMatchObject({ code: 'NOT_FOUND' });
    const res = await f.gql(MY_RECORD, {}, { token: f.tokens.researcher });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
