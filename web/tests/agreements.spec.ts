import { expect, test } from '@playwright/test';
import { gql, tokenFor } from './api';
import { expectAccessible, screenshots, signIn } from './helpers';

const COMMITTEE = 'Agreements Test DAC';
const TEXT = 'The data stays in the approved environment and is destroyed at closeout.';

test('an administrator lists the committees’ agreement versions and publishes a new one', async ({
  page,
}, testInfo) => {
  // A committee of its own, so the demo committees' agreements (which later specs rely on) stay.
  const admin = await tokenFor('admin@demo.local');
  const created = await gql<{ createDac: { __typename: string } }>(
    `mutation($i: CreateDacInput!) { createDac(input: $i) { __typename } }`,
    { i: { name: COMMITTEE, quorum: 1 } },
    admin,
  );
  expect(created.createDac.__typename).toBe('MutationCreateDacSuccess');

  await signIn(page, 'admin@demo.local');
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Agreements' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Data use agreements' })).toBeVisible();
  // The demo committees show their current version.
  await expect(
    page.getByRole('listitem', { name: 'Population Panel DAC', exact: true }),
  ).toContainText('Version 1 (current)');
  const ours = page.getByRole('listitem', { name: COMMITTEE, exact: true });
  await expect(ours).toContainText('No agreement published');
  await expectAccessible(page, testInfo, 'admin-agreements');
  await screenshots(page, testInfo, 'admin-agreements');
  await page.setViewportSize({ width: 1280, height: 900 });

  await ours.getByLabel('New version of the agreement').fill(TEXT);
  await ours.getByRole('button', { name: 'Publish version 1' }).click();
  const published = page.getByRole('listitem', { name: COMMITTEE, exact: true });
  await expect(published.getByRole('status')).toContainText(`${COMMITTEE} now asks for version 1`);
  await expect(published).toContainText('Version 1 (current)');
  await expect(published).toContainText(TEXT);
  await expect(published.getByRole('button', { name: 'Publish version 2' })).toBeVisible();
  await expectAccessible(page, testInfo, 'admin-agreements-after');
});
