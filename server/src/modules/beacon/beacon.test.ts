import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/query-rows.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { insertCohortFixture, type CohortFixture } from '../../test/cohort-fixture.js';
import { createTestApi, loginAs, makeUser, testConfig } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { recordCohortChange } from '../cohort-changes/cohort-changes.js';
import type { CohortCriteria } from '../cohorts/cohort-criteria.js';
import { createAppServices } from '../../app/app-services.js';
import { CohortCounter } from '../cohorts/cohort-counter.js';
import type { CohortEngine } from '../cohorts/cohort-engine.js';
import { preferenceBreakdown } from '../cohorts/preference-breakdown.js';
import { participants } from '../participants/participants.tables.js';
import { beaconRoute } from './beacon-route.js';

// --- The vendored Beacon v2 framework schemas, every file under its path-based $id. ---------

const SCHEMA_ROOT = fileURLToPath(
  new URL('../../../test-fixtures/beacon-v2/framework/json/', import.meta.url),
);
const SCHEMA_BASE = 'https://beacon-v2.test/framework/json/';

function schemaFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? schemaFiles(path.join(dir, e.name))
      : e.name.endsWith('.json')
        ? [path.join(dir, e.name)]
        : [],
  );
}

function beaconSchemas() {
  // The schemas use non-standard annotations (`example`), so strict mode would refuse them.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // ajv-formats is CommonJS with `exports.default`: which of the two an ESM import yields varies.
  const plugin = formatsPlugin as unknown as { default?: (a: Ajv2020) => void } & ((
    a: Ajv2020,
  ) => void);
  (plugin.default ?? plugin)(ajv);
  for (const file of schemaFiles(SCHEMA_ROOT)) {
    const id = SCHEMA_BASE + path.relative(SCHEMA_ROOT, file).split(path.sep).join('/');
    ajv.addSchema({ ...(JSON.parse(readFileSync(file, 'utf8')) as object), $id: id });
  }
  return (name: string, body: unknown): void => {
    const validate = ajv.getSchema(`${SCHEMA_BASE}responses/${name}.json`);
    if (!validate) throw new Error(`no schema ${name}`);
    if (!validate(body))
      throw new Error(
        `${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body, null, 1)}`,
      );
  };
}

// --- Shapes the tests read. ------------------------------------------------------------------

interface Summary {
  exists: boolean;
  numTotalResults?: number;
}
interface ResultSet {
  id: string;
  setType: string;
  exists: boolean;
  resultsCount: number;
  info: { returnedGranularity: string; countSuppressed?: boolean; countDisplay?: string };
}
interface QueryBody {
  meta: { returnedGranularity: 'boolean' | 'count' | 'record' };
  responseSummary: Summary;
  response?: { resultSets: ResultSet[] };
  info?: { countSuppressed?: boolean; countDisplay?: string; notes?: string[] };
  error?: { errorCode: number; errorMessage: string };
}

/** The schema a query response must satisfy, from its shape. */
function querySchemaOf(body: QueryBody): string {
  if (body.response) return 'beaconResultsetsResponse';
  return body.meta.returnedGranularity === 'count'
    ? 'beaconCountResponse'
    : 'beaconBooleanResponse';
}

/** Beacon request parameters for a stored `CHROM-POS-REF-ALT` key (Beacon start is 0-based). */
function alleleParameters(key: string) {
  const [chrom, pos, ref, alt] = key.split('-') as [string, string, string, string];
  return {
    referenceName: chrom,
    start: [Number(pos) - 1],
    referenceBases: ref,
    alternateBases: alt,
  };
}

function alleleQueryString(key: string): string {
  const p = alleleParameters(key);
  return `referenceName=${p.referenceName}&start=${p.start[0]}&referenceBases=${p.referenceBases}&alternateBases=${p.alternateBases}`;
}

const SETTINGS = { minCellCount: 20, noiseRange: 3, budgetPerDay: 10_000 };

