import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, screenshots } from './helpers';
import { enrolNewParticipant } from './participants';
import { addVirtualAuthenticator } from './webauthn';

/*
 * "Link my record at another site" (issue #14) at the demo site, whose chain registry holds
 * this institution (Consentome Demo Hospital) and partner clinics with no running server. So
 * the offer side runs end to end in the browser (a passkey from Chromium's virtual
 * authenticator signs, the offer goes on the embedded chain); the accept side's refusals run
 * here, and the whole two-site link is tested with two running instances on the server
 * (server/src/modules/federation/participant-link.test.ts).
 */

async function openLinks(page: Page): Promise<void> {
  await page.goto('/account/links');
  await page.waitForLoadState('networkidle');
}

test('a participant without a passkey is told to add one first', async ({ page }) => {
  await enrolNewParticipant(page, 'Nia Nokey');
  await openLinks(page);
  await expect(
    page.getByRole('heading', { level: 1, name: 'Link my record at another site' }),
  ).toBeVisible();
  await expect(page.getByTestId('needs-passkey')).toContainText(
    'You need a passkey at this site before you can link your record.',
  );
  await expect(page.getByRole('button', { name: /get a link code/ })).toBeDisabled();
  await page.getByRole('link', { name: 'Add a passkey first.' }).click();
  await expect(page).toHaveURL(/\/account#passkeys$/);
  await expect(page.getByRole('region', { name: 'Passkeys' })).toBeVisible();
});

test('a participant starts a link with their passkey, gets a code and sees the offer waiting; bad codes are refused', async ({
  page,
}, testInfo) => {
  await enrolNewParticipant(page, 'Lin Twosites');
  await addVirtualAuthenticator(page, 'internal');
  await page.goto('/account');
  await page.waitForLoadState('networkidle');
  const passkeys = page.getByRole('region', { name: 'Passkeys' });
  await passkeys.getByLabel('Name for the new passkey').fill('My phone');
  await passkeys.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(passkeys.getByRole('status')).toHaveText('Passkey “My phone” added.');
  await page.getByRole('link', { name: 'Link my record at another site' }).click();
  await page.waitForLoadState('networkidle');

  await expect(page.getByText('will apply at both sites')).toBeVisible();
  await expect(page.getByText('Each site keeps its own pseudonym for you')).toBeVisible();
  await expect(page.getByText('You have no links with other sites yet.')).toBeVisible();
  await expectAccessible(page, testInfo, 'participant-links-empty');

  // Sites are offered by name (from the chain registry), never by address; not this one.
  const site = page.getByLabel('The other institution');
  await expect(site.getByRole('option', { name: 'Northside Clinic' })).toHaveCount(1);
  await expect(site.getByRole('option', { name: 'Consentome Demo Hospital' })).toHaveCount(0);
  // Signing without a site chosen says what is missing.
  await page.getByRole('button', { name: 'Sign with my passkey and get a link code' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Choose the institution where you also take part.',
  );

  await site.selectOption({ label: 'Northside Clinic' });
  const made = page.getByTestId('link-code');
  // The new passkey reaches the chain through the outbox (every half second); until it has,
  // the site refuses the signature and the page offers to try again with the same code.
  const sign = page.getByRole('button', {
    name: /^(Sign with my passkey and get a link code|Try again with my passkey)$/,
  });
  await expect(async () => {
    await sign.click();
    await expect(made.or(page.getByRole('alert'))).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
  }).toPass({ timeout: 60_000 });
  await expect(made).toContainText('Your link code for Northside Clinic.');
  await expect(made).toContainText('for about a day');
  const code = (await made.locator('code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[0-9a-f]{64}$/);
  await expect(made.getByRole('button', { name: 'Copy the code' })).toBeVisible();

  const listed = page.getByTestId('participant-link');
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText('Northside Clinic');
  await expect(listed).toContainText('Waiting for the other site');
  await expect(listed).toContainText(/started here on \d{1,2} \w+ \d{4}/);
  await expect(listed.locator('code')).toHaveText(code);
  await expectAccessible(page, testInfo, 'participant-links-offered');

  // The accept form: a code that is not one, one nobody made, and the code just made here for
  // another site (this site may not accept it); each says why, and nothing is linked.
  const codeField = page.getByLabel('Link code');
  const check = page.getByRole('button', { name: 'Check the code' });
  await codeField.fill('not-a-code');
  await check.click();
  await expect(page.getByRole('alert')).toHaveText(/That is not a link code/);
  await codeField.fill(randomBytes(32).toString('hex'));
  await check.click();
  await expect(page.getByRole('alert')).toHaveText(/This code is not known here/);
  await codeField.fill(code);
  await check.click();
  await expect(page.getByRole('alert')).toHaveText(/This code is not known here/);
  await expect(page.getByTestId('checked-offer')).toHaveCount(0);

  // It stays after a reload (the API, not the page, knows it).
  await openLinks(page);
  await expect(page.getByTestId('participant-link')).toContainText('Waiting for the other site');
  await screenshots(page, testInfo, 'participant-links');

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByTestId('language-switch').getByRole('button', { name: 'Español' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Vincular mi registro en otro centro',
  );
  await expect(page.getByTestId('participant-link')).toContainText('Esperando al otro centro');
  await expectAccessible(page, testInfo, 'participant-links-es');
  await page.getByTestId('language-switch').getByRole('button', { name: 'English' }).click();
});
