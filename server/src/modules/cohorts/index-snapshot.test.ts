import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  withdrawal,
  changeParticipant,
  insertCohortFixture,
  type CohortFixture,
} from '../../test/cohort-fixture.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { cohortChanges } from '../cohort-changes/cohort-changes.tables.js';
import { recordCohortChange } from '../cohort-changes/cohort-changes.js';
import { participants } from '../participants/participants.tables.js';
import type { CohortCriteria } from './cohort-criteria.js';
import { CohortEngine } from './cohort-engine.js';
import { readIndexSnapshot } from './index-snapshot-file.js';

describe(`cohort index snapshot (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let fx: CohortFixture;
  let dir: string;
  let file: string;
  let reference: CohortEngine;
  const engines: CohortEngine[] = [];
  const engineOn = (snapshotFile = file) => {
    const engine = new CohortEngine(db.db, undefined, { snapshotFile });
    engines.push(engine);
    return engine;
  };
  const shapes = (): CohortCriteria[] => [
    {},
    { sex: 'female' },
    { datasets: [fx.datasetIds[0]!] },
    { variants: [fx.variantKeys[0]!, fx.variantKeys[3]!] },
    { genes: ['BRCA1'], zygosity: 'HOMOZYGOUS' },
    { regions: ['17:1000-2500'] },
    { phenotypes: ['HP:0000707'] },
    { diseases: ['MONDO:0004992'] },
    { ageMin: 30, ageMax: 60, not: { sex: 'male' } },
    { anyOf: [{ genes: ['TP53'] }, { phenotypes: ['HP:0001250'] }] },
  ];
  const countsOf = async (engine: CohortEngine) => {
    const index = await engine.current();
    return shapes().map((c) => index.count(c));
  };
  const withdrawOne = async (offset: number) => {
    const [target] = await db.db
      .select()
      .from(participants)
      .where(and(eq(participants.status, 'enrolled'), eq(participants.discoverable, true)))
      .offset(offset)
      .limit(1);
    await db.db.transaction((tx) => changeParticipant(tx, target!, withdrawal()));
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    fx = await insertCohortFixture(db.db, 1_200);
    // The fixture writes rows directly; one change pins the log to a position.
    await db.db.transaction((tx) => recordCohortChange(tx, 'ontology', 'fixture'));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cohort-snapshot-'));
    file = path.join(dir, 'cohort-index.snapshot');
    reference = new CohortEngine(db.db);
  });
  // An engine that rebuilt writes its snapshot in the background; a write still running when the
  // next test starts would land after (and overwrite) what that test wrote to the same file.
  afterEach(() => Promise.all(engines.map((e) => e.settled())));
  afterAll(async () => {
    for (const e of [...engines, reference]) e.dispose();
    await db.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a restart loads the snapshot (0600) and answers every query shape as a fresh build does', async () => {
    const first = engineOn();
    await first.ready();
    expect(first.origin).toBe('database');
    await first.persist();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const second = engineOn();
    const counts = await countsOf(second);
    expect(second.origin).toBe('snapshot');
    expect(counts).toEqual(await countsOf(reference));
    expect(counts.filter((n) => n > 0 && n < 1_200).length).toBeGreaterThan(5);
  });

  it('changes committed after the snapshot are applied on load', async () => {
    const before = (await reference.current()).count({});
    await withdrawOne(3);
    const engine = engineOn();
    expect((await engine.current()).count({})).toBe(before - 1);
    expect(engine.origin).toBe('snapshot');
    expect(await countsOf(engine)).toEqual(await countsOf(reference));
  });

  it('a damaged file is refused by its checksum and the index is rebuilt from the database', async () => {
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 9]! ^= 0xff;
    fs.writeFileSync(file, bytes);
    const engine = engineOn();
    expect(await countsOf(engine)).toEqual(await countsOf(reference));
    expect(engine.origin).toBe('database');
  });

  it('a truncated file or one that is not a snapshot is refused too', async () => {
    const good = engineOn();
    await good.ready();
    await good.persist();
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    const truncated = engineOn();
    await truncated.ready();
    expect(truncated.origin).toBe('database');
    await truncated.settled(); // its rebuild's own snapshot must not overwrite the garbage below

    fs.writeFileSync(file, 'not a snapshot at all');
    const garbage = engineOn();
    await garbage.ready();
    expect(garbage.origin).toBe('database');
  });

  it('rewriteSnapshot (after an erasure) writes the latest change to the file at once', async () => {
    const engine = engineOn();
    await engine.ready();
    await engine.persist();
    await withdrawOne(7);
    await engine.rewriteSnapshot();
    const latest = await db.db
      .select({ seq: cohortChanges.seq })
      .from(cohortChanges)
      .orderBy(desc(cohortChanges.seq))
      .limit(1);
    const written = await readIndexSnapshot(file);
    expect(written?.position.changeSeq).toBe(Number(latest[0]!.seq));
  });

  it('a snapshot of another history (the database was restored) is not used', async () => {
    await withdrawOne(5);
    const writer = engineOn();
    await writer.ready();
    await writer.persist();
    const [last] = await db.db
      .select()
      .from(cohortChanges)
      .orderBy(cohortChanges.seq)
      .limit(1)
      .offset((await db.db.$count(cohortChanges)) - 1);
    // A restore drops the last change and the log moves on with a different one at that number.
    await db.db.delete(cohortChanges).where(eq(cohortChanges.seq, last!.seq));
    await db.db.insert(cohortChanges).values({ seq: last!.seq, kind: 'ontology', ref: 'other' });
    const engine = engineOn();
    const fresh = new CohortEngine(db.db);
    engines.push(fresh);
    expect(await countsOf(engine)).toEqual(await countsOf(fresh));
    expect(engine.origin).toBe('database');
  });
});
