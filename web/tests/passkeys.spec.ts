import fs from 'node:fs';
import { verifyConsentBundle, type ConsentBundle } from '@consentome/contracts-client';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers';
import { enrolNewParticipant } from './participants';
import { addAuthenticator, addVirtualAuthenticator, enableWebAuthn } from './webauthn';

/*
 * Passkeys in the portal, with Chromium's virtual authenticator standing in for a phone or
 * laptop (it answers WebAuthn prompts without a person). Each test enrols its own participant:
 * a passkey changes how every later decision is made, and other specs use the demo patient.
 */

const passkeySection = (page: Page) => page.getByRole('region', { name: 'Passkeys' });

/** Opens the account page once it can run its scripts (passkeys need the browser). */
async function openAccount(page: Page): Promise<void> {
  await page.goto('/account');
  await page.waitForLoadState('networkidle');
}

async function addPasskey(page: Page, name: string): Promise<void> {
  const section = passkeySection(page);
  await section.getByLabel('Name for the new passkey').fill(name);
  await section.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(section.getByRole('status')).toHaveText(`Passkey “${name}” added.`);
}

/**
 * Saves a full set of answers on /consent (a new participant has none yet), with commercial use
 * as given; answers the version the page reports.
 */
async function saveChoices(page: Page, commercial: 'Allow' | 'Don’t allow'): Promise<number> {
  await page.goto('/consent');
  await page.waitForLoadState('networkidle');
  for (const group of [
    'General research',
    'Health and medical research',
    'Research on specific diseases',
    'Population and ancestry research',
    'Methods development',
  ])
    await page.getByRole('group', { name: group }).getByLabel('Allow', { exact: true }).check();
  await page
    .getByRole('group', { name: 'Commercial use' })
    .getByLabel(commercial, { exact: true })
    .check();
  await page.getByRole('button', { name: 'Save my choices' }).click();
  const status = page.getByRole('status');
  await expect(status).toHaveText(/^Saved\. Your choices are now version \d+\.$/);
  return Number(/version (\d+)/.exec((await status.textContent()) ?? '')?.[1]);
}

test('a participant adds a passkey and their consent change is signed by it', async ({ page }) => {
  await enrolNewParticipant(page, 'Pat Signer');
  const credentials = await addVirtualAuthenticator(page, 'internal');
  await openAccount(page);
  const section = passkeySection(page);
  await expect(section).toContainText('sign your consent decisions yourself');
  await expect(section.getByText('You have no passkey yet.')).toBeVisible();

  await addPasskey(page, 'My laptop');
  const listed = section.getByTestId('passkey');
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText('My laptop');
  await expect(listed).toContainText(/added \d{1,2} \w+ \d{4}/);
  expect(await credentials()).toHaveLength(1);
  const [before] = await credentials();

  const version = await saveChoices(page, 'Don’t allow');
  const newest = page.locator('.history > li').first();
  await expect(newest).toContainText(`Version ${version}`);
  await expect(newest.getByTestId('vouched-by')).toHaveText('Signed by your passkey My laptop');
  // The authenticator really signed: its counter moved past the registration's.
  const [after] = await credentials();
  expect(after!.signCount).toBeGreaterThan(before!.signCount);
});

test('a participant renames a passkey and removes it after confirming', async ({ page }) => {
  await enrolNewParticipant(page, 'Robin Keys');
  await addVirtualAuthenticator(page, 'internal');
  await openAccount(page);
  await addPasskey(page, 'Old phone');
  const section = passkeySection(page);
  const row = section.getByTestId('passkey');

  await row.getByRole('button', { name: 'Rename Old phone' }).click();
  await row.getByLabel('New name').fill('Work phone');
  await row.getByRole('button', { name: 'Save name' }).click();
  await expect(section.getByRole('status')).toHaveText('Passkey renamed to “Work phone”.');
  await expect(row).toContainText('Work phone');
  await expect(row).not.toContainText('Old phone');

  await row.getByRole('button', { name: 'Remove Work phone' }).click();
  // The confirm step: nothing is removed until it is confirmed.
  await expect(row).toContainText('Remove “Work phone”?');
  await row.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: 'Remove Work phone' }).click();
  await row.getByRole('button', { name: 'Confirm: remove' }).click();
  await expect(section.getByRole('status')).toHaveText('Passkey “Work phone” removed.');
  await expect(section.getByTestId('passkey')).toHaveCount(0);
  await expect(section.getByText('You have no passkey yet.')).toBeVisible();
  // It stays removed after a reload (the API, not only the page, forgot it).
  await openAccount(page);
  await expect(passkeySection(page).getByTestId('passkey')).toHaveCount(0);
});

