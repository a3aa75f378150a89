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

  it('offers publishing to an administrator and to each committee’s own chair only, as the publish rule decides', async () => {
    const [ethics2] = await f.db.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, 'ethics2@demo.local'));
    const made = await f.gql<{ createDac: { __typename: string } }>(
      `mutation($i: CreateDacInput!) { createDac(input: $i) { __typename } }`,
      { i: { name: 'Chaired Elsewhere DAC', memberIds: [ethics2!.id], chairId: ethics2!.id } },
      { token: f.tokens.admin },
    );
    expect(made.data?.createDac.__typename).toBe('MutationCreateDacSuccess');
    const offered = async (token: string) =>
      (
        await f.gql<{ dacs: { name: string; mayPublishAgreement: boolean }[] }>(
          `{ dacs { name mayPublishAgreement } }`,
          {},
          { token },
        )
      )
        .data!.dacs.filter((d) => d.mayPublishAgreement)
        .map((d) => d.name)
        .sort();
    // ethics@ chairs both demo committees; ethics2@ chairs only the new one.
    expect(await offered(f.tokens.ethics)).toEqual([
      'Clinical Genomics DAC',
      'Population Panel DAC',
    ]);
    expect(await offered(f.tokens.ethics2)).toEqual(['Chaired Elsewhere DAC']);
    expect(await offered(f.tokens.admin)).toEqual([
      'Chaired Elsewhere DAC',
      'Clinical Genomics DAC',
      'Population Panel DAC',
    ]);
    // What is offered is what the API allows: the chair publishes, a non-chair is refused.
    expect(await publish(f.tokens.ethics)).toMatchObject({ data: { version: expect.any(Number) } });
    expect((await publish(f.tokens.ethics2)).__typename).toBe('ForbiddenError');
  });
});
