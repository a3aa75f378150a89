import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mutate,
  openAccessFixture,
  submittedStudy,
  type AccessFixture,
} from '../../test/access-fixture.js';
import { makeUser } from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { users } from '../accounts/accounts.tables.js';
import { dataUseAgreements } from '../dacs/data-use-agreements.tables.js';
import { notifications } from '../notifications/notifications.tables.js';

describe(`a new data use agreement version is announced (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let dacId = '';
  beforeAll(async () => {
    f = await openAccessFixture();
    const res = await f.gql<{ dacs: { id: string; name: string }[] }>(
      `{ dacs { id name } }`,
      {},
      { token: f.tokens.admin },
    );
    dacId = res.data!.dacs.find((d) => d.name === 'Population Panel DAC')!.id;
  }, 180_000);
  afterAll(() => f.dispose());

  const told = async () =>
    (
      await f.db.db
        .select({ email: users.email, link: notifications.link })
        .from(notifications)
        .innerJoin(users, eq(users.id, notifications.userId))
        .where(eq(notifications.kind, 'agreement_published'))
    ).sort((a, b) => a.email.localeCompare(b.email));
  const publish = (token: string) =>
    mutate(f, token, 'publishDataUseAgreement(dacId: $dacId, text: $text)', 'version', {
      dacId,
      text: 'Version two: the data stays in the approved environment and is destroyed at closeout.',
    });

  it('tells the PI with an open request under the committee and their signing official; a refused publication tells nobody and writes nothing', async () => {
    await submittedStudy(f);
    // A researcher elsewhere, with nothing under this committee, is not told.
    await makeUser(f.db.db, 'researcher', 'Elsewhere Institute');
    const versions = async () =>
      (await f.db.db.select().from(dataUseAgreements).where(eq(dataUseAgreements.dacId, dacId)))
        .length;
    const before = await versions();

    await expect(publish(f.tokens.researcher)).rejects.toThrow(/FORBIDDEN/);
    expect(await versions()).toBe(before);
    expect(await told()).toEqual([]);

    expect(await publish(f.tokens.admin)).toMatchObject({ data: { version: before + 1 } });
    expect(await told()).toEqual([
      { email: 'researcher@demo.local', link: '/studies' },
      { email: 'so@demo.local', link: '/signing-official' },
    ]);
  });
});