test('without a passkey a change is shown as recorded by the institution', async ({ page }) => {
  await enrolNewParticipant(page, 'Alex Plain');
  await openAccount(page);
  await expect(passkeySection(page).getByText('You have no passkey yet.')).toBeVisible();
  const version = await saveChoices(page, 'Allow');
  const newest = page.locator('.history > li').first();
  await expect(newest).toContainText(`Version ${version}`);
  await expect(newest.getByTestId('vouched-by')).toHaveText('Recorded by Consentome for you');
});

test('a refused signature records nothing; a signed withdrawal is marked as the participant’s', async ({
  page,
}) => {
  await enrolNewParticipant(page, 'Kim Careful');
  await addVirtualAuthenticator(page, 'internal');
  await openAccount(page);
  await addPasskey(page, 'Tablet');
  const version = await saveChoices(page, 'Allow');

  // Alter the signed statement's time on its way to the portal: the signature no longer covers
  // what would be recorded, so the API must refuse it.
  let altered = false;
  await page.route(/\/consent\?\/save$/, async (route) => {
    const body = route.request().postData() ?? '';
    const changed = body.replace(/(signatureTime=)(\d+)/, (_m, head: string, time: string) => {
      altered = true;
      return `${head}${Number(time) - 5}`;
    });
    await route.continue({ postData: changed });
  });
  await page
    .getByRole('group', { name: 'Commercial use' })
    .getByLabel('Don’t allow', { exact: true })
    .check();
  await page.getByRole('button', { name: 'Save my choices' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'Your decision was not recorded: Your passkey signature was not accepted',
  );
  expect(altered).toBe(true);
  await page.unrouteAll();
  await page.goto('/consent');
  await expect(page.getByTestId('current-version')).toContainText(`version ${version}`);

  await page.goto('/withdraw');
  await page.waitForLoadState('networkidle');
  await page.getByLabel(/I understand what happens/).check();
  await page.getByRole('button', { name: 'Withdraw now' }).click();
  await expect(page.getByTestId('withdrawal-result')).toContainText('You have withdrawn');
  await page.goto('/consent');
  await expect(page.locator('.history > li').first().getByTestId('vouched-by')).toHaveText(
    'Signed by your passkey Tablet',
  );
});

test('cancelling the browser prompt says no passkey was added', async ({ page }) => {
  await enrolNewParticipant(page, 'Jo Hesitant');
  // What the browser reports when the person closes its passkey prompt.
  await page.addInitScript(() => {
    navigator.credentials.create = () =>
      Promise.reject(
        new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError'),
      );
  });
  await openAccount(page);
  const section = passkeySection(page);
  await section.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(section.getByRole('alert')).toHaveText(
    'No passkey was added: the browser’s passkey prompt was cancelled or timed out.',
  );
  await expect(section.getByText('You have no passkey yet.')).toBeVisible();
});

test('a further passkey is approved by the one the participant already has', async ({ page }) => {
  await enrolNewParticipant(page, 'Lee Two Keys');
  const cdp = await enableWebAuthn(page);
  const phone = await addAuthenticator(cdp, 'internal');
  await openAccount(page);
  await addPasskey(page, 'Phone');
  const [phoneKey] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId: phone }))
    .credentials;

  // A browser offers a new passkey to an authenticator that does not hold one already; the
  // virtual one would refuse (it holds an excluded key). So the new key is made on a second
  // device, and the phone comes back for the approval the portal asks for next.
  await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: phone });
  const laptop = await addAuthenticator(cdp, 'usb');
  let approvalAsked = false;
  await page.route(/\/account\?\/passkeyApproval$/, async (route) => {
    approvalAsked = true;
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: laptop });
    const back = await addAuthenticator(cdp, 'internal');
    await cdp.send('WebAuthn.addCredential', { authenticatorId: back, credential: phoneKey! });
    await route.continue();
  });
  await addPasskey(page, 'Laptop');
  expect(approvalAsked).toBe(true);
  const listed = passkeySection(page).getByTestId('passkey');
  await expect(listed).toHaveCount(2);
  await expect(listed.nth(0)).toContainText('Phone');
  await expect(listed.nth(1)).toContainText('Laptop');
});

