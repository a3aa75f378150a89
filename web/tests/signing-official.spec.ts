import { expect, test } from '@playwright/test';
import { expectAccessible, openNav, screenshots, signIn, switchUser } from './helpers';

const WAITING = 'Sleep and asthma in the reference panel';
const REASON = 'Please name the approved cloud in the security plan.';

test('the signing official returns a waiting request with a reason the researcher reads, and manages library cards', async ({
  page,
}, testInfo) => {
  await signIn(page, 'so@demo.local');
  await openNav(page, 'Sign-off');
  await expect(page.getByRole('heading', { level: 1, name: 'Signing official' })).toBeVisible();
  const request = page.getByTestId('waiting-request').filter({ hasText: WAITING });
  await expect(request).toContainText('Dr Rhea Searcher');
  await expect(request).toContainText('Population Panel DAC, version 1');
  await expect(request).toContainText('accepted by the PI');
  // The demo SO accepted both demo committees' agreements (committees other specs create may
  // still wait for them); the demo researcher holds a card.
  for (const dac of ['Population Panel DAC', 'Clinical Genomics DAC']) {
    const agreement = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: new RegExp(`^${dac}, version`) }) });
    await expect(agreement).toContainText('Accepted');
    await expect(agreement.getByRole('button', { name: /^Accept version/ })).toHaveCount(0);
  }
  await expect(
    page.getByTestId('library-card').filter({ hasText: 'Dr Rhea Searcher' }),
  ).toContainText('Valid');
  // The official reads the full request they sign for, and prints it (both audited by the API).
  await request.getByText(/^Read the full request/).click();
  await expect(request.getByRole('heading', { name: 'Full request' })).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    request.getByRole('link', { name: 'Download the request as a PDF' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^access-request-.+\.pdf$/);
  await expectAccessible(page, testInfo, 'signing-official');
  await screenshots(page, testInfo, 'signing-official');
  await page.setViewportSize({ width: 1280, height: 900 });

  // Returning needs a reason: refused without one, and the request still waits.
  await request.getByRole('button', { name: 'Return to researcher' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByTestId('waiting-request').filter({ hasText: WAITING })).toBeVisible();
  await page
    .getByTestId('waiting-request')
    .filter({ hasText: WAITING })
    .getByLabel('Reason (the researcher reads it)')
    .fill(REASON);
  await page
    .getByTestId('waiting-request')
    .filter({ hasText: WAITING })
    .getByRole('button', { name: 'Return to researcher' })
    .click();
  await expect(page.getByText(`“${WAITING}” went back to its researcher.`)).toBeVisible();
  await expect(page.getByText('No request is waiting for you.')).toBeVisible();

  // A card needs every current agreement accepted: those of committees other specs create too.
  const accept = page.getByRole('button', { name: /^Accept version/ });
  for (let left = await accept.count(); left > 0; left -= 1) {
    await accept.first().click();
    await expect(accept).toHaveCount(left - 1);
  }

  // A card revoked, then issued again (the later specs' researcher submits through it).
  await page.getByRole('button', { name: 'Revoke Dr Rhea Searcher’s card' }).click();
  await expect(page.getByText('Dr Rhea Searcher’s library card is revoked.')).toBeVisible();
  await page
    .getByLabel('Researcher')
    .selectOption({ label: 'Dr Rhea Searcher (researcher@demo.local)' });
  await page.getByRole('button', { name: 'Issue a card' }).click();
  await expect(page.getByText('Dr Rhea Searcher has a library card.')).toBeVisible();
  const cards = page.getByTestId('library-card').filter({ hasText: 'Dr Rhea Searcher' });
  await expect(cards.filter({ hasText: /\bValid\b/ })).toHaveCount(1);
  await expect(cards.filter({ hasText: /\bRevoked\b/ })).toHaveCount(1);
  await expectAccessible(page, testInfo, 'signing-official-after');

  // The researcher reads the reason on the study, with the agreements they accepted.
  await switchUser(page, 'researcher@demo.local');
  await page.goto('/studies');
  await page.getByRole('link', { name: WAITING }).click();
  const institution = page.getByRole('region', { name: 'Your institution' });
  await expect(institution).toContainText('Sol Signer returned it to you');
  await expect(institution).toContainText(REASON);
  const agreements = page.getByRole('region', { name: 'Data use agreements' });
  await expect(agreements).toContainText('Population Panel DAC, version 1');
  await expect(agreements).toContainText('Accepted');
  await expectAccessible(page, testInfo, 'study-returned');
});
