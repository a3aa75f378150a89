import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { ensureShippedOntologies } from '../ontology/ontology-import.service.js';

const MATCH = `query($p: ResearchPurposeInput!, $d: DataUseInput!) {
  duoMatch(purpose: $p, dataUse: $d) { decision reasons obligations { code kind evidence } grantExpiryMonths }
}`;
type Match = {
  duoMatch: {
    decision: string;
    reasons: string[];
    obligations: { code: string; kind: string; evidence: string | null }[];
  };
};

describe(`duoMatch through GraphQL (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  beforeAll(async () => {
    db = await createTestDatabase();
    await ensureShippedOntologies(db.db, systemActor('test'));
    gql = createTestApi(db.db);
  });
  afterAll(() => db.dispose());

  it('is public, follows disease ancestry through the imported MONDO, and turns modifiers into obligations', async () => {
    const narrower = await gql<Match>(MATCH, {
      p: { primary: 'DS', diseases: ['MONDO:0005575'] },
      d: { permission: 'DS', diseases: ['MONDO:0004992'], modifiers: ['IRB'] },
    });
    expect(narrower.errors).toBeUndefined();
    expect(narrower.data?.duoMatch.decision).toBe('APPROVE');
    expect(narrower.data?.duoMatch.obligations).toContainEqual({
      code: 'IRB',
      kind: 'evidence',
      evidence: 'irb_letter',
    });
    const broader = await gql<Match>(MATCH, {
      p: { primary: 'DS', diseases: ['MONDO:0004992'] },
      d: { permission: 'DS', diseases: ['MONDO:0005575'] },
    });
    expect(broader.data?.duoMatch.decision).toBe('DENY');
    expect(broader.data?.duoMatch.reasons.join(' ')).toMatch(/MONDO:0004992|cancer/);
  });

  it('commercial research on non-commercial data is denied; sensitive topics go to review', async () => {
    const commercial = await gql<Match>(MATCH, {
      p: { primary: 'HMB', commercial: true },
      d: { permission: 'GRU', modifiers: ['NCU'] },
    });
    expect(commercial.data?.duoMatch.decision).toBe('DENY');
    const sensitive = await gql<Match>(MATCH, {
      p: { primary: 'HMB', sensitive: ['PEDIATRIC'] },
      d: { permission: 'GRU' },
    });
    expect(sensitive.data?.duoMatch.decision).toBe('ABSTAIN');
    expect(sensitive.data?.duoMatch.reasons.length).toBeGreaterThan(0);
  });

  it('a DS purpose without diseases is a validation error', async () => {
    const res = await gql(MATCH, { p: { primary: 'DS' }, d: { permission: 'GRU' } });
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION');
  });
});
