import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createAccount, gql, tokenFor } from './api';
import { signIn, switchUser } from './helpers';
import { addVirtualAuthenticator } from './webauthn';

/*
 * A board member uses a passkey as their second factor: Chromium's virtual authenticator stands
 * in for a security key. The board member is new (made by the demo admin), so the demo's own
 * board members keep their password-only sessions for the other specs.
 */

test('a board member adds a passkey, signs in with password and passkey, then votes', async ({
  page,
}) => {
  const email = `board-${Date.now()}@demo.local`;
  const admin = await tokenFor('admin@demo.local');
  const boardMemberId = await createAccount(admin, {
    email,
    displayName: 'Bo Ard',
    role: 'ethics_board',
  });
  // A board member votes on the requests of the committees they sit on: the panel's, here.
  const { dacs } = await gql<{ dacs: { id: string; name: string }[] }>(
    `{ dacs { id name } }`,
    {},
    admin,
  );
  await gql(
    `mutation($d: ID!, $u: ID!) { addDacMember(dacId: $d, userId: $u) { __typename } }`,
    { d: dacs.find((d) => d.name === 'Population Panel DAC')!.id, u: boardMemberId },
    admin,
  );
  await addVirtualAuthenticator(page, 'usb');

  await signIn(page, email);
  await page.goto('/account');
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('email-state')).toContainText('not confirmed yet');
  const keys = page.getByRole('region', { name: 'Passkeys for your second factor' });
  await keys.getByLabel('Name for a new passkey').fill('Desk key');
  await keys.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(keys.getByText('Passkey “Desk key” added.')).toBeVisible();
  await expect(keys.locator('.recovery-codes li')).toHaveCount(10);
  await expect(keys.getByText('Desk key', { exact: true })).toBeVisible();

  // A new sign-in: the password, then the passkey.
  await switchUser(page, email);
  await page.goto('/account');
  await page.waitForLoadState('networkidle');
  const factor = page.getByRole('region', { name: 'Second factor', exact: true });
  await expect(factor).toContainText('This session has not confirmed it yet.');
  await factor.getByRole('button', { name: "Confirm it's you with a passkey" }).click();
  await expect(page.getByTestId('passkey-factor-state')).toHaveText(
    'Thank you: this session is confirmed for the next minutes.',
  );
  await expect(factor).toContainText('This session confirmed it at');
  // Both sessions proved the passkey: the first by registering it, this one by using it.
  await expect(
    page
      .getByRole('region', { name: 'Where you are signed in' })
      .getByText('password and a passkey'),
  ).toHaveCount(2);

  await page.goto('/review');
  const item = page
    .getByTestId('queue-item')
    .filter({ hasText: 'Everyday health in the reference panel' });
  await item.getByRole('link', { name: 'Everyday health in the reference panel' }).click();
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Approve', { exact: true }).check();
  await page.getByLabel('Rationale').fill('Low risk; the panel agreed to general research.');
  await page.getByRole('button', { name: 'Cast vote' }).click();
  await expect(page.getByTestId('vote').filter({ hasText: '(you)' })).toBeVisible();
});

/** The newest e-mail to `to` in the API's development outbox (waits for it to arrive). */
async function mailTo(to: string): Promise<{ text: string; kind: string }> {
  const dir = process.env.E2E_MAIL_OUTBOX!;
  for (let i = 0; i < 100; i += 1) {
    const found = (
      fs.existsSync(dir)
        ? fs
            .readdirSync(dir)
            .filter((f) => f.endsWith('.json'))
            .sort()
            .reverse()
        : []
    )
      .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as MailFile)
      .find((m) => m.to === to);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no e-mail to ${to}`);
}

interface MailFile {
  to: string;
  text: string;
  kind: string;
}

test('a new account confirms its e-mail address from the link, once', async ({ page }) => {
  const email = `confirm-${Date.now()}@demo.local`;
  await createAccount(await tokenFor('admin@demo.local'), {
    email,
    displayName: 'Con Firm',
    role: 'researcher',
  });
  const mail = await mailTo(email);
  expect(mail.kind).toBe('email_verification');
  const link = /https?:\/\/\S+\/verify-email#token=[\w-]+/.exec(mail.text)![0];
  const url = new URL(link);

  await signIn(page, email);
  await page.goto('/account');
  await expect(page.getByTestId('email-state')).toContainText('not confirmed yet');
  await expect(
    page.getByRole('button', { name: 'Send the confirmation link again' }),
  ).toBeVisible();

  await page.goto(`/verify-email${url.hash}`);
  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(page.getByTestId('verify-done')).toContainText('is confirmed');
  await page.goto('/account');
  await expect(page.getByTestId('email-state')).toContainText('confirmed on');
  await expect(page.getByRole('button', { name: 'Send the confirmation link again' })).toHaveCount(
    0,
  );

  // The same link again: a clear refusal.
  await page.goto(`/verify-email${url.hash}`);
  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(page.getByRole('alert')).toContainText('This link is not valid');
});
