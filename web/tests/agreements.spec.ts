import { expect, test } from '@playwright/test';
import { createCommittee, gql, tokenFor } from './api';
import { expectAccessible, openNav, screenshots, signIn } from './helpers';

const COMMITTEE = 'Agreements Test DAC';
const TEXT = 'The data stays in the approved environment and is destroyed at closeout.';

test('an administrator lists the committees’ agreement versions and publishes a new one', async ({
  page,
}, testInfo) => {
  // A committee of its own, so the demo committees' agreements (which later specs rely on) stay.
  const admin = await tokenFor('admin@demo.local');
  await createCommittee(admin, { name: COMMITTEE, quorum: 1 });

  await signIn(page, 'admin@demo.local');
  await openNav(page, 'Agreements');
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

test('a committee chair sees only the committees they chair and publishes a new version (axe)', async ({
  page,
}, testInfo) => {
  // Two committees of their own: one ethics@ chairs, one ethics2@ chairs (the demo ones stay).
  const admin = await tokenFor('admin@demo.local');
  const { users } = await gql<{ users: { id: string; email: string }[] }>(
    `{ users { id email } }`,
    {},
    admin,
  );
  const idOf = (email: string) => users.find((u) => u.email === email)!.id;
  const dac = (name: string, chair: string) =>
    createCommittee(admin, { name, quorum: 1, memberIds: [idOf(chair)], chairId: idOf(chair) });
  const OURS = 'Chaired Agreements Test DAC';
  const OTHERS = 'Chaired By Another Test DAC';
  await dac(OURS, 'ethics@demo.local');
  await dac(OTHERS, 'ethics2@demo.local');

  await signIn(page, 'ethics@demo.local');
  await openNav(page, 'Agreements');
  await expect(page.getByRole('heading', { level: 1, name: 'Data use agreements' })).toBeVisible();
  // ethics@ chairs the two demo committees and ours; not the one ethics2@ chairs.
  await expect(page.getByTestId('dac-agreements').getByRole('heading', { level: 2 })).toHaveText(
    [OURS, 'Clinical Genomics DAC', 'Population Panel DAC'].sort((a, b) => a.localeCompare(b)),
  );
  await expect(page.getByText(OTHERS)).toHaveCount(0);
  await expectAccessible(page, testInfo, 'chair-agreements');

  const ours = page.getByRole('listitem', { name: OURS, exact: true });
  await ours.getByLabel('New version of the agreement').fill(TEXT);
  await ours.getByRole('button', { name: 'Publish version 1' }).click();
  const published = page.getByRole('listitem', { name: OURS, exact: true });
  await expect(published.getByRole('status')).toContainText(`${OURS} now asks for version 1`);
  await expect(published).toContainText('Version 1 (current)');
  await expectAccessible(page, testInfo, 'chair-agreements-after');
});

test('a board member who chairs no committee is offered none to publish', async ({ page }) => {
  // ethics2@ chairs no demo committee (another test may make it chair of its own).
  await signIn(page, 'ethics2@demo.local');
  await page.goto('/admin/agreements');
  await expect(page.getByRole('heading', { level: 1, name: 'Data use agreements' })).toBeVisible();
  for (const demo of ['Clinical Genomics DAC', 'Population Panel DAC'])
    await expect(page.getByRole('listitem', { name: demo, exact: true })).toHaveCount(0);
});
