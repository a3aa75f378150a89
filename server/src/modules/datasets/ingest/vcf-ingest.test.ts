import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/query-rows.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../../errors/app-errors.js';
import { auditCount } from '../../../test/audit-rows.js';
import { actorOf, makeUser } from '../../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../../test/test-database.js';
import { systemActor } from '../../actors/actor.js';
import { CohortEngine } from '../../cohorts/cohort-engine.js';
import { participants } from '../../participants/participants.tables.js';
import { createParticipant } from '../../participants/participants.service.js';
import { registerDataset } from '../datasets.service.js';
import { ingestVcf } from './vcf-ingest.service.js';
import { vcfText } from '../../../test/vcf-text.js';

const operator = systemActor('test');

describe(`VCF ingest (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let dir = '';
  let datasetId = '';
  let stewardId = '';
  let pseudonyms: string[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-vcf-'));
    const steward = await makeUser(db.db, 'steward');
    stewardId = steward.id;
    datasetId = (
      await db.db.transaction((tx) =>
        registerDataset(tx, actorOf(steward), {
          name: 'VCF tests',
          dataUse: { permission: 'HMB' },
        }),
      )
    ).id;
    pseudonyms = await db.db.transaction(async (tx) => {
      const out: string[] = [];
      for (let i = 0; i < 4; i += 1)
        out.push(
          (await createParticipant(tx, operator, { pseudonym: `P-VCF-${i}`, sex: 'female' }))
            .pseudonym,
        );
      return out;
    });
  });
  afterAll(async () => {
    await db.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string | Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const stored = async () => {
    const [r] = await queryRows<{ v: number; c: number; s: number; i: number }>(
      db.db,
      sql`select (select count(*)::int from variants) as v, (select count(*)::int from variant_calls) as c,
                 (select count(*)::int from samples) as s, (select count(*)::int from ingests) as i`,
    );
    return r!;
  };

  it('stores split multi-allelic variants and only non-reference calls; a second ingest of the file is refused', async () => {
    const file = write(
      'ok.vcf.gz',
      gzipSync(
        vcfText(pseudonyms.slice(0, 3), [
          `17\t7674220\trs1\tC\tT,G\t.\tPASS\tGENE=TP53\tGT\t0/1\t1/2\t./.`,
          `17\t7674300\t.\tA\tG\t.\tPASS\t.\tGT\t0/0\t1|1\t0|1`,
        ]),
      ),
    );
    const engine = new CohortEngine(db.db);
    await engine.ready();
    const before = await auditCount(db.db);
    const report = await ingestVcf(db.db, actorOf({ id: stewardId, role: 'steward' } as never), {
      datasetId,
      path: file,
    });
    expect(report).toMatchObject({
      records: 2,
      variants: 3,
      calls: 5,
      samples: 3,
      withdrawnCalls: 0,
    });
    expect(await stored()).toEqual({ v: 3, c: 5, s: 3, i: 1 });
    expect(await auditCount(db.db)).toBe(before + 1);
    const index = await engine.current();
    expect(index.count({ variants: ['17-7674220-C-G'] })).toBe(1);
    expect(index.count({ genes: ['TP53'] })).toBe(2);
    expect(index.count({ variants: ['17-7674300-A-G'], zygosity: 'HOMOZYGOUS' })).toBe(1);
    engine.dispose();

    const again = await ingestVcf(db.db, operator, { datasetId, path: file }).catch(
      (e: unknown) => e,
    );
    expect(again).toBeInstanceOf(ConflictError);
    expect(await stored()).toEqual({ v: 3, c: 5, s: 3, i: 1 });
  });

  it('a file that fails half-way leaves no trace, and the error names the line', async () => {
    const rows = Array.from(
      { length: 12_000 },
      (_, i) => `1\t${10_000 + i}\t.\tA\tC\t.\tPASS\t.\tGT\t0/1\t0/0`,
    );
    rows.push('1\tNOT_A_NUMBER\t.\tA\tC\t.\tPASS\t.\tGT\t0/1\t0/0');
    const file = write('broken.vcf', vcfText(pseudonyms.slice(0, 2), rows));
    const before = { ...(await stored()), audit: await auditCount(db.db) };
    const error = await ingestVcf(db.db, operator, { datasetId, path: file }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/line 12004/);
    expect({ ...(await stored()), audit: await auditCount(db.db) }).toEqual(before);
  });

  it('refuses samples that match no participant, or are missing from the sample map, naming them', async () => {
    const before = await stored();
    const unknown = write(
      'unknown.vcf',
      vcfText(['P-NOBODY'], ['1\t100\t.\tA\tC\t.\tPASS\t.\tGT\t0/1']),
    );
    await expect(ingestVcf(db.db, operator, { datasetId, path: unknown })).rejects.toThrow(
      /P-NOBODY/,
    );
    const mapped = write(
      'mapped.vcf',
      vcfText(['S1', 'S2'], ['1\t100\t.\tA\tC\t.\tPASS\t.\tGT\t0/1\t1/1']),
    );
    const map = write('map.tsv', `sample\tparticipant\nS1\t${pseudonyms[3]}\n`);
    await expect(
      ingestVcf(db.db, operator, { datasetId, path: mapped, sampleMapPath: map }),
    ).rejects.toThrow(/not in the sample map: S2/);
    expect(await stored()).toEqual(before);
  });

  it('a file that lists the same variant twice for a sample is refused whole', async () => {
    const before = await stored();
    const file = write(
      'duplicate.vcf',
      vcfText(
        [pseudonyms[0]!],
        ['4\t100\t.\tA\tT\t.\tPASS\t.\tGT\t0/1', '4\t100\t.\tA\tT\t.\tPASS\t.\tGT\t1/1'],
      ),
    );
    const error = await ingestVcf(db.db, operator, { datasetId, path: file }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe(
      `VCF line 5: sample ${pseudonyms[0]} repeats the call on 4:100 A>T made at line 4`,
    );
    expect(await stored()).toEqual(before);
  });

  it('a call repeated in a later batch of the same file names the earlier line', async () => {
    const rows = Array.from(
      { length: 5_000 },
      (_, i) => `7\t${1_000 + i}\t.\tA\tC\t.\tPASS\t.\tGT\t0/0\t0/1`,
    );
    rows.push('7\t9000\t.\tA\tC\t.\tPASS\t.\tGT\t0/1\t0/0', rows[2]!);
    const file = write('repeat-across-batches.vcf', vcfText(pseudonyms.slice(0, 2), rows));
    const before = { ...(await stored()), audit: await auditCount(db.db) };
    const error = await ingestVcf(db.db, operator, { datasetId, path: file }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe(
      `VCF line 5005: sample ${pseudonyms[1]} repeats the call on 7:1002 A>C made at line 6`,
    );
    expect({ ...(await stored()), audit: await auditCount(db.db) }).toEqual(before);
  });

  it('a call already stored by an earlier ingest refuses the whole new file, naming its line', async () => {
    const first = write(
      'first.vcf',
      vcfText([pseudonyms[0]!, pseudonyms[1]!], ['5\t300\t.\tG\tC\t.\tPASS\t.\tGT\t0/1\t0/0']),
    );
    await ingestVcf(db.db, operator, { datasetId, path: first });
    const before = { ...(await stored()), audit: await auditCount(db.db) };
    const second = write(
      'second.vcf',
      vcfText(
        [pseudonyms[1]!, pseudonyms[0]!],
        [
          '5\t301\t.\tG\tT\t.\tPASS\t.\tGT\t0/1\t1/1',
          '5\t302\t.\tG\tT\t.\tPASS\t.\tGT\t0/1\t0/0',
          '5\t300\t.\tG\tC\t.\tPASS\t.\tGT\t0/0\t1/1',
        ],
      ),
    );
    const error = await ingestVcf(db.db, operator, { datasetId, path: second }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe(
      `VCF line 6: sample ${pseudonyms[0]} repeats the call on 5:300 G>C already stored for this participant in this dataset`,
    );
    // Neither the new variants nor the other calls of the refused file are kept.
    expect({ ...(await stored()), audit: await auditCount(db.db) }).toEqual(before);

    // The staging table went with the refused transaction: the next files load normally.
    for (const [name, pos] of [
      ['third.vcf', 310],
      ['fourth.vcf', 311],
    ] as const) {
      const next = write(
        name,
        vcfText([pseudonyms[0]!], [`5\t${pos}\t.\tG\tA\t.\tPASS\t.\tGT\t0/1`]),
      );
      expect((await ingestVcf(db.db, operator, { datasetId, path: next })).calls).toBe(1);
    }
    expect(await stored()).toMatchObject({ c: before.c + 2, i: before.i + 2 });
  });

  it('a malformed line after a repeated call is reported by its line, with nothing stored', async () => {
    const rows = Array.from(
      { length: 6_000 },
      (_, i) => `6\t${1_000 + i}\t.\tA\tC\t.\tPASS\t.\tGT\t0/1\t0/0`,
    );
    rows.push(rows[0]!, '6\t7000\t.\tA\tC\t.\tPASS\t.\tGT\t0/9\t0/0');
    const file = write('repeat-then-malformed.vcf', vcfText(pseudonyms.slice(0, 2), rows));
    const before = { ...(await stored()), audit: await auditCount(db.db) };
    const error = await ingestVcf(db.db, operator, { datasetId, path: file }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/line 6005/);
    expect({ ...(await stored()), audit: await auditCount(db.db) }).toEqual(before);
  });

  it('refuses a sample id bound to another participant, and a participant under a second sample id, storing nothing', async () => {
    const newcomer = await db.db.transaction((tx) =>
      createParticipant(tx, operator, { pseudonym: 'P-VCF-NEW', sex: 'male' }),
    );
    const before = { ...(await stored()), audit: await auditCount(db.db) };
    const row = (genotypes: string) => [`8\t800\t.\tA\tC\t.\tPASS\t.\tGT\t${genotypes}`];
    // The sample id P-VCF-0 names participant 0 in this dataset; here it would name the newcomer.
    const rebound = write('rebound.vcf', vcfText([pseudonyms[0]!], row('0/1')));
    const reboundMap = write(
      'rebound-map.tsv',
      `sample\tparticipant\n${pseudonyms[0]}\t${newcomer.pseudonym}\n`,
    );
    await expect(
      ingestVcf(db.db, operator, { datasetId, path: rebound, sampleMapPath: reboundMap }),
    ).rejects.toThrow(
      new ConflictError(
        `Sample ${pseudonyms[0]} is already bound to another participant in this dataset`,
      ),
    );
    // Participant 1 is the dataset's sample P-VCF-1 already; S-TWICE would be a second id.
    const twice = write('twice.vcf', vcfText(['S-TWICE', 'S-FRESH'], row('0/1\t0/1')));
    const twiceMap = write(
      'twice-map.tsv',
      `sample\tparticipant\nS-TWICE\t${pseudonyms[1]}\nS-FRESH\t${newcomer.pseudonym}\n`,
    );
    await expect(
      ingestVcf(db.db, operator, { datasetId, path: twice, sampleMapPath: twiceMap }),
    ).rejects.toThrow(
      new ConflictError('A participant appears under two sample ids in this dataset'),
    );
    expect({ ...(await stored()), audit: await auditCount(db.db) }).toEqual(before);
  });

  it('a later file keeps the ids of known variants and names a gene only where none was known', async () => {
    const variant = async (pos: number) => {
      const [v] = await queryRows<{ id: number; gene: string | null }>(
        db.db,
        sql`select id, gene from variants where chrom = '9' and pos = ${pos}`,
      );
      return v;
    };
    const first = write(
      'genes-first.vcf',
      vcfText(
        [pseudonyms[0]!],
        ['9\t900\t.\tA\tC\t.\tPASS\t.\tGT\t0/1', '9\t901\t.\tA\tC\t.\tPASS\tGENE=BRCA2\tGT\t0/1'],
      ),
    );
    await ingestVcf(db.db, operator, { datasetId, path: first });
    const [unnamed, named] = [await variant(900), await variant(901)];
    expect([unnamed!.gene, named!.gene]).toEqual([null, 'BRCA2']);
    const second = write(
      'genes-second.vcf',
      vcfText(
        [pseudonyms[1]!],
        [
          '9\t900\t.\tA\tC\t.\tPASS\tGENE=ATM\tGT\t1/1',
          '9\t901\t.\tA\tC\t.\tPASS\tGENE=OTHER\tGT\t0/1',
          '9\t902\t.\tA\tC\t.\tPASS\tGENE=ATM\tGT\t0/1',
        ],
      ),
    );
    expect((await ingestVcf(db.db, operator, { datasetId, path: second })).calls).toBe(3);
    expect(await variant(900)).toEqual({ id: unnamed!.id, gene: 'ATM' });
    expect(await variant(901)).toEqual({ id: named!.id, gene: 'BRCA2' });
    expect((await variant(902))?.gene).toBe('ATM');
    const calls = await queryRows<{ pos: number; n: number }>(
      db.db,
      sql`select v.pos, count(*)::int as n from variant_calls c join variants v on v.id = c.variant_id
          where v.chrom = '9' group by v.pos order by v.pos`,
    );
    expect(calls).toEqual([
      { pos: 900, n: 2 },
      { pos: 901, n: 2 },
      { pos: 902, n: 1 },
    ]);
  });

  it('stores nothing for a participant who has withdrawn', async () => {
    await db.db
      .update(participants)
      .set({ status: 'withdrawn' })
      .where(eq(participants.pseudonym, pseudonyms[3]!));
    const file = write(
      'withdrawn.vcf',
      vcfText([pseudonyms[0]!, pseudonyms[3]!], ['2\t500\t.\tG\tA\t.\tPASS\t.\tGT\t0/1\t1/1']),
    );
    const report = await ingestVcf(db.db, operator, { datasetId, path: file });
    expect(report).toMatchObject({ calls: 1, withdrawnCalls: 1 });
  });

  it('only the dataset’s own steward ingests into it', async () => {
    const other = await makeUser(db.db, 'steward');
    const file = write(
      'other.vcf',
      vcfText([pseudonyms[0]!], ['3\t42\t.\tA\tT\t.\tPASS\t.\tGT\t0/1']),
    );
    await expect(
      ingestVcf(db.db, actorOf(other), { datasetId, path: file }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});
