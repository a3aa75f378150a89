import { expect, test } from '@playwright/test';
import { expectAccessible, screenshots, signIn } from './helpers';

/** The demo's study that waits for its second vote. */
const UNDER_REVIEW = 'Everyday health in the reference panel';

test('a board member opens a review and sees how the cohort’s consent breaks down', async ({
  page,
}, testInfo) => {
  await signIn(page, 'ethics@demo.local');
  await page.goto('/review');
  await expect(page.getByTestId('data-use-reviews')).toBeVisible();
  await page
    .getByTestId('queue-item')
    .filter({ hasText: UNDER_REVIEW })
    .getByRole('link', { name: UNDER_REVIEW })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: UNDER_REVIEW })).toBeVisible();

  const outlook = page.getByTestId('consent-outlook');
  await expect(
    outlook.getByRole('heading', { name: 'Consent of the requested cohort' }),
  ).toBeVisible();
  // The chart (the portal's breakdown chart) with exact counts, and the tables.
  await expect(
    outlook.getByRole('heading', { name: /^Standing consent of the \d+ requested members$/ }),
  ).toBeVisible();
  for (const key of ['permitted', 'ask', 'excluded'])
    await expect(outlook.getByTestId(`outlook-breakdown-${key}`)).toHaveText(/^\d+$/);
  const conditions = outlook.getByTestId('outlook-conditions');
  await expect(conditions.getByRole('rowheader', { name: /^As requested/ })).toBeVisible();
  await expect(
    conditions.getByRole('rowheader', { name: /^Only participants who already permit it/ }),
  ).toBeVisible();
  await expect(outlook.getByText('No participant is named.', { exact: false })).toBeVisible();
  // The per-modifier findings of the frozen match sit beside it.
  await expect(page.getByTestId('modifier-check').first()).toBeVisible();
  await expectAccessible(page, testInfo, 'review-consent-outlook');
  await screenshots(page, testInfo, 'review-consent-outlook');
});

test('a steward sets a time limit (TS) and a moratorium (MOR) and is told what is wrong first', async ({
  page,
}, testInfo) => {
  await signIn(page, 'steward@demo.local');
  await page.goto('/datasets/new');
  const name = `Time-limited panel ${Date.now()}`;
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Permitted use (DUO permission)').selectOption('HMB');

  // A value without its modifier, and a time limit of zero months.
  await page.getByLabel('Time limit in months (TS)').fill('0');
  await page.getByRole('button', { name: 'Register dataset' }).click();
  await expect(page.getByText('Tick TS to set this value, or clear the field.')).toBeVisible();

  await page.getByRole('checkbox', { name: /^TS · / }).check();
  await page.getByRole('button', { name: 'Register dataset' }).click();
  await expect(page.getByText('Enter a whole number of months, at least 1.')).toBeVisible();
  await expect(page.getByLabel('Time limit in months (TS)')).toHaveAttribute(
    'aria-invalid',
    'true',
  );

  // A moratorium that has already ended.
  await page.getByRole('checkbox', { name: /^MOR · / }).check();
  await page.getByLabel('No publication before (MOR)').fill('2020-01-01');
  await page.getByLabel('Time limit in months (TS)').fill('12');
  await page.getByRole('button', { name: 'Register dataset' }).click();
  await expect(page.getByText('The moratorium must end after today.')).toBeVisible();
  await expectAccessible(page, testInfo, 'dataset-values-errors');
  await screenshots(page, testInfo, 'dataset-values-errors');

  const later = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('No publication before (MOR)').fill(later);
  await page.getByRole('button', { name: 'Register dataset' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByTestId('value-TS')).toHaveText('Value: 12 months.');
  await expect(page.getByTestId('value-MOR')).toHaveText(`Value: until ${later}.`);
});
