import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf, createTestApi, loginAs, makeUser, testConfig } from '../../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../../test/test-database.js';
import { systemActor } from '../../actors/actor.js';
import { createAppServices } from '../../../app/app-services.js';
import { createGraphQLServer } from '../../../http/yoga.js';
import { createParticipant } from '../../participants/participants.service.js';
import { registerDataset } from '../datasets.service.js';

const START = `mutation($input: StartIngestInput!) { startIngest(input: $input) {
  __typename ... on MutationStartIngestSuccess { data { id status } } ... on Error { code message } } }`;
const JOB = `query($id: ID!) { ingestJob(id: $id) { status percent records calls report error { code message } } }`;

describe(`ingest upload through GraphQL (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let token = '';
  let datasetId = '';
  let yoga: ReturnType<typeof createGraphQLServer>;
  beforeAll(async () => {
    db = await createTestDatabase();
    const steward = await makeUser(db.db, 'steward');
    token = await loginAs(createTestApi(db.db), steward);
    datasetId = (
      await db.db.transaction((tx) =>
        registerDataset(tx, actorOf(steward), { name: 'Uploads', dataUse: { permission: 'GRU' } }),
      )
    ).id;
    await db.db.transaction(async (tx) => {
      for (const p of ['P-UP-1', 'P-UP-2'])
        await createParticipant(tx, systemActor('test'), { pseudonym: p, sex: 'male' });
    });
    const config = testConfig();
    yoga = createGraphQLServer(db.db, config, createAppServices(db.db, config));
  });
  afterAll(() => db.dispose());

  /** A GraphQL multipart request (the spec used by every GraphQL upload client). */
  async function upload(file: File, auth = token) {
    const form = new FormData();
    form.set(
      'operations',
      JSON.stringify({
        query: START,
        variables: { input: { datasetId, kind: 'VCF', file: null } },
      }),
    );
    form.set('map', JSON.stringify({ 0: ['variables.input.file'] }));
    form.set('0', file);
    const res = await yoga.fetch('http://test.local/graphql', {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${auth}` },
    });
    return (await res.json()) as {
      data?: { startIngest: { __typename: string; data?: { id: string }; code?: string } };
      errors?: unknown[];
    };
  }
  async function poll(id: string) {
    // Up to 20 s: CI runs this beside other suites on two cores; a healthy job ends in ms.
    for (let i = 0; i < 400; i += 1) {
      const res = await yoga.fetch('http://test.local/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: JOB, variables: { id } }),
      });
      const job = (
        (await res.json()) as { data: { ingestJob: { status: string } & Record<string, unknown> } }
      ).data.ingestJob;
      if (job.status !== 'running') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('job did not finish');
  }

  const vcf = (rows: string[]) =>
    new File(
      [
        [
          '##fileformat=VCFv4.2',
          '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tP-UP-1\tP-UP-2',
          ...rows,
        ].join('\n') + '\n',
      ],
      'upload.vcf',
    );

  it('a steward uploads a VCF, polls the job to completion and gets the report', async () => {
    const res = await upload(vcf(['1\t100\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\t1/1']));
    expect(res.data?.startIngest.__typename).toBe('MutationStartIngestSuccess');
    const job = await poll(res.data!.startIngest.data!.id);
    expect(job).toMatchObject({
      status: 'completed',
      percent: 100,
      report: { calls: 2, records: 1, samples: 2 },
    });
  });

  it('a broken upload fails its job with the line and reason, and stores nothing', async () => {
    const res = await upload(vcf(['1\tX\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\t1/1']));
    const job = await poll(res.data!.startIngest.data!.id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'VALIDATION' });
    expect(String((job.error as { message: string }).message)).toMatch(/line 3/);
  });

  it('another steward cannot ingest into the dataset and cannot see the jobs', async () => {
    const other = await loginAs(createTestApi(db.db), await makeUser(db.db, 'steward'));
    const res = await upload(vcf([]), other);
    expect(res.data?.startIngest).toMatchObject({ __typename: 'ForbiddenError' });
  });
});