describe(`GA4GH Beacon v2 endpoints (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let fx: CohortFixture;
  let cohorts: CohortEngine;
  let services: ReturnType<typeof createAppServices>;
  let route: ReturnType<typeof beaconRoute>;
  let gql: ReturnType<typeof createTestApi>;
  let researcher = '';
  let participantToken = '';
  let validate: ReturnType<typeof beaconSchemas>;
  let small = '';
  let common = '';

  beforeAll(async () => {
    validate = beaconSchemas();
    db = await createTestDatabase();
    fx = await insertCohortFixture(db.db, 1_200, 11);
    const config = testConfig({ countPrivacy: SETTINGS });
    services = createAppServices(db.db, config);
    cohorts = services.cohorts;
    // A stand-in for the passport module: the header names the datasets a visa would grant.
    route = beaconRoute({
      db: db.db,
      counter: services.counter,
      // Public-tier limits are tested in beacon-public-tier.test.ts; here they stay out of the way.
      publicLimits: { perMinute: 1_000_000, perDay: 1_000_000 },
      visas: (request) =>
        Promise.resolve(new Set(request.headers.get('x-test-visa')?.split(',') ?? [])),
    });
    gql = createTestApi(db.db, config, services);
    researcher = await loginAs(gql, await makeUser(db.db, 'researcher'));
    participantToken = await loginAs(gql, await makeUser(db.db, 'participant'));
    const index = await cohorts.current();
    small = fx.variantKeys.find((v) => {
      const n = index.count({ variants: [v] });
      return n > 0 && n < SETTINGS.minCellCount;
    })!;
    common = fx.variantKeys.find((v) => index.count({ variants: [v] }) >= 100)!;
    expect(small).toBeDefined();
    expect(common).toBeDefined();
  });
  afterAll(async () => {
    services.dispose();
    await db.dispose();
  });

  async function call(
    pathAndQuery: string,
    opts: {
      body?: unknown;
      token?: string;
      headers?: Record<string, string>;
      method?: string;
    } = {},
  ): Promise<{ status: number; body: QueryBody & Record<string, unknown>; headers: Headers }> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const response = await route.handler(
      new Request(`http://127.0.0.1:4000/api/beacon${pathAndQuery}`, {
        method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
        headers,
        body:
          opts.body === undefined
            ? undefined
            : typeof opts.body === 'string'
              ? opts.body
              : JSON.stringify(opts.body),
      }),
      {},
    );
    return {
      status: response.status,
      body: (await response.json()) as QueryBody & Record<string, unknown>,
      headers: response.headers,
    };
  }

  const post = (entry: string, query: Record<string, unknown>, token?: string, headers = {}) =>
    call(`/${entry}`, {
      body: { meta: { apiVersion: 'v2.0.0' }, query },
      ...(token ? { token } : {}),
      headers,
    });

  async function truth(c: CohortCriteria): Promise<number> {
    return (await cohorts.current()).count(c);
  }

  it('the schema check is real: it refuses a count response without numTotalResults', () => {
    const meta = {
      beaconId: 'x',
      apiVersion: 'v2.0.0',
      returnedGranularity: 'count',
      returnedSchemas: [],
      receivedRequestSummary: {
        apiVersion: 'v2.0.0',
        requestedSchemas: [],
        pagination: {},
        requestedGranularity: 'count',
      },
    };
    expect(() =>
      validate('beaconCountResponse', { meta, responseSummary: { exists: true } }),
    ).toThrow(/numTotalResults/);
    validate('beaconCountResponse', {
      meta,
      responseSummary: { exists: true, numTotalResults: 3 },
    });
  });

  it('serves every informational endpoint, anonymously and to a researcher, as its schema says', async () => {
    const endpoints: [string, string][] = [
      ['', 'beaconInfoResponse'],
      ['/', 'beaconInfoResponse'],
      ['/info', 'beaconInfoResponse'],
      ['/service-info', 'ga4gh-service-info-1-0-0-schema'],
      ['/map', 'beaconMapResponse'],
      ['/configuration', 'beaconConfigurationResponse'],
      ['/entry_types', 'beaconEntryTypesResponse'],
      ['/filtering_terms', 'beaconFilteringTermsResponse'],
    ];
    for (const token of [undefined, researcher]) {
      for (const [p, schema] of endpoints) {
        const res = await call(p, token ? { token } : {});
        expect(res.status, p).toBe(200);
        expect(res.headers.get('content-type')).toContain('application/json');
        validate(schema, res.body);
      }
      const posted = await call('/filtering_terms', {
        body: { meta: { apiVersion: 'v2.0.0' } },
        ...(token ? { token } : {}),
      });
      validate('beaconFilteringTermsResponse', posted.body);
    }
    const map = (await call('/map')).body as unknown as {
      response: { endpointSets: Record<string, { rootUrl: string }> };
    };
    expect(map.response.endpointSets.individual?.rootUrl).toBe(
      'http://127.0.0.1:4000/api/beacon/individuals',
    );
    const service = (await call('/service-info')).body as unknown as { type: { artifact: string } };
    expect(service.type.artifact).toBe('beacon');
  });

  it('lists as filtering terms the sex terms and the observed HPO/MONDO terms with their labels', async () => {
    const res = await call('/filtering_terms');
    const terms = (
      res.body as unknown as { response: { filteringTerms: { id: string; label: string }[] } }
    ).response.filteringTerms;
    const ids = terms.map((t) => t.id);
    expect(ids).toEqual(expect.arrayContaining(['NCIT:C16576', 'NCIT:C20197', 'MONDO:0005575']));
    expect(terms.find((t) => t.id === 'HP:0001250')?.label).toBe('Seizure');
    // The fixture observes leaf terms only: a parent is a valid filter but was never observed.
    expect(ids).not.toContain('HP:0000118');
    const page = await call('/filtering_terms?skip=1&limit=2');
    validate('beaconFilteringTermsResponse', page.body);
    expect(
      (
        page.body as unknown as { response: { filteringTerms: { id: string }[] } }
      ).response.filteringTerms.map((t) => t.id),
    ).toEqual(ids.slice(2, 4));
  });

  it('answers anonymous queries (GET and POST, both entry types) with exists only (at least minCellCount matches), even when counts are asked for', async () => {
    const queries: [string, () => ReturnType<typeof call>, CohortCriteria][] = [
      [
        'GET individuals',
        () => call('/individuals?filters=HP:0000707,NCIT:C16576&requestedGranularity=count'),
        { phenotypes: ['HP:0000707'], sex: 'female' },
      ],
      [
        'POST individuals',
        () =>
          post('individuals', {
            filters: [{ id: 'MONDO:0004992', scope: 'individual' }],
            requestedGranularity: 'count',
          }),
        { diseases: ['MONDO:0004992'] },
      ],
      [
        'GET g_variants',
        () => call(`/g_variants?${alleleQueryString(common)}&assemblyId=GRCh38`),
        { variants: [common] },
      ],
      [
        'POST g_variants',
        () =>
          post('g_variants', {
            requestParameters: { ...alleleParameters(small), assemblyId: 'GRCh38' },
            requestedGranularity: 'count',
          }),
        { variants: [small] },
      ],
    ];
    for (const [name, ask, criteria] of queries) {
      const res = await ask();
      expect(res.status, name).toBe(200);
      validate('beaconBooleanResponse', res.body);
      expect(res.body.meta.returnedGranularity).toBe('boolean');
      expect(res.body.responseSummary.numTotalResults).toBeUndefined();
      expect(res.body.responseSummary.exists, name).toBe(
        (await truth(criteria)) >= SETTINGS.minCellCount,
      );
    }
    const none = await call(
      '/individuals?filters=HP:0001250,HP:0001627,MONDO:0007254,MONDO:0005575',
    );
    validate('beaconBooleanResponse', none.body);
    expect(none.body.responseSummary.exists).toBe(
      (await truth({
        phenotypes: ['HP:0001250', 'HP:0001627'],
        diseases: ['MONDO:0007254', 'MONDO:0005575'],
      })) >= SETTINGS.minCellCount,
    );
  });

  it('a signed-in participant is no researcher: exists only', async () => {
    const res = await call('/individuals?requestedGranularity=count', { token: participantToken });
    validate('beaconBooleanResponse', res.body);
    expect(res.body.meta.returnedGranularity).toBe('boolean');
  });

  it('gives a researcher counts within the noise of the index, ontology descendants included', async () => {
    const cases: [() => ReturnType<typeof call>, CohortCriteria][] = [
      [
        () =>
          call('/individuals?filters=NCIT:C16576&requestedGranularity=count', {
            token: researcher,
          }),
        { sex: 'female' },
      ],
      [
        () =>
          post(
            'individuals',
            { filters: [{ id: 'HP:0000118' }], requestedGranularity: 'count' },
            researcher,
          ),
        { phenotypes: ['HP:0000118'] },
      ],
      [
        () =>
          call(`/g_variants?${alleleQueryString(common)}&requestedGranularity=count`, {
            token: researcher,
          }),
        { variants: [common] },
      ],
      [
        () =>
          post(
            'g_variants',
            {
              requestParameters: { geneId: 'TP53' },
              filters: ['NCIT:C20197'],
              requestedGranularity: 'count',
            },
            researcher,
          ),
        { genes: ['TP53'], sex: 'male' },
      ],
      [() => call('/individuals?requestedGranularity=count', { token: researcher }), {}],
    ];
    for (const [ask, criteria] of cases) {
      const res = await ask();
      expect(res.status).toBe(200);
      validate('beaconCountResponse', res.body);
      expect(res.body.meta.returnedGranularity).toBe('count');
      const n = await truth(criteria);
      expect(n).toBeGreaterThanOrEqual(SETTINGS.minCellCount);
      expect(Math.abs(res.body.responseSummary.numTotalResults! - n)).toBeLessThanOrEqual(
        SETTINGS.noiseRange,
      );
      expect(res.body.responseSummary.exists).toBe(true);
    }
    // Descendants: the root HPO term matches everyone with any observed HPO leaf.
    expect(await truth({ phenotypes: ['HP:0000118'] })).toBeGreaterThan(
      await truth({ phenotypes: ['HP:0001250'] }),
    );
  });

  it('shows a researcher the same figure the GraphQL cohortCount shows for the same set', async () => {
    const fresh = await loginAs(gql, await makeUser(db.db, 'researcher'));
    const beacon = await call('/individuals?filters=HP:0000707&requestedGranularity=count', {
      token: fresh,
    });
    const graph = await gql<{ cohortCount: { count: number } }>(
      `query($c: CohortCriteriaInput!) { cohortCount(criteria: $c) { count } }`,
      { c: { phenotypes: ['HP:0000707'] } },
      { token: fresh },
    );
    expect(beacon.body.responseSummary.numTotalResults).toBe(graph.data!.cohortCount.count);
  });

  it('suppresses a small count: exists true, no numTotalResults, boolean granularity; zero stays 0', async () => {
    const res = await post(
      'g_variants',
      { requestParameters: alleleParameters(small), requestedGranularity: 'count' },
      researcher,
    );
    validate('beaconBooleanResponse', res.body);
    expect(res.body.meta.returnedGranularity).toBe('boolean');
    expect(res.body.responseSummary).toEqual({ exists: true });
    expect(res.body.info).toMatchObject({ countSuppressed: true, countDisplay: '<20' });
    const zero = await post(
      'g_variants',
      {
        requestParameters: {
          referenceName: '22',
          start: [5],
          referenceBases: 'A',
          alternateBases: 'C',
        },
        requestedGranularity: 'count',
      },
      researcher,
    );
    validate('beaconCountResponse', zero.body);
    expect(zero.body.responseSummary).toEqual({ exists: false, numTotalResults: 0 });
  });

  it('reads Beacon start as 0-based: start = POS − 1 finds the VCF variant, start = POS does not', async () => {
    const [chrom, pos, ref, alt] = common.split('-') as [string, string, string, string];
    const at = (start: number) =>
      call(
        `/g_variants?referenceName=chr${chrom}&start=${start}&referenceBases=${ref}&alternateBases=${alt}`,
      );
    expect((await at(Number(pos) - 1)).body.responseSummary.exists).toBe(true);
    expect((await at(Number(pos))).body.responseSummary.exists).toBe(false);
    // A range query [start, end) covers POS start+1..end.
    const range = (s: number, e: number) =>
      call(`/g_variants?referenceName=${chrom}&start=${s}&end=${e}&requestedGranularity=count`, {
        token: researcher,
      });
    const hit = await range(Number(pos) - 1, Number(pos));
    validate(querySchemaOf(hit.body), hit.body);
    expect(hit.body.responseSummary.exists).toBe(true);
    expect((await range(Number(pos), Number(pos) + 1)).body.responseSummary.exists).toBe(
      (await truth({ regions: [`${chrom}:${Number(pos) + 1}-${Number(pos) + 1}`] })) > 0,
    );
  });

  it('downgrades record granularity (no records leave) and says so', async () => {
    const res = await post('individuals', { requestedGranularity: 'record' }, researcher);
    validate('beaconCountResponse', res.body);
    expect(res.body.meta.returnedGranularity).toBe('count');
    expect(res.body.info?.notes?.join(' ')).toContain('record granularity is not served');
    const anonymous = await post('individuals', { requestedGranularity: 'record' });
    validate('beaconBooleanResponse', anonymous.body);
    expect(anonymous.body.meta.returnedGranularity).toBe('boolean');
  });

  it('gives a visa holder protected per-dataset counts as result sets, for granted datasets only', async () => {
    const [granted, other] = fx.datasetIds as [string, string];
    const visa = { 'x-test-visa': granted };
    const res = await post(
      'individuals',
      { filters: ['NCIT:C16576'], requestedGranularity: 'count', includeResultsetResponses: 'ALL' },
      researcher,
      visa,
    );
    validate('beaconResultsetsResponse', res.body);
    const sets = res.body.response!.resultSets;
    expect(sets.map((s) => s.id)).toEqual([granted]);
    const n = await truth({ sex: 'female', datasets: [granted] });
    expect(Math.abs(sets[0]!.resultsCount - n)).toBeLessThanOrEqual(SETTINGS.noiseRange);
    expect(sets[0]).toMatchObject({ setType: 'dataset', exists: true });
    expect(res.body.responseSummary.numTotalResults).toBeDefined();

    // A visa alone (no account) gives the granted dataset's count, not the whole beacon's.
    const visaOnly = await post(
      'g_variants',
      { requestParameters: alleleParameters(small), requestedGranularity: 'count' },
      undefined,
      { 'x-test-visa': `${granted},${other}` },
    );
    validate('beaconResultsetsResponse', visaOnly.body);
    expect(visaOnly.body.responseSummary.numTotalResults).toBeUndefined();
    const hits = visaOnly.body.response!.resultSets;
    // The fixture's calls are all in the first dataset; HIT lists those with carriers only.
    const carriersIn = async (d: string) => truth({ variants: [small], datasets: [d] });
    for (const s of hits) {
      expect(s.exists).toBe(true);
      expect(s.info).toMatchObject({ returnedGranularity: 'boolean', countSuppressed: true });
      expect(s.resultsCount).toBe(0);
    }
    expect(hits.length).toBe(
      ((await carriersIn(granted)) > 0 ? 1 : 0) + ((await carriersIn(other)) > 0 ? 1 : 0),
    );
    expect(visaOnly.body.meta.returnedGranularity).toBe('boolean');

    const miss = await post(
      'individuals',
      {
        filters: ['NCIT:C16576'],
        requestedGranularity: 'count',
        includeResultsetResponses: 'MISS',
      },
      researcher,
      visa,
    );
    validate('beaconResultsetsResponse', miss.body);
    expect(miss.body.response!.resultSets).toEqual([]);
    const none = await post(
      'individuals',
      {
        filters: ['NCIT:C16576'],
        requestedGranularity: 'count',
        includeResultsetResponses: 'NONE',
      },
      researcher,
      visa,
    );
    validate('beaconCountResponse', none.body);
    // Visas for unknown or malformed dataset ids grant nothing.
    const bogus = await post('individuals', { requestedGranularity: 'count' }, undefined, {
      'x-test-visa': 'not-a-dataset,00000000-0000-4000-8000-000000000000',
    });
    validate('beaconBooleanResponse', bogus.body);
  });

  it('never counts a withdrawn or non-discoverable participant, from the very next query', async () => {
    const index = await cohorts.current();
    const singletons = fx.variantKeys
      .filter((v) => index.count({ variants: [v] }) === 1)
      .slice(0, 2);
    expect(singletons.length).toBe(2);
    const carrierOf = async (key: string): Promise<number> => {
      const [chrom, pos, ref, alt] = key.split('-');
      const list = await queryRows<{ participant_num: number }>(
        db.db,
        sql`select c.participant_num from variant_calls c join variants v on v.id = c.variant_id
            where v.chrom = ${chrom} and v.pos = ${Number(pos)} and v.ref = ${ref} and v.alt = ${alt}`,
      );
      return Number(list[0]!.participant_num);
    };
    const ask = (key: string) =>
      post(
        'g_variants',
        { requestParameters: alleleParameters(key), requestedGranularity: 'count' },
        researcher,
      );
    for (const [key, change] of [
      [singletons[0]!, { status: 'withdrawn', withdrawnAt: new Date() }],
      [singletons[1]!, { discoverable: false }],
    ] as const) {
      expect((await ask(key)).body.responseSummary.exists).toBe(true);
      expect(
        (await call(`/g_variants?${alleleQueryString(key)}`, { token: researcher })).body
          .responseSummary.exists,
      ).toBe(true);
      const num = await carrierOf(key);
      await db.db.transaction(async (tx) => {
        await tx.update(participants).set(change).where(eq(participants.num, num));
        await recordCohortChange(tx, 'participant', num);
      });
      const after = await ask(key);
      validate(querySchemaOf(after.body), after.body);
      expect(after.body.responseSummary).toEqual({ exists: false, numTotalResults: 0 });
      const boolean = await call(`/g_variants?${alleleQueryString(key)}`, { token: researcher });
      expect(boolean.body.responseSummary.exists).toBe(false);
    }
  });

  it('answers bad requests with a 400 beaconErrorResponse that says what is wrong', async () => {
    const bad: [string, () => ReturnType<typeof call>, string][] = [
      ['unknown prefix', () => call('/individuals?filters=FOO:123'), 'FOO:123'],
      ['unknown term', () => call('/individuals?filters=HP:9999999'), 'not a known term'],
      ['two sexes', () => call('/individuals?filters=NCIT:C16576,NCIT:C20197'), 'sex'],
      [
        'granularity',
        () => call('/individuals?requestedGranularity=aggregated'),
        'requestedGranularity',
      ],
      [
        'POST granularity',
        () => post('individuals', { requestedGranularity: 'aggregated' }),
        'requestedGranularity',
      ],
      [
        'includeResultsetResponses',
        () => call('/individuals?includeResultsetResponses=SOME'),
        'includeResultsetResponses',
      ],
      ['no variant', () => call('/g_variants'), 'g_variants query needs'],
      [
        'start without referenceName',
        () => call('/g_variants?start=100&alternateBases=A&referenceBases=C'),
        'referenceName',
      ],
      [
        'bad start',
        () => call('/g_variants?referenceName=1&start=-4&alternateBases=A&referenceBases=C'),
        'start',
      ],
      [
        'bracket',
        () =>
          post('g_variants', {
            requestParameters: { referenceName: '1', start: [1, 5], end: [9, 12] },
          }),
        'Bracket',
      ],
      [
        'start only',
        () => call('/g_variants?referenceName=1&start=100'),
        'referenceBases and alternateBases',
      ],
      [
        'range with bases',
        () => call('/g_variants?referenceName=1&start=100&end=200&alternateBases=T'),
        'range query',
      ],
      [
        'empty range',
        () => call('/g_variants?referenceName=1&start=200&end=200'),
        'end must be greater',
      ],
      [
        'assembly',
        () => call(`/g_variants?${alleleQueryString(common)}&assemblyId=GRCh37`),
        'GRCh38',
      ],
      [
        'chromosome',
        () => call('/g_variants?referenceName=chrUn&start=1&referenceBases=A&alternateBases=T'),
        'referenceName',
      ],
      [
        'bases',
        () => call('/g_variants?referenceName=1&start=1&referenceBases=A&alternateBases=<DEL>'),
        'bases',
      ],
      [
        'unsupported parameter',
        () => call('/g_variants?variantType=DEL&referenceName=1&start=1&end=5'),
        'variantType',
      ],
      ['unknown parameter', () => call('/individuals?refName=1'), 'refName'],
      ['gene', () => call('/g_variants?geneid=BR%20CA1'), 'genes'],
      [
        'dataset id',
        () => post('individuals', { requestParameters: { datasets: { datasetIds: ['x'] } } }),
        'datasets',
      ],
      [
        'alphanumeric filter',
        () => post('individuals', { filters: [{ id: 'age', operator: '>=', value: 'P70Y' }] }),
        'alphanumeric',
      ],
      [
        'descendants off',
        () =>
          post('individuals', { filters: [{ id: 'HP:0000707', includeDescendantTerms: false }] }),
        'includeDescendantTerms',
      ],
      [
        'scope',
        () => post('individuals', { filters: [{ id: 'HP:0000707', scope: 'biosample' }] }),
        'scope',
      ],
      ['not JSON', () => call('/individuals', { body: '{nope' }), 'not valid JSON'],
      [
        'body shape',
        () => call('/individuals', { body: { query: { filters: 'HP:0000707' } } }),
        'query.filters',
      ],
      ['testMode', () => call('/individuals?testMode=maybe'), 'testMode'],
    ];
    for (const [name, ask, message] of bad) {
      const res = await ask();
      expect(res.status, name).toBe(400);
      validate('beaconErrorResponse', res.body);
      expect(res.body.error?.errorCode, name).toBe(400);
      expect(res.body.error?.errorMessage, name).toContain(message);
    }
    const missing = await call('/cohorts');
    expect(missing.status).toBe(404);
    validate('beaconErrorResponse', missing.body);
    const method = await call('/info', { method: 'POST', body: {} });
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBe('GET');
    validate('beaconErrorResponse', method.body);
  });

  it('audits every registered query as beacon.query with what was shown, never the true figure', async () => {
    const before = (await auditEventsWithAction(db.db, 'beacon.query')).length;
    // Public queries are tallied per client and minute instead (beacon-public-tier.test.ts).
    await call('/individuals?filters=HP:0001263');
    await call('/individuals?filters=HP:0001263', { token: researcher });
    await call('/individuals?filters=HP:0001263&requestedGranularity=count', { token: researcher });
    const events = await auditEventsWithAction(db.db, 'beacon.query');
    expect(events.length).toBe(before + 2);
    const [boolean, counted] = events.slice(-2).map((e) => ({
      ...e,
      payload: JSON.parse(e.payload) as { shown: string; criteria: CohortCriteria },
    }));
    expect(boolean!.actorRole).toBe('researcher');
    expect(boolean!.payload.shown).toMatch(/^(exists|none)$/);
    expect(counted!.actorRole).toBe('researcher');
    expect(counted!.payload.criteria).toEqual({ phenotypes: ['HP:0001263'] });
    expect(counted!.payload.shown).toMatch(/^(<20|\d+)$/);
  });

  it('spends the daily count budget shared with cohortCount; a spent budget is a 429 error response', async () => {
    const tight = beaconRoute({
      db: db.db,
      counter: new CohortCounter(cohorts, { ...SETTINGS, budgetPerDay: 2 }, preferenceBreakdown),
    });
    const token = await loginAs(gql, await makeUser(db.db, 'researcher'));
    const ask = async () =>
      tight.handler(
        new Request('http://127.0.0.1:4000/api/beacon/individuals?requestedGranularity=count', {
          headers: { authorization: `Bearer ${token}` },
        }),
        {},
      );
    expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(200);
    const refused = await ask();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    validate('beaconErrorResponse', await refused.json());
    // Booleans are not counts: they stay available.
    const boolean = await tight.handler(
      new Request('http://127.0.0.1:4000/api/beacon/individuals', {
        headers: { authorization: `Bearer ${token}` },
      }),
      {},
    );
    expect(boolean.status).toBe(200);
  });
});
