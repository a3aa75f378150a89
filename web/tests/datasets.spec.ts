import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { gql, tokenFor } from './api';
import { expectAccessible, openNav, screenshots, signIn } from './helpers';

test('a steward registers a dataset with DUO terms, after fixing field errors', async ({
  page,
}, testInfo) => {
  await signIn(page, 'steward@demo.local');
  await openNav(page, 'Datasets');
  await expect(page.getByRole('heading', { level: 1, name: 'Datasets' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Population Reference Panel' })).toBeVisible();
  await expect(page.getByText('GRU · general research use').first()).toBeVisible();
  await expectAccessible(page, testInfo, 'datasets');
  await screenshots(page, testInfo, 'datasets');

  await page.getByRole('link', { name: 'Register a dataset' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Register a dataset' })).toBeVisible();
  // Modifiers come with their plain explanations.
  await expect(page.getByText('The researcher needs ethics approval.')).toBeVisible();
  await expectAccessible(page, testInfo, 'dataset-new');

  // A bad submission: too short a name, DS without a disease.
  await page.getByLabel('Name', { exact: true }).fill('X');
  await page.getByLabel('Permitted use (DUO permission)').selectOption('DS');
  await page.getByRole('button', { name: 'Register dataset' }).click();
  await expect(page.getByText('Enter a name of at least 3 characters.')).toBeVisible();
  await expect(page.getByText('Disease-specific use needs at least one disease.')).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page, testInfo, 'dataset-new-errors');
  await screenshots(page, testInfo, 'dataset-new-errors');

  const name = `Breast Cancer Cohort ${Date.now()}`;
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Description').fill('Germline panels of a breast cancer clinic.');
  await page.getByLabel(/^Diseases/).fill('MONDO:0007254');
  await page.getByRole('checkbox', { name: /IRB · ethics approval required/ }).check();
  await page.getByRole('checkbox', { name: /NCU · non-commercial use only/ }).check();
  await page.getByRole('button', { name: 'Register dataset' }).click();

  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText('The dataset is registered.')).toBeVisible();
  const terms = page.getByRole('list', { name: `Data-use terms of ${name}` });
  for (const code of ['DS', 'IRB', 'NCU']) await expect(terms).toContainText(code);
  await expect(page.getByText('Diseases: MONDO:0007254')).toBeVisible();
  await expect(page.getByText('No files have been ingested yet.')).toBeVisible();
});

test('the server refuses a bad registration without JavaScript too', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, 'steward@demo.local');
  await page.goto('/datasets/new');
  await page.getByLabel('Name', { exact: true }).fill('Ancestry panel');
  await page.getByLabel('Permitted use (DUO permission)').selectOption('GRU');
  await page.getByLabel(/^Diseases/).fill('MONDO:0007254');
  await page.getByRole('button', { name: 'Register dataset' }).click();
  await expect(page.getByText('Diseases apply only to disease-specific (DS) use.')).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Ancestry panel');
  await context.close();
});

test('a steward uploads a VCF with a sample map and follows it to the report', async ({
  page,
}, testInfo) => {
  // A dataset of its own, so the upload cannot clash with the demo panel's calls.
  const token = await tokenFor('steward@demo.local');
  const name = `Upload test ${Date.now()}`;
  const { registerDataset } = await gql<{ registerDataset: { data: { id: string } } }>(
    `mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) {
      ... on MutationRegisterDatasetSuccess { data { id } } } }`,
    { input: { name, dataUse: { permission: 'GRU', modifiers: [] } } },
    token,
  );
  const id = registerDataset.data.id;

  // Sample ids S1–S3 map to participants of the demo panel (synthetic pseudonyms).
  const dir = testInfo.outputPath('upload');
  fs.mkdirSync(dir, { recursive: true });
  const vcf = path.join(dir, 'tiny.vcf');
  const map = path.join(dir, 'samples.tsv');
  fs.writeFileSync(
    vcf,
    [
      '##fileformat=VCFv4.2',
      `##source=consentome-e2e-${Date.now()}`,
      '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
      [
        '#CHROM',
        'POS',
        'ID',
        'REF',
        'ALT',
        'QUAL',
        'FILTER',
        'INFO',
        'FORMAT',
        'S1',
        'S2',
        'S3',
      ].join('\t'),
      ['17', '7674220', '.', 'C', 'T', '.', 'PASS', '.', 'GT', '0/1', '1/1', '0/0'].join('\t'),
      ['17', '43045700', '.', 'G', 'A', '.', 'PASS', '.', 'GT', '0/0', '0/1', '0/1'].join('\t'),
      // No ALT allele: skipped, and reported with its line.
      ['13', '32340300', '.', 'A', '.', '.', 'PASS', '.', 'GT', '0/0', '0/0', '0/0'].join('\t'),
      '',
    ].join('\n'),
  );
  fs.writeFileSync(map, 'sample\tparticipant\nS1\tP-SYN000001\nS2\tP-SYN000002\nS3\tP-SYN000003\n');

  await signIn(page, 'steward@demo.local');
  await page.goto('/datasets');
  await page.getByRole('link', { name }).click();
  await expect(page).toHaveURL(`/datasets/${id}`);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expectAccessible(page, testInfo, 'dataset-detail');

  // Nothing chosen: the form says so.
  await page.getByRole('button', { name: 'Upload and ingest' }).click();
  await expect(page.getByText('Choose a file to upload.')).toBeVisible();

  await page.getByLabel('Kind of file').selectOption('VCF');
  await page.getByLabel('File', { exact: true }).setInputFiles(vcf);
  await page.getByLabel('Sample map (optional)').setInputFiles(map);
  await page.getByRole('button', { name: 'Upload and ingest' }).click();

  const progress = page.getByRole('progressbar', { name: 'Progress' });
  await expect(progress).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Completed.' })).toBeVisible();
  await expect(progress).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByText(/^100% · 3 records/)).toBeVisible();

  await expect(page.getByRole('heading', { name: 'Ingest report' })).toBeVisible();
  await expect(page.getByTestId('report-records').first()).toHaveText('3');
  await expect(page.getByTestId('report-variants').first()).toHaveText('2');
  await expect(page.getByTestId('report-calls').first()).toHaveText('4');
  await expect(page.getByTestId('report-samples').first()).toHaveText('3');
  const skipped = page.getByRole('table', { name: 'Skipped records' }).first();
  await expect(skipped.getByRole('row', { name: 'no-alt 1 7' })).toBeVisible();
  // The finished ingest is in the history.
  await expect(
    page.getByRole('table', { name: 'Completed ingests, newest first' }).getByText('tiny.vcf'),
  ).toBeVisible();
  await expectAccessible(page, testInfo, 'dataset-ingested');
  await screenshots(page, testInfo, 'dataset-ingested');

  // A broken file fails with its line number, and nothing is stored.
  const bad = path.join(dir, 'broken.vcf');
  fs.writeFileSync(
    bad,
    '##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tP-SYN000004\n17\tabc\t.\tC\tT\t.\tPASS\t.\tGT\t0/1\n',
  );
  await page.getByLabel('File', { exact: true }).setInputFiles(bad);
  await page.getByRole('button', { name: 'Upload and ingest' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Failed.' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('VALIDATION at line 3');
  await expect(page.getByRole('alert')).toContainText('POS "abc" is not a positive integer');
});

test('a steward creates a participant and an enrolment code, shown once', async ({
  page,
}, testInfo) => {
  await signIn(page, 'steward@demo.local');
  await openNav(page, 'Participants');
  await expect(page.getByRole('heading', { level: 1, name: 'Participants' })).toBeVisible();
  await expect(page.getByText(/records · page 1 of \d+/)).toBeVisible();
  await expectAccessible(page, testInfo, 'participants');

  await page.getByRole('button', { name: 'Register participant' }).click();
  await expect(page.getByText('Choose the recorded sex.')).toBeVisible();

  const pseudonym = `P-E2E-${Date.now()}`;
  await page.getByLabel('Sex').selectOption('female');
  await page.getByLabel('Birth year (optional)').fill('1980');
  await page.getByLabel('Pseudonym (optional)').fill(pseudonym);
  await page.getByRole('button', { name: 'Register participant' }).click();
  await expect(page.getByText(`Registered participant ${pseudonym}.`)).toBeVisible();

  const first = page.getByRole('button', { name: /Create enrolment code for/ }).first();
  await first.click();
  await expect(page.getByTestId('enrolment-code')).toHaveText(/^[0-9A-Z]{4}(-?[0-9A-Z]{4}){3}$/);
  await expect(page.getByText('This code is shown only once.')).toBeVisible();
  expect(page.url()).not.toMatch(/code=|[0-9A-Z]{4}-[0-9A-Z]{4}/);
  await expectAccessible(page, testInfo, 'participants-code');
  await screenshots(page, testInfo, 'participants');
});
