import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectAccessible, openNav, screenshots, signIn } from './helpers';

test('an ethics board member filters the trail, reads the chart, downloads CSV and verifies integrity', async ({
  page,
}, testInfo) => {
  await signIn(page, 'ethics@demo.local');
  await openNav(page, 'Audit');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit explorer' })).toBeVisible();
  await expect(page.getByTestId('activity-chart')).toBeVisible();
  await expect(page.getByRole('table', { name: /Audit events matching the filter/ })).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expectAccessible(page, testInfo, 'audit');
  await screenshots(page, testInfo, 'audit');

  // Checked before sending: a malformed pseudonym and a reversed range never reach the API.
  await page.getByLabel('Participant pseudonym').fill('not a pseudonym!');
  await page.getByLabel('From (UTC day)').fill('2030-02-01');
  await page.getByLabel('To (UTC day, included)').fill('2030-01-01');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByText('Enter a pseudonym like P-4KQ7M2XW')).toBeVisible();
  await expect(page.getByText('The start must not be after the end.')).toBeVisible();
  await expect(page).toHaveURL(/\/audit$/);
  await expectAccessible(page, testInfo, 'audit-filter-errors');

  // By participant pseudonym: the participant's own events.
  await page.getByLabel('Participant pseudonym').fill('P-DEMO0001');
  await page.getByLabel('From (UTC day)').fill('');
  await page.getByLabel('To (UTC day, included)').fill('');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/pseudonym=P-DEMO0001/);
  const events = page.getByRole('table', { name: /Audit events matching the filter/ });
  await expect(events).toContainText('participant.create');
  for (const cell of await events.locator('tbody tr td:nth-child(6)').allTextContents())
    expect(cell).toBe('P-DEMO0001');

  // By actor (picked from a list by account id; no e-mail goes into the URL) and action group.
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Participant pseudonym').fill('');
  await page
    .getByLabel('Actor', { exact: true })
    .selectOption({ label: 'Prof Ethan Board · Ethics board' });
  await page.getByLabel('Action group', { exact: true }).selectOption('auth');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/actor=[0-9a-f-]{36}/);
  await expect(page).toHaveURL(/group=auth/);
  expect(decodeURIComponent(page.url())).not.toContain('@');
  await expect(events).toContainText('auth.login');
  for (const action of await events.locator('tbody tr td:nth-child(4)').allTextContents())
    expect(action).toMatch(/^auth\./);

  // The chart's text alternative: the same figures as a table.
  await expect(page.getByRole('figure')).toContainText(/\d+ events? from/);
  await page.getByText('Show the figures as a table').click();
  const figures = page.getByRole('table', { name: /per day and action group/ });
  await expect(figures).toBeVisible();
  await expect(figures.getByRole('columnheader', { name: 'auth' })).toBeVisible();

  // The CSV holds the filtered events.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^audit-events-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs
    .readFileSync((await download.path())!, 'utf8')
    .trim()
    .split('\r\n');
  expect(csv[0]).toBe(
    'seq,occurred_at,actor_id,actor_role,action,target_type,target_id,participant_pseudonym,hash',
  );
  expect(csv.length).toBeGreaterThan(1);
  for (const line of csv.slice(1)) expect(line.split(',')[4]).toMatch(/^auth\./);
  await testInfo.attach('audit-export.csv', { body: csv.join('\r\n'), contentType: 'text/csv' });

  await page.getByRole('button', { name: 'Verify integrity' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: /Intact: \d+ events recomputed/ }),
  ).toBeVisible();
  // The filter survived the verification.
  await expect(page).toHaveURL(/group=auth/);
  await expectAccessible(page, testInfo, 'audit-filtered');
  await screenshots(page, testInfo, 'audit-filtered');
});

test('a filter that matches nothing says so; researchers cannot open the explorer', async ({
  page,
}) => {
  await signIn(page, 'admin@demo.local');
  await page.goto('/audit?pseudonym=P-NOBODY01');
  await expect(page.getByText('No events match this filter.')).toBeVisible();
  await expect(page.getByText('No events match this filter in this period.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download CSV' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign out' }).click();

  await signIn(page, 'researcher@demo.local');
  await expect(page.getByRole('link', { name: 'Audit', exact: true })).toHaveCount(0);
  const res = await page.goto('/audit');
  expect(res?.status()).toBe(403);
});
