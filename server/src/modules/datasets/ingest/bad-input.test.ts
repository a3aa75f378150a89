import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/query-rows.js';
import { ValidationError } from '../../../errors/app-errors.js';
import { auditCount } from '../../../test/audit-rows.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../../test/test-database.js';
import { systemActor } from '../../actors/actor.js';
import { ensureShippedOntologies, importOntology } from '../../ontology/ontology-import.service.js';
import { createParticipant } from '../../participants/participants.service.js';
import { registerDataset } from '../datasets.service.js';
import { ingestPhenotypes } from './phenotype-ingest.service.js';
import { ingestVcf } from './vcf-ingest.service.js';

const operator = systemActor('test');
const HEAD = '##fileformat=VCFv4.2\n##contig=<ID=1>\n##contig=<ID=2>\n';
const COLS = '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT';
const row = (pos: number, gt = '0/1', chrom = '1') =>
  `${chrom}\t${pos}\t.\tA\tG\t.\tPASS\t.\tGT\t${gt}\t0/0`;
const good = (n: number) => Array.from({ length: n }, (_, i) => row(1000 + i)).join('\n');

/** Each bad file: a clear error naming the line and the reason, and nothing stored. */
const CASES: { name: string; file: () => Buffer | string; line: RegExp; reason: RegExp }[] = [
  {
    name: 'a truncated gzip file',
    file: () => gzipSync(`${HEAD}${COLS}\tP-B1\tP-B2\n${good(3000)}\n`).subarray(0, 4_000),
    line: /line \d+/,
    reason: /truncated|unexpected end|gzip/i,
  },
  {
    name: 'a missing #CHROM header',
    file: () => `${HEAD}${good(2)}\n`,
    line: /line 4/,
    reason: /#CHROM/,
  },
  {
    name: 'duplicate sample names',
    file: () => `${HEAD}${COLS}\tP-B1\tP-B1\n${good(1)}\n`,
    line: /line 4/,
    reason: /duplicate/i,
  },
  {
    name: 'a sample name with a NUL character',
    file: () => `${HEAD}${COLS}\tP-B1\tP-\u0000B2\n${good(1)}\n`,
    line: /line 4/,
    reason: /control character/,
  },
  {
    name: 'a genotype with more alleles than ALT',
    file: () => `${HEAD}${COLS}\tP-B1\tP-B2\n${good(5)}\n${row(9, '0/2')}\n`,
    line: /line 10/,
    reason: /allele/i,
  },
  {
    name: 'a non-numeric POS',
    file: () =>
      `${HEAD}${COLS}\tP-B1\tP-B2\n${good(2)}\n1\tabc\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\t0/0\n`,
    line: /line 7/,
    reason: /POS/,
  },
  {
    name: 'an unknown contig',
    file: () => `${HEAD}${COLS}\tP-B1\tP-B2\n${good(2)}\n${row(5, '0/1', '7')}\n`,
    line: /line 7/,
    reason: /contig/i,
  },
  {
    name: 'a 10 MB single line',
    file: () =>
      `${HEAD}${COLS}\tP-B1\tP-B2\n${good(2)}\n1\t5\t.\tA\tG\t.\tPASS\t${'X'.repeat(10 * 2 ** 20)}\tGT\t0/1\t0/0\n`,
    line: /line 7/,
    reason: /long|bytes|MiB/i,
  },
  {
    name: 'non-UTF-8 bytes',
    file: () =>
      Buffer.concat([
        Buffer.from(`${HEAD}${COLS}\tP-B1\tP-B2\n${good(2)}\n1\t9\t.\tA\tG\t.\tPASS\tNOTE=`),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('\tGT\t0/1\t0/0\n'),
      ]),
    line: /line 7/,
    reason: /UTF-8/i,
  },
];

describe(`bad input leaves nothing behind (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let dir = '';
  let datasetId = '';
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-bad-'));
    await ensureShippedOntologies(db.db, operator);
    const [steward] = await queryRows<{ id: string }>(
      db.db,
      sql`insert into users (id, email, display_name, role, password_hash) values (gen_random_uuid(), 'bad@test.local', 'B', 'steward', 'x') returning id`,
    );
    datasetId = (
      await db.db.transaction((tx) =>
        registerDataset(tx, operator, {
          name: 'Bad input',
          dataUse: { permission: 'GRU' },
          stewardId: steward!.id,
        }),
      )
    ).id;
    await db.db.transaction(async (tx) => {
      for (const p of ['P-B1', 'P-B2'])
        await createParticipant(tx, operator, { pseudonym: p, sex: 'female' });
    });
  });
  afterAll(async () => {
    await db.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const snapshot = async () => ({
    ...(
      await queryRows<Record<string, number>>(
        db.db,
        sql`select (select count(*)::int from variants) as variants, (select count(*)::int from variant_calls) as calls,
                   (select count(*)::int from samples) as samples, (select count(*)::int from ingests) as ingests,
                   (select count(*)::int from phenotype_observations) as observations,
                   (select count(*)::int from ontology_terms) as terms`,
      )
    )[0],
    audit: await auditCount(db.db),
  });

  for (const c of CASES) {
    it(`VCF: ${c.name}`, async () => {
      const file = path.join(dir, `${c.name.replace(/\W+/g, '-')}.vcf`);
      fs.writeFileSync(file, c.file());
      const before = await snapshot();
      const error = await ingestVcf(db.db, operator, { datasetId, path: file }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(c.line);
      expect((error as Error).message).toMatch(c.reason);
      expect(await snapshot()).toEqual(before);
    });
  }

  it('VCF: CRLF line endings are accepted', async () => {
    const file = path.join(dir, 'crlf.vcf');
    fs.writeFileSync(file, `${HEAD}${COLS}\tP-B1\tP-B2\n${good(3)}\n`.replace(/\n/g, '\r\n'));
    expect((await ingestVcf(db.db, operator, { datasetId, path: file })).calls).toBe(3);
  });

  it('phenotypes: a term not in the ontology', async () => {
    const file = path.join(dir, 'phenotypes.tsv');
    fs.writeFileSync(
      file,
      'participant\tterm\tstatus\nP-B1\tHP:0001250\tpresent\nP-B2\tHP:9999999\tpresent\n',
    );
    const before = await snapshot();
    const error = await ingestPhenotypes(db.db, operator, {
      datasetId,
      path: file,
      format: 'phenotypes',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/line 3/);
    expect((error as Error).message).toMatch(/HP:9999999/);
    expect(await snapshot()).toEqual(before);
  });

  it('ontology: an OBO file with an is_a cycle', async () => {
    const file = path.join(dir, 'cycle.obo');
    fs.writeFileSync(
      file,
      'format-version: 1.2\n\n[Term]\nid: HP:0100001\nname: a\nis_a: HP:0100002 ! b\n\n[Term]\nid: HP:0100002\nname: b\nis_a: HP:0100001 ! a\n',
    );
    const before = await snapshot();
    const error = await importOntology(db.db, operator, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/cycle.*HP:0100001/);
    expect(await snapshot()).toEqual(before);
  });
});
