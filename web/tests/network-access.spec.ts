import { expect, test } from '@playwright/test';
import { expectAccessible, openNav, screenshots, signIn, switchUser } from './helpers';

// A researcher asks for a dataset held at the demo's partner clinic (a member on the embedded
// chain with no server): this institution's committee decides, and the server's attempt to
// reach the holder is shown as what it is (no answer).

const DATASET =
  'https://northside-clinic.example.org/datasets/6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

test('a researcher asks for a dataset held elsewhere, and the designated committee decides', async ({
  page,
}, testInfo) => {
  await signIn(page, 'researcher@demo.local');
  await openNav(page, 'Network access');
  await expect(page.getByRole('heading', { level: 1, name: 'Network access' })).toBeVisible();
  await expect(
    page.getByText('You have not asked for a dataset at another institution.'),
  ).toBeVisible();
  await expect(page.getByRole('status')).toContainText('No committee decides requests');
  await expect(page.getByRole('button', { name: 'Ask' })).toBeDisabled();
  await expectAccessible(page, testInfo, 'network-access-empty');

  // An administrator designates the committee (a board member cannot).
  await switchUser(page, 'admin@demo.local');
  await openNav(page, 'Network requests');
  await expect(page.getByTestId('network-committee')).toHaveText('No committee is designated yet.');
  await expect(page.getByText('No request waits for your committee.')).toBeVisible();
  await page
    .getByLabel('Committee', { exact: true })
    .selectOption({ label: 'Clinical Genomics DAC' });
  await page.getByRole('button', { name: 'Designate' }).click();
  await expect(page.getByTestId('network-committee')).toHaveText(
    'Clinical Genomics DAC decides these requests.',
  );

  // The researcher asks; an address of no member is refused by name and records nothing.
  await switchUser(page, 'researcher@demo.local');
  await page.goto('/network-access');
  await page
    .getByLabel('Dataset address', { exact: true })
    .fill('https://nowhere.example.org/datasets/6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b');
  await page.getByRole('button', { name: 'Ask' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'is not a dataset of any member of the network',
  );
  await expect(page.getByTestId('remote-request')).toHaveCount(0);
  await page.getByLabel('Dataset address', { exact: true }).fill(DATASET);
  await page.getByLabel('Purpose', { exact: true }).selectOption('HMB');
  await page.getByRole('button', { name: 'Ask' }).click();
  await expect(page.getByText('Your request is recorded.')).toBeVisible();
  const mine = page.getByTestId('remote-request');
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText('Waiting for this institution’s committee');
  await expect(mine).toContainText('Not sent yet');
  await expect(mine).toContainText('northside-clinic');
  await expectAccessible(page, testInfo, 'network-access');
  await screenshots(page, testInfo, 'network-access');

  // A member of the committee refuses only with a note, then approves: the holder has no server.
  await switchUser(page, 'ethics@demo.local');
  await openNav(page, 'Network requests');
  await expect(
    page.getByRole('heading', { level: 1, name: 'Network requests to decide' }),
  ).toBeVisible();
  const pending = page.getByTestId('remote-request');
  await expect(pending).toHaveCount(1);
  await expectAccessible(page, testInfo, 'network-requests');
  await screenshots(page, testInfo, 'network-requests');
  await pending.getByRole('button', { name: 'Refuse' }).click();
  await expect(page.getByRole('alert')).toContainText('Say why the request is refused');
  await page
    .getByTestId('remote-request')
    .getByRole('button', { name: 'Approve and send' })
    .click();
  await expect(page.getByRole('status').filter({ hasText: 'Approved.' })).toContainText(
    'could not be reached or refused',
  );
  await expect(page.getByText('No request waits for your committee.')).toBeVisible();
  const decided = page.getByTestId('remote-request');
  await expect(decided).toContainText('Approved here');
  await expect(decided).toContainText('Last attempt: no answer');

  // The researcher sees it approved here and can try the holder again.
  await switchUser(page, 'researcher@demo.local');
  await page.goto('/network-access');
  await expect(page.getByTestId('remote-request')).toContainText('Approved here');
  await page.getByRole('button', { name: 'Send to the holder' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'holding institution' })).toContainText(
    'could not be reached',
  );
});
