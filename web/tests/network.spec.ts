import { expect, test } from '@playwright/test';
import { expectAccessible, openNav, screenshots, signIn } from './helpers';

test('an administrator sees the network read from the chain and votes on a newcomer', async ({
  page,
}, testInfo) => {
  await signIn(page, 'admin@demo.local');
  await openNav(page, 'Network', { exact: true });
  await expect(
    page.getByRole('heading', { level: 1, name: 'Network of institutions' }),
  ).toBeVisible();
  await expect(page.getByTestId('self')).toContainText('Consentome Demo Hospital');
  await expect(page.getByTestId('self')).toContainText('a proposal needs 2 yes votes');
  const members = page.getByRole('table', { name: 'Member institutions' });
  await expect(members.getByRole('row')).toHaveCount(3);
  await expect(members).toContainText('Northside Clinic');

  const proposal = page.getByTestId('proposal-1');
  await expect(proposal).toContainText('Riverside Research Institute (riverside-institute) joins');
  await expect(proposal).toContainText('Yes votes: 1 of the 2 needed');
  await expectAccessible(page, testInfo, 'network');
  await screenshots(page, testInfo, 'network');

  await proposal.getByRole('button', { name: 'Vote yes' }).click();
  await expect(page.getByText('Your yes vote on proposal 1 is on chain. It passed')).toBeVisible();
  await expect(page.getByTestId('proposal-1')).toContainText('Passed');
  await expect(page.getByTestId('proposal-1').getByRole('button')).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Member institutions' })).toContainText(
    'Riverside Research Institute',
  );

  // A proposal the chain refuses says why and changes nothing.
  await page.getByLabel('Id', { exact: true }).fill('northside-clinic');
  await page.getByLabel('Name', { exact: true }).fill('Northside again');
  await page.getByLabel('Chain address').fill('wasm16sg0ky8jf90kku28cttkd68skxqpk73wk7ykhs');
  await page.getByLabel('Beacon address').fill('https://n.example.org/api/beacon');
  await page.getByLabel('Passport issuer key set (JWKS)').fill('https://n.example.org/jwks.json');
  await page.getByLabel('Passport key ids').fill('n-1');
  await page.getByRole('button', { name: 'Propose', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('is taken');
  await expect(page.getByTestId('proposal-2')).toHaveCount(0);
});

test('a steward sees the network but has nothing to vote on', async ({ page }) => {
  await signIn(page, 'steward@demo.local');
  await page.goto('/network');
  await expect(
    page.getByRole('heading', { level: 1, name: 'Network of institutions' }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: /Vote|Propose/ })).toHaveCount(0);
});
