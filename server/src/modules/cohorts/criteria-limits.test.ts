import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { insertCohortFixture } from '../../test/cohort-fixture.js';
import { createTestApi, loginAs, makeUser, testConfig } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { canonicalJson } from '../audit/audit-hash.js';
import { MAX_VARIABLE_VALUES } from '../../graphql/variables-limit.js';
import type { CohortCriteria } from './cohort-criteria.js';
import { MAX_CRITERIA_NODES, MAX_CRITERIA_TERMS } from './criteria-limits.js';

const COUNT = `query($c: CohortCriteriaInput!) { cohortCount(criteria: $c) { display } }`;

/** `width` alternatives at each of `levels` levels: width^levels leaves. */
function wideTree(width: number, levels: number, leaf: (i: number) => CohortCriteria) {
  let n = 0;
  const build = (level: number): CohortCriteria =>
    level === 0 ? leaf(n++) : { anyOf: Array.from({ length: width }, () => build(level - 1)) };
  return build(levels);
}

function nested(depth: number): CohortCriteria {
  let c: CohortCriteria = { sex: 'female' };
  for (let i = 0; i < depth; i += 1) c = { not: c };
  return c;
}

/**
 * The resource attack of issue #11 (7): one cohortCount with a wide anyOf tree blocked the event
 * loop and stored its whole criteria in the audit trail. Criteria are capped in total nodes and
 * terms before any work, deep nesting is a VALIDATION error (not a crash), and the audit event
 * keeps a digest and a bounded summary.
 */
describe(`criteria limits (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  let token = '';
  beforeAll(async () => {
    db = await createTestDatabase();
    await insertCohortFixture(db.db, 300, 5);
    gql = createTestApi(
      db.db,
      testConfig({ countPrivacy: { minCellCount: 20, noiseRange: 3, budgetPerDay: 1_000 } }),
    );
    token = await loginAs(gql, await makeUser(db.db, 'researcher'));
  });
  afterAll(() => db.dispose());

  const ask = (c: unknown, t: string | undefined = token) =>
    gql<{ cohortCount: { display: string } }>(COUNT, { c }, t ? { token: t } : {});

  it('a tree with more nodes than the cap is refused with VALIDATION, and nothing is counted or audited', async () => {
    const before = (await auditEventsWithAction(db.db, 'cohort.count')).length;
    // 20 × 20 × 20 = 8,000 leaves: inside every per-list limit, far over the node cap.
    const res = await ask(wideTree(20, 3, () => ({ sex: 'female' })));
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION');
    expect(res.errors?.[0]?.message).toContain(`${MAX_CRITERIA_NODES}`);
    expect((await auditEventsWithAction(db.db, 'cohort.count')).length).toBe(before);
  });

  it('variables with more values than the request limit are refused before GraphQL coerces them', async () => {
    // 30 × 30 × 30 = 27,000 leaves: refused by the variables limit, before any resolver.
    const res = await ask(wideTree(30, 3, () => ({ sex: 'female' })));
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION');
    expect(res.errors?.[0]?.message).toContain(`at most ${MAX_VARIABLE_VALUES} values`);
  });

  it('more terms than the cap in total (each list within its own limit) is refused with VALIDATION', async () => {
    const genes = Array.from({ length: 1_000 }, (_, i) => `G${i}`);
    const res = await ask({ anyOf: Array.from({ length: 10 }, () => ({ genes })) });
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION');
    expect(res.errors?.[0]?.message).toContain(`${MAX_CRITERIA_TERMS}`);
  });

  it('criteria nested 1,000 deep answer VALIDATION, signed in and anonymously', async () => {
    const deep = nested(1_000);
    const signedIn = await ask(deep);
    expect(signedIn.errors?.[0]?.extensions?.code).toBe('VALIDATION');
    const anonymous = await ask(deep, undefined);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('VALIDATION');
    // Six levels is one too many for the engine's own limit: still VALIDATION, not a crash.
    expect((await ask(nested(6))).errors?.[0]?.extensions?.code).toBe('VALIDATION');
    expect((await ask(nested(4))).data?.cohortCount.display).toBeDefined();
  });

  it('a region that fails the pattern answers VALIDATION', async () => {
    for (const region of ['17:abc', 'chr17-100-200', '17:100-', '']) {
      const res = await ask({ regions: [region] });
      expect(res.errors?.[0]?.extensions?.code, region).toBe('VALIDATION');
    }
  });

  it('the audit event keeps a digest and a bounded summary of large criteria, not the criteria', async () => {
    // Within the caps: 20 alternatives of 240 variants each (4,800 terms).
    const criteria = wideTree(20, 1, (i) => ({
      variants: Array.from({ length: 240 }, (_, j) => `1-${1_000_000 + i * 1_000 + j}-A-G`),
    }));
    const res = await ask(criteria);
    expect(res.errors).toBeUndefined();
    const events = await auditEventsWithAction(db.db, 'cohort.count');
    const payload = events.at(-1)!.payload;
    expect(payload.length).toBeLessThan(4_096);
    const parsed = JSON.parse(payload) as {
      criteria?: unknown;
      criteriaDigest: string;
      criteriaSummary: { nodes: number; terms: number; depth: number };
    };
    expect(parsed.criteria).toBeUndefined();
    expect(parsed.criteriaDigest).toBe(
      createHash('sha256')
        .update(canonicalJson(criteria as Record<string, unknown>))
        .digest('hex'),
    );
    expect(parsed.criteriaSummary).toMatchObject({ nodes: 21, terms: 4_800, depth: 2 });
    // Small criteria stay readable in full, next to the digest.
    await ask({ sex: 'male' });
    const small = JSON.parse((await auditEventsWithAction(db.db, 'cohort.count')).at(-1)!.payload);
    expect(small).toMatchObject({ criteria: { sex: 'male' }, criteriaSummary: { nodes: 1 } });
  });
});
