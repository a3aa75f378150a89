import { expect, test } from '@playwright/test';
import { expectAccessible, openNav, screenshots, signIn } from './helpers';

test('an administrator sees the chain status', async ({ page }, testInfo) => {
  await signIn(page, 'admin@demo.local');
  await openNav(page, 'Chain status');
  await expect(page.getByRole('heading', { level: 1, name: 'Chain status' })).toBeVisible();
  for (const heading of ['Outbox', 'Last anchored audit batch', 'Contract', 'Recent receipts'])
    await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
  await expect(page.getByTestId('chain-pending')).toHaveText(/^\d+$/);
  await expect(page.getByText('Audit events not yet anchored')).toBeVisible();
  await expect(page.getByText('Contract address')).toBeVisible();
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled();
  await expectAccessible(page, testInfo, 'chain');
  await screenshots(page, testInfo, 'chain');
});

test('the ethics board sees the chain status; stewards and researchers do not', async ({
  page,
}) => {
  await signIn(page, 'ethics@demo.local');
  await page.goto('/chain');
  await expect(page.getByRole('heading', { level: 1, name: 'Chain status' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();

  await signIn(page, 'steward@demo.local');
  await expect(page.getByRole('link', { name: 'Chain status' })).toHaveCount(0);
  const res = await page.goto('/chain');
  expect(res?.status()).toBe(403);
});
