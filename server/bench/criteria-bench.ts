/**
 * Prints what one oversized cohortCount costs (issue #11, 7): a 160,000-leaf anyOf tree (about
 * 9.7 MB of JSON) sent in-process to the real GraphQL server on an embedded database. Prints the
 * answer's code, the wall time and the resident memory before and after.
 * Run: npm run bench:criteria
 */
import { openDatabase } from '../src/db/open-database.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { createTestApi, loginAs, makeUser, testConfig } from '../src/test/test-api.js';
import { insertCohortFixture } from '../src/test/cohort-fixture.js';

const handle = await openDatabase({ pgliteDir: 'memory://' });
await migrateDatabase(handle);
await insertCohortFixture(handle.db, 1_000, 3);
const gql = createTestApi(handle.db, testConfig());
const token = await loginAs(gql, await makeUser(handle.db, 'researcher'));
let n = 0;
const build = (level: number): Record<string, unknown> =>
  level === 0
    ? { variants: [`1-${1_000_000 + n++}-A-G`] }
    : { anyOf: Array.from({ length: 20 }, () => build(level - 1)) };
const criteria = build(4);
const bytes = JSON.stringify(criteria).length;
const mb = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const rssBefore = mb();
const started = performance.now();
const res = await gql(
  `query($c: CohortCriteriaInput!) { cohortCount(criteria: $c) { display } }`,
  { c: criteria },
  { token },
);
const ms = Math.round(performance.now() - started);
console.log(
  JSON.stringify({
    leaves: n,
    requestBytes: bytes,
    code: res.errors?.[0]?.extensions?.code ?? 'answered',
    ms,
    rssMbBefore: rssBefore,
    rssMbAfter: mb(),
  }),
);
await handle.close();
