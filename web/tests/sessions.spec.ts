import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

/** The second browser says it is Firefox on Linux, so its row is told apart from this one's. */
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

test('a user sees where they are signed in and signs another device out', async ({
  page,
  browser,
}, testInfo) => {
  await signIn(page, 'researcher@demo.local');
  const other = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    userAgent: FIREFOX_LINUX,
  });
  const second = await other.newPage();
  await signIn(second, 'researcher@demo.local');

  await page.goto('/account');
  const section = page.getByRole('region', { name: 'Where you are signed in' });
  const rows = section.getByTestId('session-row');
  // Earlier specs may have left sessions of the demo researcher open too.
  expect(await rows.count()).toBeGreaterThanOrEqual(2);
  // Desktop Chrome's User-Agent (the project's device) names Windows.
  const here = rows.filter({ hasText: 'this device' });
  await expect(here).toHaveCount(1);
  await expect(here).toContainText('Chrome on Windows');
  await expect(here).toContainText('password');
  await expect(here.getByRole('button', { name: /^End/ })).toHaveCount(0);
  const there = rows.filter({ hasText: 'Firefox on Linux' });
  const before = await there.count();
  expect(before).toBeGreaterThanOrEqual(1);
  await expectAccessible(page, testInfo, 'account-sessions');

  // The newest session comes first: the one the second browser just opened.
  await there.first().getByRole('button', { name: /^End/ }).click();
  await expect(section.getByRole('status')).toHaveText('That device is signed out.');
  await expect(there).toHaveCount(before - 1);
  await expect(rows.filter({ hasText: 'this device' })).toHaveCount(1);

  // The other browser's next page finds its session ended.
  await second.goto('/account');
  await expect(second).toHaveURL(/\/login(\?|$)/);
  await other.close();
});
