import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

// It erases patient@demo.local, so it runs in the `last` project, after every other spec.

/** The export's sentence in the Spanish timeline (server audit-actions.es.ts). */
const SPANISH_EXPORT = 'Sus datos se incluyeron en la exportación de un estudio';

test('the demo patient, on a phone: summary, a use by a researcher with its proof verified, erasure, receipt', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await signIn(page, 'patient@demo.local');
  await page.goto('/timeline');

  // The summary at the top, in plain words.
  const summary = page.getByTestId('timeline-summary');
  // Other specs may have asked and used more before this one runs: at least the demo's own.
  await expect(summary).toContainText(/[1-9]\d* stud(y|ies) asked/);
  await expect(summary).toContainText(/[1-9]\d* used your data/);
  await expect(summary).toContainText(/last use .* ago|last use just now/);

  // A use by a researcher: the export that included the demo patient, once its batch is on chain.
  const use = page
    .getByTestId('event')
    .filter({ hasText: 'Your data was included in a study’s export' })
    .first();
  await expect(async () => {
    await page.reload();
    await expect(use.getByTestId('proof')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000, intervals: [1_000, 2_000, 3_000] });
  await expect(use).toContainText('by A researcher');
  await expect(use.getByTestId('badge-verified')).toHaveText('Verified on chain', {
    timeout: 10_000,
  });
  await use.getByTestId('badge-verified').click();
  await expect(use.getByTestId('proof-ok')).toHaveText('✓ proof checked in your browser');
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, 'the timeline must fit a 375 px screen').toBeLessThanOrEqual(0);
  await expectAccessible(page, testInfo, 'journey-timeline');

  // The same timeline in Spanish, then back to English (the account remembers the choice).
  await page.getByTestId('language-switch').getByRole('button', { name: 'Español' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cada uso de sus datos');
  await expect(page.getByTestId('event').filter({ hasText: SPANISH_EXPORT }).first()).toBeVisible();
  await page.getByTestId('language-switch').getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Cada uso de sus datos');

  // Asking for erasure: what goes and what cannot, before confirming.
  await page.goto('/withdraw');
  await page.getByRole('link', { name: 'Ask for erasure' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Erase your data');
  await expect(page.getByTestId('cannot-erase')).toContainText(
    'Data already exported to “Asthma and lung function genetics”',
  );
  await expectAccessible(page, testInfo, 'journey-erase');
  await page.waitForLoadState('networkidle');
  // A wrong phrase changes nothing.
  await page.getByLabel(/to confirm/).fill('erase me');
  await page.getByRole('button', { name: 'Erase my data now' }).click();
  await expect(page.getByRole('alert')).toContainText('erase P-DEMO0001');
  await page.getByLabel(/to confirm/).fill('erase P-DEMO0001');
  await page.getByRole('button', { name: 'Erase my data now' }).click();

  // Signed out, with a receipt.
  const receipt = page.getByTestId('erasure-receipt');
  await expect(receipt.getByRole('heading', { name: 'Your data was erased' })).toBeVisible();
  await expect(receipt).toContainText('3 health observations');
  await expect(receipt).toContainText(/[1-9]\d* stud(y was|ies were) asked to delete your data/);
  await expect(receipt.getByTestId('receipt-hash')).toHaveText(/^[0-9a-f]{64}$/);
  await expectAccessible(page, testInfo, 'journey-receipt');
  await page.goto('/timeline');
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, 'patient@demo.local').catch(() => undefined);
  await expect(page).toHaveURL(/\/login/);
});