test('a participant signs in with their passkey, no password typed', async ({ page }) => {
  await enrolNewParticipant(page, 'Kit Passkey');
  await addVirtualAuthenticator(page, 'internal');
  await openAccount(page);
  await addPasskey(page, 'This laptop');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Kit Passkey');
});

test('a participant downloads their signed records and the file verifies offline', async ({
  page,
}) => {
  await enrolNewParticipant(page, 'Dee Download');
  await addVirtualAuthenticator(page, 'internal');
  await openAccount(page);
  await addPasskey(page, 'Tablet');
  await saveChoices(page, 'Allow');
  // The relay anchors in the background: wait until the signed version is on the chain.
  let bundle: ConsentBundle | undefined;
  await expect(async () => {
    const downloading = page.waitForEvent('download');
    await page.getByTestId('download-signed-records').click();
    const file = await (await downloading).path();
    bundle = JSON.parse(fs.readFileSync(file!, 'utf8')) as ConsentBundle;
    expect(bundle.records.some((r) => r.signed_by)).toBe(true);
  }).toPass({ timeout: 30_000 });
  expect(bundle!.format).toBe('consentome-signed-consent/1');
  const verdicts = verifyConsentBundle(bundle!);
  expect(verdicts.filter((v) => v.status === 'signed').length).toBeGreaterThan(0);
  expect(verdicts.filter((v) => v.status === 'signature-invalid')).toEqual([]);

  // The browser checks the same signatures itself (WebCrypto), against the keys the chain holds.
  await page.getByRole('button', { name: 'Check my signatures in this browser' }).click();
  const newest = page.locator('.history > li').first();
  await expect(newest.getByTestId('browser-check')).toHaveText(
    '✓ Checked in your browser: your passkey’s signature checks out.',
  );
});

test('a steward resets the passkeys of a participant who lost them; the participant is told', async ({
  page,
  browser,
}) => {
  const pseudonym = await enrolNewParticipant(page, 'Lee Lost', `P-AA-${Date.now()}`);
  await addVirtualAuthenticator(page, 'internal');
  await openAccount(page);
  await addPasskey(page, 'Lost phone');

  const staff = await browser.newPage();
  await signIn(staff, 'steward@demo.local');
  await staff.goto('/participants');
  const row = staff.getByRole('row').filter({ hasText: pseudonym });
  await row.getByText('Lost passkeys?').click();
  await row.getByLabel(`How you checked it is ${pseudonym}`).selectOption('IN_PERSON_PHOTO_ID');
  await row.getByRole('button', { name: `Reset the passkeys of ${pseudonym}` }).click();
  await expect(staff.getByTestId('passkeys-reset')).toContainText(
    'One passkey was removed, on the chain as removed by the institution',
  );
  await staff.close();

  await openAccount(page);
  await expect(passkeySection(page).getByText('You have no passkey yet.')).toBeVisible();
  await page.goto('/notifications');
  await expect(page.getByText('Your passkeys were reset')).toBeVisible();
});
