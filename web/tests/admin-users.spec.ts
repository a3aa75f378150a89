import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, mainNavLink, openNav, screenshots, signIn } from './helpers';

/** The list item of one account, found by its e-mail address. */
const account = (page: Page, email: string) =>
  page.getByTestId('account').filter({ hasText: email });

test('an administrator creates an account, changes its role, confirms and disables it', async ({
  page,
}, testInfo) => {
  await signIn(page, 'admin@demo.local');
  await openNav(page, 'Users');
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await expect(account(page, 'researcher@demo.local')).toBeVisible();
  await expect(account(page, 'admin@demo.local')).toContainText('You');
  // The scripts attach the client-side checks only once the page is hydrated.
  await page.waitForLoadState('networkidle');
  await expectAccessible(page, testInfo, 'admin-users');
  await screenshots(page, testInfo, 'admin-users');

  // Checked before sending: nothing reaches the API.
  await page.getByLabel('E-mail').fill('not-an-address');
  await page.getByLabel('Initial password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Enter a valid e-mail address.')).toBeVisible();
  await expect(page.getByText('Enter the name to show for this person.')).toBeVisible();
  await expect(page.getByText('Use at least 12 characters.')).toBeVisible();
  await expect(page.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page, testInfo, 'admin-users-errors');

  const email = `dac-${Date.now()}@demo.local`;
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Display name').fill('Dee Ack');
  await page.getByLabel('Role', { exact: true }).first().selectOption('ethics_board');
  await page.getByLabel('Institution (optional)').fill('Demo Hospital IRB');
  await page.getByLabel('Initial password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Account created for Dee Ack' }),
  ).toBeVisible();
  const item = account(page, email);
  await expect(item).toBeVisible();
  await expect(item.getByLabel('Role')).toHaveValue('ethics_board');

  // The server's typed error for a duplicate e-mail comes back on the field.
  await page.getByLabel('E-mail').fill(email.toUpperCase());
  await page.getByLabel('Display name').fill('Dee Again');
  await page.getByLabel('Initial password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toContainText('already exists');
  await expect(page.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');

  await item.getByLabel('Role').selectOption('researcher');
  await item.getByRole('button', { name: 'Change role' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Dee Ack is now Researcher.' }),
  ).toBeVisible();
  await expect(item).toContainText('Not confirmed');
  await item.getByRole('button', { name: 'Confirm researcher status' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Researcher status confirmed' }),
  ).toBeVisible();
  await expect(item).toContainText('Confirmed');

  await item.getByRole('button', { name: 'Disable account' }).click();
  await expect(item).toContainText('Disabled since');
  await item.getByRole('button', { name: 'Enable account' }).click();
  await expect(item.getByRole('button', { name: 'Disable account' })).toBeVisible();
});

test('the last administrator cannot demote themselves: the typed error is shown', async ({
  page,
}, testInfo) => {
  await signIn(page, 'admin@demo.local');
  await page.goto('/admin/users');
  await page.waitForLoadState('networkidle');
  const me = account(page, 'admin@demo.local');
  // One cannot disable oneself: the control is not offered.
  await expect(me.getByRole('button', { name: 'Disable account' })).toHaveCount(0);
  await me.getByLabel('Role').selectOption('researcher');
  await me.getByRole('button', { name: 'Change role' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('last active administrator');
  await expect(alert).toHaveAttribute('data-error-type', 'LastAdminError');
  // Nothing changed: still an administrator, still allowed here.
  await page.reload();
  await expect(account(page, 'admin@demo.local').getByLabel('Role')).toHaveValue('admin');
  await expectAccessible(page, testInfo, 'admin-users-last-admin');
});

test('only administrators see and open the users page', async ({ page }) => {
  await signIn(page, 'ethics@demo.local');
  await expect(mainNavLink(page, 'Users')).toHaveCount(0);
  const res = await page.goto('/admin/users');
  expect(res?.status()).toBe(403);
});
