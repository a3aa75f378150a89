import { expect, test } from '@playwright/test';

test('forgot password answers the same whether or not the address has an account', async ({
  page,
}) => {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Forgot your password?');
  const answerFor = async (email: string) => {
    await page.getByLabel('E-mail').fill(email);
    await page.getByRole('button', { name: 'Send me a reset link' }).click();
    const sent = page.getByTestId('reset-sent');
    await expect(sent).toContainText(email);
    return (await sent.textContent())!.replace(email, '<address>');
  };
  const known = await answerFor('researcher@demo.local');
  const unknown = await answerFor(`nobody-${Date.now()}@example.org`);
  expect(unknown).toBe(known);
  expect(known).toContain('works once, for 30 minutes');
});

test('a reset link that is wrong or spent says so and changes nothing', async ({ page }) => {
  await page.goto('/reset-password#token=this-is-not-a-real-token-at-all');
  await page.waitForLoadState('networkidle');
  await page.getByLabel('New password').fill('a long enough passphrase');
  await page.getByLabel('The same password again').fill('a long enough passphrase');
  await page.getByRole('button', { name: 'Set my new password' }).click();
  await expect(page.getByRole('alert')).toContainText('This reset link is not valid');
  await expect(page.getByRole('link', { name: 'Ask for a new one' })).toBeVisible();
});

test('the reset page refuses two different passwords before asking the API', async ({ page }) => {
  await page.goto('/reset-password#token=whatever-token-value-here');
  await page.waitForLoadState('networkidle');
  await page.getByLabel('New password').fill('a long enough passphrase');
  await page.getByLabel('The same password again').fill('another long passphrase');
  await page.getByRole('button', { name: 'Set my new password' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'The two passwords differ. Type the same one twice.',
  );
});
