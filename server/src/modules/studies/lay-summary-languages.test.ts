import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors/app-errors.js';
import { actorOf, makeUser, useTestApi } from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { createStudy, updateStudy } from './studies.service.js';
import { studies } from './studies.tables.js';

const ENGLISH = 'We study how often BRCA1 variants lead to breast cancer.';
const SPANISH = 'Estudiamos con qué frecuencia las variantes de BRCA1 causan cáncer de mama.';
const draft = (title: string, laySummaryEs?: string | null) => ({
  title,
  laySummary: ENGLISH,
  ...(laySummaryEs !== undefined && { laySummaryEs }),
  purpose: { primary: 'HMB', commercial: false },
});

describe(`a study's lay summary in Spanish (${TEST_DRIVER})`, () => {
  const fx = useTestApi();
  const run = <T>(fn: Parameters<typeof fx.db.db.transaction<T>>[0]) => fx.db.db.transaction(fn);

  it('is optional, kept when given, and removed by an empty one', async () => {
    const researcher = actorOf(await makeUser(fx.db.db, 'researcher'));
    const without = await run((tx) => createStudy(tx, researcher, draft('English only')));
    expect(without.laySummaryEs).toBeNull();
    const both = await run((tx) => createStudy(tx, researcher, draft('Both', `  ${SPANISH} `)));
    expect(both.laySummaryEs).toBe(SPANISH);
    const cleared = await run((tx) => updateStudy(tx, researcher, both.id, { laySummaryEs: ' ' }));
    expect(cleared.laySummaryEs).toBeNull();
    expect(cleared.laySummary).toBe(ENGLISH);
  });

  it('refuses a Spanish summary too short for a participant to decide on, and nothing changes', async () => {
    const researcher = actorOf(await makeUser(fx.db.db, 'researcher'));
    await expect(
      run((tx) => createStudy(tx, researcher, draft('Too short', 'Muy corto.'))),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await fx.db.db.select().from(studies).where(eq(studies.title, 'Too short'))).toEqual([]);
    const study = await run((tx) => createStudy(tx, researcher, draft('Kept', SPANISH)));
    await expect(
      run((tx) => updateStudy(tx, researcher, study.id, { laySummaryEs: 'x'.repeat(2_001) })),
    ).rejects.toBeInstanceOf(ValidationError);
    const [row] = await fx.db.db.select().from(studies).where(eq(studies.id, study.id));
    expect(row?.laySummaryEs).toBe(SPANISH);
  });
});
