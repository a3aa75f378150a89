import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD, createTestApi, loginAs } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { chainOutbox } from '../chain/chain.tables.js';
import { ontologyParents, ontologyTerms } from '../ontology/ontology.tables.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
} from '../participants/participants.service.js';
import { consentPreferences } from './consent.tables.js';

const SET = `mutation($i: ConsentPreferencesInput!) { setConsentPreferences(input: $i) {
  __typename
  ... on MutationSetConsentPreferencesSuccess { data { version purposes { hmb ds } diseases { id choice } } }
  ... on ValidationError { message fieldErrors { field message } } } }`;

const PSYCH = 'MONDO:0002025';
const SCHIZO = 'MONDO:0005090';

const prefs = (purposes: Record<string, string>, diseases?: unknown) => ({
  purposes: {
    gru: 'ASK',
    hmb: 'PERMIT',
    ds: 'PERMIT',
    poa: 'ASK',
    methods: 'ASK',
    commercial: 'DENY',
    ...purposes,
  },
  ...(diseases === undefined ? {} : { diseases }),
  askEachTime: false,
  discoverable: true,
  recontact: false,
});

interface SetResult {
  setConsentPreferences: {
    __typename: string;
    message?: string;
    fieldErrors?: { field: string; message: string }[];
    data?: { version: number; diseases: { id: string; choice: string }[] };
  };
}

describe(`nested purposes through the API (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  let token = '';
  let participantId = '';
  const written = async () => ({
    versions: (
      await db.db
        .select()
        .from(consentPreferences)
        .where(eq(consentPreferences.participantId, participantId))
    ).length,
    outbox: (await db.db.select().from(chainOutbox)).length,
  });
  const set = (i: unknown) => gql<SetResult>(SET, { i }, { token });

  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db);
    await db.db.insert(ontologyTerms).values([
      { curie: 'MONDO:0000001', label: 'disease', ontology: 'MONDO' },
      { curie: PSYCH, label: 'psychiatric disorder', ontology: 'MONDO' },
      { curie: SCHIZO, label: 'schizophrenia', ontology: 'MONDO' },
      { curie: 'HP:0001250', label: 'Seizure', ontology: 'HP' },
    ]);
    await db.db.insert(ontologyParents).values([
      { child: PSYCH, parent: 'MONDO:0000001' },
      { child: SCHIZO, parent: PSYCH },
    ]);
    const operator = systemActor('test');
    const email = 'nested@test.local';
    participantId = await db.db.transaction(async (tx) => {
      const p = await createParticipant(tx, operator, { sex: 'female', birthYear: 1980 });
      const { code } = await createEnrolmentCode(tx, operator, p.id);
      await enrolWithCode(tx, { code, email, password: TEST_PASSWORD, displayName: 'N' });
      return p.id;
    });
    token = await loginAs(gql, { email } as never);
  });
  afterAll(() => db.dispose());

  it('"allow health research, but deny psychiatric conditions" is saved and recorded on chain', async () => {
    const res = await set(prefs({}, [{ id: PSYCH, choice: 'DENY' }]));
    expect(res.data?.setConsentPreferences.data).toMatchObject({
      version: 1,
      diseases: [{ id: PSYCH, choice: 'DENY' }],
    });
    const scopes = (await db.db.select().from(chainOutbox)).map(
      (q) => q.item as { scope: string; decision: string; format: number },
    );
    expect(scopes.find((s) => s.scope === 'purpose:DS:MONDO_0002025')).toMatchObject({
      decision: 'deny',
      format: 2,
    });
  });

  it('a change of one disease records only that disease; dropping one records it as DS again', async () => {
    let before = (await written()).outbox;
    await set(
      prefs({}, [
        { id: PSYCH, choice: 'DENY' },
        { id: SCHIZO, choice: 'ASK' },
      ]),
    );
    let queued = (await db.db.select().from(chainOutbox)).slice(before);
    expect(queued.map((q) => (q.item as { scope: string }).scope)).toEqual([
      'purpose:DS:MONDO_0005090',
    ]);
    before = (await written()).outbox;
    await set(prefs({}, [{ id: SCHIZO, choice: 'ASK' }]));
    queued = (await db.db.select().from(chainOutbox)).slice(before);
    expect(queued.map((q) => q.item)).toMatchObject([
      { scope: 'purpose:DS:MONDO_0002025', decision: 'permit' },
    ]);
  });

  it('leaving diseases out keeps them (older clients erase nothing); an empty list clears them', async () => {
    const kept = await set(prefs({ poa: 'DENY' }));
    expect(kept.data?.setConsentPreferences.data?.diseases).toEqual([
      { id: SCHIZO, choice: 'ASK' },
    ]);
    const cleared = await set(prefs({}, []));
    expect(cleared.data?.setConsentPreferences.data?.diseases).toEqual([]);
  });

  it('a stored version from before nested purposes (no diseases) still reads, as none', async () => {
    await db.db.execute(
      sql`update consent_preferences set diseases = 'null'::jsonb where participant_id = ${participantId}`,
    );
    const res = await gql<{ myConsent: { current: { diseases: unknown[] } } }>(
      `{ myConsent { current { diseases { id } } } }`,
      {},
      { token },
    );
    expect(res.data?.myConsent.current.diseases).toEqual([]);
    await db.db.execute(
      sql`update consent_preferences set diseases = '[]'::jsonb where participant_id = ${participantId}`,
    );
  });

  const refused: [string, unknown, string, RegExp][] = [
    [
      'allow all research, deny health research',
      prefs({ gru: 'PERMIT', hmb: 'DENY', ds: 'PERMIT' }),
      'purposes.HMB',
      /You allow all research but not health research: health research is part of all research/,
    ],
    [
      'allow health research, deny every disease',
      prefs({ hmb: 'PERMIT', ds: 'DENY' }),
      'purposes.DS',
      /research on diseases is part of health research/,
    ],
    [
      'a DS choice naming no disease',
      prefs({}, [{ id: '', choice: 'DENY' }]),
      'diseases.0.id',
      /Name the disease this choice is about/,
    ],
    [
      'a DS choice naming something other than a MONDO id',
      prefs({}, [{ id: 'HP:0001250', choice: 'DENY' }]),
      'diseases.0.id',
      /MONDO disease id/,
    ],
    [
      'an unknown MONDO id',
      prefs({}, [{ id: 'MONDO:9999999', choice: 'DENY' }]),
      'diseases.0.id',
      /We do not know the disease MONDO:9999999/,
    ],
    [
      'the same disease twice',
      prefs({}, [
        { id: PSYCH, choice: 'DENY' },
        { id: PSYCH, choice: 'PERMIT' },
      ]),
      'diseases.1.id',
      /twice/,
    ],
  ];
  it.each(refused)('%s is refused and nothing is written', async (_name, input, field, why) => {
    const before = await written();
    const res = await set(input);
    expect(res.data?.setConsentPreferences.__typename).toBe('ValidationError');
    const issue = res.data?.setConsentPreferences.fieldErrors?.find((f) => f.field === field);
    expect(issue?.message).toMatch(why);
    expect(await written()).toEqual(before);
  });
});
