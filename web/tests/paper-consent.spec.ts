import { expect, test } from '@playwright/test';
import { expectAccessible, openNav, screenshots, signIn } from './helpers';

const PDF = Buffer.from('%PDF-1.4\n% the signed paper consent form\n%%EOF\n');

test('a consent coordinator records a paper decision with its form version, scan, date and witness', async ({
  page,
}, testInfo) => {
  await signIn(page, 'coordinator@demo.local');
  await openNav(page, 'Paper consent');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Paper and in-person consent');
  await expect(page.getByText('Enter an enrolment id to find a participant')).toBeVisible();

  // Someone who is not a participant of this site: not found, nothing else said.
  await page.getByLabel('Enrolment id').fill('P-NOT-HERE');
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.getByTestId('find-error')).toContainText('No participant of your site');

  await page.getByLabel('Enrolment id').fill('P-DEMO0005');
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.getByRole('heading', { name: 'P-DEMO0005' })).toBeVisible();
  await page.waitForLoadState('networkidle');

  // The decision, the scan and the witness; the form version and today's date are preset.
  await page.getByLabel('Health and medical research').selectOption('PERMIT');
  await page.getByLabel('Commercial use').selectOption('DENY');
  await page.getByLabel('Scan of the signed form (PDF, up to 10 MB)').setInputFiles({
    name: 'consent-form.pdf',
    mimeType: 'application/pdf',
    buffer: PDF,
  });
  await page.getByLabel('Witness').fill('Nurse Wanda Witness');
  await expectAccessible(page, testInfo, 'coordinator');
  await page.getByRole('button', { name: 'Record the paper decision' }).click();

  await expect(page.getByTestId('recorded')).toContainText('P-DEMO0005');
  const records = page.getByTestId('paper-records');
  await expect(records).toContainText('form PAPER-2026-01');
  await expect(records).toContainText('witnessed by Nurse Wanda Witness');
  await expect(page.getByText('Health and medical research: Allow')).toBeVisible();
  await screenshots(page, testInfo, 'coordinator');
});

test('a parent acts for the teenager they represent, then stops', async ({ page }) => {
  await signIn(page, 'guardian@demo.local');
  await page.getByRole('link', { name: 'Act for someone you represent' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Acting for someone you represent',
  );
  await page.getByRole('button', { name: 'Act for Sam Demo' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What you allow');
  await expect(page.getByTestId('acting-for')).toContainText('You are acting for Sam Demo');
  await page.getByRole('button', { name: 'Stop acting for Sam Demo' }).click();
  await expect(page.getByTestId('acting-for')).toHaveCount(0);
});

test('an administrator sees the paper consent form versions and registers one; a malformed version is refused', async ({
  page,
}, testInfo) => {
  await signIn(page, 'admin@demo.local');
  await openNav(page, 'Consent forms');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Paper consent forms');
  const versions = page.getByTestId('form-versions');
  await expect(versions).toContainText('PAPER-2026-01 — Paper consent form, 2026');
  await page.waitForLoadState('networkidle');

  // A version with spaces is not one a form can carry: refused, nothing registered.
  await page.getByRole('textbox', { name: 'Version' }).fill('paper form 2');
  await page.getByRole('textbox', { name: 'Title' }).fill('A second paper form');
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByRole('alert').first()).toContainText('letters, digits');
  await expect(versions).not.toContainText('paper form 2');
  await expectAccessible(page, testInfo, 'consent-forms-refused');

  const version = `PAPER-E2E-${Date.now()}`;
  await page.getByRole('textbox', { name: 'Version' }).fill(version);
  await page.getByRole('textbox', { name: 'Title' }).fill('Paper consent form, end-to-end test');
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByText(`Form version ${version} is registered.`)).toBeVisible();
  await expect(versions).toContainText(`${version} — Paper consent form, end-to-end test`);
  await expectAccessible(page, testInfo, 'consent-forms');
});
