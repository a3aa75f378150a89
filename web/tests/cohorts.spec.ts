import { expect, test, type Locator } from '@playwright/test';
import { expectAccessible, openNav, screenshots, signIn } from './helpers';

/** The number a count shows, or null for "<20" and the like. */
async function shown(display: Locator): Promise<number | null> {
  const text = (await display.textContent())?.trim() ?? '';
  return /^\d+$/.test(text) ? Number(text) : null;
}

test('a researcher builds a cohort and sees the count and consent breakdown change', async ({
  page,
}, testInfo) => {
  await signIn(page, 'researcher@demo.local');
  await openNav(page, 'Cohorts');
  await expect(page.getByRole('heading', { level: 1, name: 'Cohort builder' })).toBeVisible();
  await expect(page.getByText('No count yet.')).toBeVisible();
  await expectAccessible(page, testInfo, 'cohorts-empty');

  const display = page.getByTestId('cohort-display');
  // Live counting is the page script's: make sure it is running before changing criteria.
  await page.waitForLoadState('networkidle');
  // The whole demo panel (~2,000 people): far from the suppression threshold.
  await page.getByRole('checkbox', { name: 'Population Reference Panel' }).check();
  await expect(display).toHaveText(/^\d+$/);
  const panel = (await shown(display))!;
  expect(panel).toBeGreaterThan(1_500);

  // Carriers of a BRCA1 variant are a few hundred: the set changes by far more than the
  // differencing guard's 20 members and the ±3 noise, so the answer must change.
  await page.getByLabel('Genes').fill('BRCA1');
  await expect(display).not.toHaveText(String(panel));
  await expect(display).toHaveText(/^\d+$/);
  const carriers = (await shown(display))!;
  expect(carriers).toBeGreaterThan(100);
  expect(carriers).toBeLessThan(panel - 200);

  // Then only women: roughly half again.
  await page.getByLabel('Sex').selectOption('female');
  await expect(display).not.toHaveText(String(carriers));
  const women = await shown(display);
  expect(women === null || women < carriers - 50).toBe(true);

  const chart = page.getByRole('region', { name: /Consent breakdown for General research/ });
  await expect(chart).toBeVisible();
  for (const label of ['Already permitted', 'Must be asked', 'Excluded'])
    await expect(chart.getByText(label, { exact: true })).toBeVisible();
  await expect(page.getByTestId('breakdown-ask')).toHaveText(/^(\d+|<\d+)$/);
  // The permitted split by who recorded the consent: the participant's passkey or the institution.
  await expect(page.getByTestId('breakdown-provenance')).toBeVisible();
  await expect(page.getByTestId('breakdown-permitted-signed')).toHaveText(/^(\d+|<\d+)$/);
  await expect(page.getByTestId('breakdown-permitted-recorded')).toHaveText(/^(\d+|<\d+)$/);
  await expect(page.getByTestId('remaining-budget')).toHaveText(/^\d+$/);
  await expect(page.getByText('How counts are protected')).toBeVisible();

  // The term autocomplete: type, pick with the keyboard, and the term joins the criteria.
  const termBox = page.getByRole('combobox', { name: /Phenotypes and diseases/ });
  await termBox.fill('breast canc');
  await expect(page.getByRole('option', { name: /breast cancer/ })).toBeVisible();
  await termBox.press('ArrowDown');
  await termBox.press('Enter');
  await expect(page.getByRole('checkbox', { name: /breast cancer MONDO:0007254/ })).toBeChecked();
  await expect(page.getByRole('button', { name: 'Count', exact: true })).toBeEnabled();

  // A bad variant is caught before anything is sent.
  await page.getByLabel('Variants').fill('17-abc');
  await expect(page.getByText('is not CHROM-POS-REF-ALT')).toBeVisible();
  await page.getByLabel('Variants').fill('');

  // Disease-specific purposes name their diseases.
  await page.getByLabel('Primary purpose').selectOption('DS');
  await page.getByLabel(/Diseases studied/).fill('MONDO:0007254');
  await expect(
    page.getByRole('region', { name: /Consent breakdown for Disease-specific research/ }),
  ).toBeVisible();

  await expectAccessible(page, testInfo, 'cohorts-result');
  await screenshots(page, testInfo, 'cohorts');
});

test('the cohort builder counts without JavaScript too', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, 'steward@demo.local');
  await page.goto('/cohorts');
  await page.getByLabel('Genes').fill('BRCA2');
  await page.getByLabel(/Phenotypes and diseases/).fill('Tall stature');
  await page.getByRole('button', { name: 'Count', exact: true }).click();
  await expect(page.getByTestId('cohort-display')).toHaveText(/^(\d+|<\d+|0)$/);
  // The typed term became a chosen one.
  await expect(page.getByRole('checkbox', { name: /Tall stature HP:0000098/ })).toBeChecked();
  await expect(page.getByLabel('Genes')).toHaveValue('BRCA2');
  await context.close();
});

test('participants cannot open the cohort builder', async ({ page }) => {
  await signIn(page, 'patient@demo.local');
  await expect(page.getByRole('link', { name: 'Cohorts' })).toHaveCount(0);
  const res = await page.goto('/cohorts');
  expect(res?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Something went wrong');
});

test('a researcher counts across the network and sees each institution, answered or not', async ({
  page,
}, testInfo) => {
  await signIn(page, 'researcher@demo.local');
  await page.goto('/cohorts');
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Genes').fill('BRCA1');
  await expect(page.getByTestId('cohort-display')).toHaveText(/^\d+$/);
  await page.getByRole('button', { name: 'Count across the network' }).click();

  // This institution counts locally; the demo's partner clinics are names on the embedded
  // chain with no server behind them, so they show as "no answer" and the total says so.
  const home = page.locator('[data-testid="network-site"][data-member="demo-hospital"]');
  await expect(home).toHaveAttribute('data-status', 'counted');
  await expect(home).toContainText('(this institution)');
  const partner = page.locator('[data-testid="network-site"][data-member="northside-clinic"]');
  await expect(partner).toHaveAttribute('data-status', 'no_answer');
  await expect(partner).toContainText('No answer');
  await expect(page.getByTestId('network-incomplete')).toBeVisible();
  const homeFigure = (await home.locator('.figure').textContent())?.trim();
  await expect(page.getByTestId('network-total')).toHaveText(homeFigure!);
  await expectAccessible(page, testInfo, 'cohorts-network');

  // What a Beacon cannot express is refused by name, with nothing counted.
  await page.getByLabel('Age from').fill('40');
  await page.getByRole('button', { name: 'Count across the network' }).click();
  await expect(page.getByRole('alert')).toContainText('not by ageMin');
});
