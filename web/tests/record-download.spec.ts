import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectAccessible, screenshots } from './helpers';
import { enrolNewParticipant } from './participants';

test('a participant downloads their whole record as a FHIR bundle and a PDF, in English and Spanish', async ({
  page,
}, testInfo) => {
  const pseudonym = await enrolNewParticipant(page, 'Dana Download', `P-DL-${Date.now()}`);
  await page.goto('/record/download');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Download your data');
  await expectAccessible(page, testInfo, 'record-download');
  await screenshots(page, testInfo, 'record-download');

  const [bundleFile] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download FHIR bundle (JSON)' }).click(),
  ]);
  expect(bundleFile.suggestedFilename()).toBe('my-consentome-record.json');
  const bundle = JSON.parse(await readFile((await bundleFile.path())!, 'utf8')) as {
    resourceType: string;
    entry: { resource: { resourceType: string; id?: string } }[];
  };
  expect(bundle.resourceType).toBe('Bundle');
  expect(bundle.entry[0]!.resource).toMatchObject({ resourceType: 'Patient', id: pseudonym });
  expect(bundle.entry.map((e) => e.resource.resourceType)).toContain('Consent');

  const [pdfFile] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download summary (PDF)' }).click(),
  ]);
  const pdf = await readFile((await pdfFile.path())!);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // Both downloads are on the participant's timeline (among their own actions).
  await page.goto('/timeline');
  await expect(page.getByText('You downloaded your whole record')).toHaveCount(2);

  await page.goto('/record/download');
  await page.getByTestId('language-switch').getByRole('button', { name: 'Español' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Descargue sus datos');
  await expect(page.getByRole('link', { name: 'Descargar resumen (PDF)' })).toBeVisible();
  await expectAccessible(page, testInfo, 'record-download-es');
  await page.getByTestId('language-switch').getByRole('button', { name: 'English' }).click();
});
