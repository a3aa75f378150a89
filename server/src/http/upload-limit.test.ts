import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf, createTestApi, loginAs, makeUser, testConfig } from '../test/test-api.js';
import { createTestRouter } from '../test/in-process-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { registerDataset } from '../modules/datasets/datasets.service.js';

const MB = 1024 * 1024;
const START = `mutation($input: StartIngestInput!) { startIngest(input: $input) {
  __typename ... on MutationStartIngestSuccess { data { id } } ... on Error { code } } }`;

describe(`one upload limit, UPLOAD_MAX_MB (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let router: ReturnType<typeof createTestRouter>;
  let token = '';
  let datasetId = '';
  const config = testConfig({ uploadMaxBytes: 40 * MB });
  beforeAll(async () => {
    db = await createTestDatabase();
    router = createTestRouter(db.db, config);
    const steward = await makeUser(db.db, 'steward');
    token = await loginAs(createTestApi(db.db, config), steward);
    datasetId = (
      await db.db.transaction((tx) =>
        registerDataset(tx, actorOf(steward), { name: 'Big', dataUse: { permission: 'GRU' } }),
      )
    ).id;
  });
  afterAll(() => db.dispose());

  async function upload(size: number) {
    const form = new FormData();
    form.set(
      'operations',
      JSON.stringify({
        query: START,
        variables: { input: { datasetId, kind: 'PHENOTYPES', file: null } },
      }),
    );
    form.set('map', JSON.stringify({ 0: ['variables.input.file'] }));
    // One endless line: the upload is accepted, and the ingest then refuses the line quickly.
    form.set('0', new File([Buffer.alloc(size, 'x')], 'big.csv'));
    // Encoded first, so the request declares its length as an HTTP client's would.
    const encoded = new Request('http://x/', { method: 'POST', body: form });
    const body = await encoded.arrayBuffer();
    return router.fetch('http://127.0.0.1:4000/graphql', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': encoded.headers.get('content-type')!,
        'content-length': String(body.byteLength),
      },
      body,
    });
  }

  it('accepts an upload over the 25 MB that yoga allows by default, up to the configured limit', async () => {
    const res = await upload(30 * MB);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { startIngest: { __typename: string } } };
    expect(body.data.startIngest.__typename).toBe('MutationStartIngestSuccess');
  });

  it('refuses an upload over the limit with 413 before reading it', async () => {
    const res = await upload(45 * MB);
    expect(res.status).toBe(413);
  });
});
