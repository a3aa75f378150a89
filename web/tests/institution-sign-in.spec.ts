import { expect, test, type Page } from '@playwright/test';
import { generate } from 'otplib';
import { expectAccessible, signIn } from './helpers';

/** The password of every test provider account (scripts/oidc/test-provider.mjs). */
const PROVIDER_PASSWORD = 'demo-password';

/** On the test provider's own sign-in page: types a Demo University account's credentials. */
async function enterDemoUniversityCredentials(page: Page, email: string): Promise<void> {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PROVIDER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in to Demo University' }).click();
}

/** Signs in from the portal's login page through Demo University, to the welcome page. */
async function signInThroughDemoUniversity(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in with Demo University' }).click();
  await enterDemoUniversityCredentials(page, email);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome');
}

// The whole redirect flow in Chromium against the real test provider (oidc-provider on
// loopback, started by playwright.config.ts): portal → Demo University → portal, signed in.
test('a researcher signs in with Demo University through the whole redirect flow, and out again', async ({
  page,
}, testInfo) => {
  await page.goto('/login');
  await expectAccessible(page, testInfo, 'login-with-institutions');
  await page.getByRole('button', { name: 'Sign in with Demo University' }).click();
  await expect(page.getByRole('heading', { name: 'Demo University' })).toBeVisible();
  expect(new URL(page.url()).pathname).toMatch(/^\/interaction\//);
  await enterDemoUniversityCredentials(page, 'rhea@demo-university.example');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome');
  expect(new URL(page.url()).port).toBe(new URL(testInfo.project.use.baseURL!).port);

  // Signing out ends the session here and at the provider (RP-initiated logout).
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/session\/end|\/login/);
  if (page.url().includes('/session/end')) {
    await page.getByRole('button', { name: /yes|sign.?out/i }).click();
  }
  await expect(page).toHaveURL(/\/login$/);
  // The provider's session ended too: signing in again asks for the password there.
  await page.getByRole('button', { name: 'Sign in with Demo University' }).click();
  await expect(page.getByRole('button', { name: 'Sign in to Demo University' })).toBeVisible();
});

test('a replayed callback is refused and signs nobody in', async ({ page, context }) => {
  let callback = '';
  page.on('request', (request) => {
    if (request.url().includes('/login/oidc/callback?')) callback = request.url();
  });
  await signInThroughDemoUniversity(page, 'rhea@demo-university.example');
  expect(callback).toContain('state=');
  // Another browser (no cookies) replays the same callback URL: refused.
  await context.clearCookies();
  await page.goto(callback);
  await expect(page).toHaveURL(/\/login\?institution=UNAUTHENTICATED/);
  await expect(page.getByRole('alert')).toContainText('did not work');
});

test('an account sets up an authenticator app and confirms a step-up code', async ({ page }) => {
  await signInThroughDemoUniversity(page, 'otto@demo-university.example');
  await page.goto('/account');
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  await page.getByLabel('Code from your authenticator app').fill(await generate({ secret }));
  await page.getByRole('button', { name: 'Confirm authenticator' }).click();
  await expect(page.getByText('Keep these recovery codes')).toBeVisible();
  await expect(page.locator('.recovery-codes li')).toHaveCount(10);
  // A step-up later: the same code is refused (used), the next one accepted.
  await page.goto('/account');
  await page.getByLabel('Code from your authenticator app').fill(await generate({ secret }));
  await page.getByRole('button', { name: "Confirm it's you" }).click();
  await expect(page.getByRole('alert')).toContainText('already used');
  const next = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
  await page.getByLabel('Code from your authenticator app').fill(next);
  await page.getByRole('button', { name: "Confirm it's you" }).click();
  await expect(page.getByText('this session is confirmed')).toBeVisible();
});

test('a password account links its institution from /account, then signs in through it', async ({
  page,
  browser,
}, testInfo) => {
  await signIn(page, 'researcher@demo.local');
  await page.goto('/account');
  await page.getByLabel('Institution', { exact: true }).selectOption({ label: 'Demo University' });
  await page.getByLabel("Your password (to confirm it's you)").fill('demo-password');
  await page.getByRole('button', { name: 'Link institution' }).click();
  // The provider authenticates afresh (prompt=login), whatever session it had.
  await enterDemoUniversityCredentials(page, 'mara@demo-university.example');
  await expect(page.getByText('Your institution is linked')).toBeVisible();
  // Another browser signs in through Demo University as Mara: it is the password account.
  const other = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const second = await other.newPage();
  await signInThroughDemoUniversity(second, 'mara@demo-university.example');
  await second.goto('/account');
  await expect(second.getByText('Signed in as researcher@demo.local')).toBeVisible();
  await other.close();
});
