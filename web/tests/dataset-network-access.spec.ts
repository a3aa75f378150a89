import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

test('a steward sets whether other institutions’ visas open a dataset, and it stays set', async ({
  page,
}, testInfo) => {
  await signIn(page, 'steward@demo.local');
  await page.goto('/datasets');
  await page.getByRole('link', { name: 'Population Reference Panel' }).click();
  const section = page.getByRole('region', { name: 'Network access' });
  await expect(section).toBeVisible();
  // The safe default: not shared with the network.
  await expect(section.getByRole('radio', { name: /Not shared with the network/ })).toBeChecked();
  await expectAccessible(page, testInfo, 'dataset-network-access');

  await section.getByRole('radio', { name: /Our DAC must also approve/ }).check();
  await section.getByRole('button', { name: 'Save network access' }).click();
  await expect(section.getByRole('status')).toHaveText('Saved: Our DAC must also approve.');
  await page.reload();
  await expect(
    page
      .getByRole('region', { name: 'Network access' })
      .getByRole('radio', { name: /Our DAC must also approve/ }),
  ).toBeChecked();

  // Back to the default, so the demo stays as seeded.
  const again = page.getByRole('region', { name: 'Network access' });
  await again.getByRole('radio', { name: /Not shared with the network/ }).check();
  await again.getByRole('button', { name: 'Save network access' }).click();
  await expect(again.getByRole('status')).toHaveText('Saved: Not shared with the network.');
});
