import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { migrateDatabase, migrationsFolder } from './migrate.js';
import { queryRows } from './query-rows.js';

/** The migrations up to `lastTag`: a copy of the folder with the journal cut there. */
function migrationsUpTo(lastTag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-migrations-'));
  fs.cpSync(migrationsFolder(), dir, { recursive: true });
  const journalPath = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalPath, 'utf8')) as {
    entries: { tag: string }[];
  };
  const last = journal.entries.findIndex((e) => e.tag === lastTag);
  if (last < 0) throw new Error(`no migration ${lastTag}`);
  journal.entries = journal.entries.slice(0, last + 1);
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe(`variant_calls carried over into variant_call_sets (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let older = '';
  beforeAll(async () => {
    older = migrationsUpTo('0040_audit_batches_last_seq');
    db = await createTestDatabase({ migrationsFolder: older });
  });
  afterAll(async () => {
    await db.dispose();
    fs.rmSync(older, { recursive: true, force: true });
  });

  it('moves every call into sorted carrier arrays and leaves a view of the same rows', async () => {
    await db.exec(`insert into variants (id, chrom, pos, ref, alt) values
      (1, '1', 100, 'A', 'G'), (2, 'X', 200, 'C', 'T'), (3, '2', 300, 'G', 'A')`);
    const calls: [string, number, number, number][] = [
      [A, 1, 5, 1],
      [A, 1, 3, 1],
      [A, 1, 7, 2],
      [A, 1, 9, 3],
      [B, 1, 3, 1],
      [A, 2, 4, 2],
      [B, 2, 12, 3],
      [B, 2, 11, 3],
    ];
    await db.exec(
      `insert into variant_calls (dataset_id, variant_id, participant_num, zygosity) values ${calls
        .map(([d, v, n, z]) => `('${d}', ${v}, ${n}, ${z})`)
        .join(', ')}`,
    );

    await migrateDatabase(db);

    const sets = await queryRows<{
      dataset_id: string;
      variant_id: number;
      ingest_id: string | null;
      het: number[];
      hom: number[];
      hemi: number[];
    }>(
      db.db,
      sql`select dataset_id, variant_id, ingest_id, het, hom, hemi from variant_call_sets
          order by variant_id, dataset_id`,
    );
    expect(sets).toEqual([
      { dataset_id: A, variant_id: 1, ingest_id: null, het: [3, 5], hom: [7], hemi: [9] },
      { dataset_id: B, variant_id: 1, ingest_id: null, het: [3], hom: [], hemi: [] },
      { dataset_id: A, variant_id: 2, ingest_id: null, het: [], hom: [4], hemi: [] },
      { dataset_id: B, variant_id: 2, ingest_id: null, het: [], hom: [], hemi: [11, 12] },
    ]);
    const viewed = await queryRows<{ d: string; v: number; n: number; z: number }>(
      db.db,
      sql`select dataset_id as d, variant_id as v, participant_num as n, zygosity::int as z
          from variant_calls order by 1, 2, 3`,
    );
    const sortKey = ([d, v, n]: [string, number, number, number]) => `${d}/${v}/${1000 + n}`;
    expect(viewed.map((r) => [r.d, r.v, r.n, r.z])).toEqual(
      [...calls].sort((x, y) => sortKey(x).localeCompare(sortKey(y))),
    );
    const [kind] = await queryRows<{ table_type: string }>(
      db.db,
      sql`select table_type from information_schema.tables where table_name = 'variant_calls'`,
    );
    expect(kind?.table_type).toBe('VIEW');
  });
});
