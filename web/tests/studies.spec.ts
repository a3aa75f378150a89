import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { expectAccessible, openNav, screenshots, signIn } from './helpers';

// One access request from cohort to export, each step by the person who takes it. The steps
// build on each other, so they run in order on the shared server.
test.describe.configure({ mode: 'serial' });

const TITLE = 'Why some people grow tall';
const LAY_SUMMARY =
  'We want to learn which genes make some people taller than others, using data you already gave.';
const LETTER = Buffer.from('%PDF-1.4\n% Demo ethics approval letter for the tall stature study\n');
let studyPath = '';

test('a researcher builds a cohort, creates a study from it and submits it', async ({
  page,
}, testInfo) => {
  await signIn(page, 'researcher@demo.local');
  await openNav(page, 'Studies');
  await expect(page.getByRole('heading', { level: 1, name: 'Your studies' })).toBeVisible();
  // The demo starts in motion: an approved study and one under review are already there.
  await expect(page.getByText('Asthma and lung function genetics')).toBeVisible();
  await expectAccessible(page, testInfo, 'studies-seeded');

  // The cohort: everyone in the reference panel with tall stature (the demo patient is one).
  await openNav(page, 'Cohorts');
  await page.waitForLoadState('networkidle');
  await page.getByRole('checkbox', { name: 'Population Reference Panel' }).check();
  const termBox = page.getByRole('combobox', { name: /Phenotypes and diseases/ });
  await termBox.fill('tall stat');
  await expect(page.getByRole('option', { name: /Tall stature/ })).toBeVisible();
  await termBox.press('ArrowDown');
  await termBox.press('Enter');
  await expect(page.getByRole('checkbox', { name: /Tall stature HP:0000098/ })).toBeChecked();
  await expect(page.getByTestId('cohort-display')).toHaveText(/^(\d+|<\d+)$/);
  await page.getByRole('button', { name: 'Use this cohort in a new study' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'New study' })).toBeVisible();
  await expect(page.getByTestId('carried-cohort')).toContainText('Tall stature (HP:0000098)');
  await expect(page.getByRole('checkbox', { name: 'Population Reference Panel' })).toBeChecked();
  await expectAccessible(page, testInfo, 'study-new');
  await page.waitForLoadState('networkidle');

  // Checked before sending: nothing is created from an empty form.
  await page.getByRole('button', { name: 'Create draft' }).click();
  await expect(page.getByText('Give the study a title of at least 3 characters.')).toBeVisible();
  await expect(page.getByLabel('Title')).toBeFocused();
  await page.getByLabel('Summary for participants').fill('Too short.');
  await page.getByRole('button', { name: 'Create draft' }).click();
  await expect(page.getByText(/Write at least 20 characters/)).toBeVisible();

  await page.getByLabel('Title').fill(TITLE);
  await page.getByLabel('Summary for participants').fill(LAY_SUMMARY);
  await expect(page.getByLabel('Primary purpose')).toHaveValue('GRU');
  await page
    .getByLabel('People and institutions you share the data with')
    .fill('Dr Ada Lee, City Hospital');
  await page.getByLabel(/approval letter/).setInputFiles({
    name: 'irb-letter.pdf',
    mimeType: 'application/pdf',
    buffer: LETTER,
  });
  await page.getByRole('button', { name: 'Create draft' }).click();

  await expect(page.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
  studyPath = new URL(page.url()).pathname;
  await expect(page.getByText('Draft created.')).toBeVisible();
  await expect(page.getByTestId('irb-sha')).toHaveText(
    createHash('sha256').update(LETTER).digest('hex'),
  );
  // A preview of the DUO match before anything is frozen.
  await expect(page.getByTestId('dataset-match')).toContainText('DUO: fits');
  await expect(page.getByText('No cohort chosen')).toHaveCount(0);
  await expectAccessible(page, testInfo, 'study-draft');

  // Submitting before the full request is filled in is refused, naming the first section.
  await page.waitForLoadState('networkidle');
  await page.getByText('Submit to the ethics board').click();
  await page.getByRole('button', { name: 'Yes, submit' }).click();
  await expect(page.getByRole('alert')).toContainText('“Research statement” is not filled in');

  // The full request, section by section, with its progress.
  await page.getByRole('link', { name: 'Fill in the full request' }).click();
  await expect(page.getByText('0 of 8 sections complete')).toBeVisible();
  const section = (name: string) => page.getByRole('region', { name });
  const research = section('Research statement');
  await research.getByLabel('Technical research statement').fill('Too short.');
  await research.getByRole('button', { name: 'Save Research statement' }).click();
  await expect(
    section('Research statement').getByText('Needs at least 100 characters.'),
  ).toBeVisible();
  await expect(page.getByLabel('Technical research statement')).toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await expectAccessible(page, testInfo, 'request-field-error');
  await page
    .getByLabel('Technical research statement')
    .fill(
      'A genome-wide association study of everyday health, adjusted for ancestry, with replication in an independent cohort before any publication.',
    );
  await page.getByRole('button', { name: 'Save Research statement' }).click();
  await expect(page.getByText('1 of 8 sections complete')).toBeVisible();
  const pi = section('Principal investigator');
  await pi.getByLabel('Principal investigator').fill('Dana Researcher');
  await pi.getByLabel('PI e-mail').fill('researcher@demo.local');
  await pi.getByLabel('Institution').fill('Demo University');
  await pi.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('2 of 8 sections complete')).toBeVisible();
  await section('Collaborators')
    .getByLabel('Collaborators')
    .fill('Ada Lee; ada@city-hospital.example; City Hospital');
  await section('Collaborators').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('3 of 8 sections complete')).toBeVisible();
  await section('Lab staff').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('4 of 8 sections complete')).toBeVisible();
  await section('IT and data security').getByLabel('Approved cloud').selectOption('terra');
  await section('IT and data security').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('5 of 8 sections complete')).toBeVisible();
  await section('Publication').getByLabel('Publication plan').fill('Aggregate results only.');
  await section('Publication').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('6 of 8 sections complete')).toBeVisible();
  await section('Funding').getByLabel('Funding source').fill('Demo Research Council');
  await section('Funding').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('7 of 8 sections complete')).toBeVisible();
  const irb = section('IRB approval');
  await irb.getByLabel('IRB protocol number').fill('IRB-2026-7');
  await irb.getByLabel('Approval expires on').fill('2020-01-31');
  await irb.getByRole('button', { name: 'Save' }).click();
  await expect(
    section('IRB approval').getByText('Is in the past: renew the approval first.'),
  ).toBeVisible();
  await section('IRB approval')
    .getByLabel('Approval expires on')
    .fill(`${new Date().getFullYear() + 1}-06-30`);
  await section('IRB approval').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('8 of 8 sections complete')).toBeVisible();
  // Documents: a file that is not a PDF is refused; the letter is stored with its SHA-256 shown.
  const documents = section('Documents');
  await documents.getByLabel('PDF to upload').setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('not a pdf'),
  });
  await documents.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(section('Documents').getByRole('alert')).toContainText('The document must be a PDF');
  await section('Documents').getByLabel('PDF to upload').setInputFiles({
    name: 'irb-letter.pdf',
    mimeType: 'application/pdf',
    buffer: LETTER,
  });
  await section('Documents').getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(page.getByText('Uploaded and stored encrypted.')).toBeVisible();
  const sha = createHash('sha256').update(LETTER).digest('hex');
  await expect(page.getByTestId('document-sha')).toHaveText(sha);
  const href = await page.getByRole('link', { name: 'irb-letter.pdf' }).getAttribute('href');
  const letter = await page.request.get(href!);
  expect(letter.headers()['x-content-sha256']).toBe(sha);
  expect((await letter.body()).equals(LETTER)).toBe(true);
  await expectAccessible(page, testInfo, 'request-complete');
  const pdf = await page.request.get(`${studyPath}/request.pdf`);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await page.goto(studyPath);

  await page.waitForLoadState('networkidle');
  await page.getByText('Submit to the ethics board').click();
  await page.getByRole('button', { name: 'Yes, submit' }).click();
  await expect(page.getByText(/^Submitted\. The ethics board has been told/)).toBeVisible();
  await expect(page.getByRole('list', { name: 'Study progress' })).toContainText('Submitted');
  const chart = page.getByRole('region', { name: /Consent breakdown for General research/ });
  await expect(chart.getByText('Must be asked', { exact: true })).toBeVisible();
  await expect(page.getByTestId('requests-pending')).toHaveText(/^[1-9]\d*$/);
  // How the people asked answer, as counts and rates: nobody has answered yet.
  const responses = page.getByRole('region', { name: 'Answers to the consent requests' });
  await expect(responses.getByTestId('responses-asked')).toHaveText(/^[1-9]\d*$/);
  await expect(responses.getByTestId('responses-yes')).toHaveText('0 (0%)');
  await expect(responses.getByTestId('responses-waiting')).toHaveText(/^[1-9]\d* \(100%\)$/);
  await expect(responses.getByTestId('responses-rate')).toHaveText('0%');
  await expect(responses.getByTestId('responses-reminders')).toHaveText('0');
  await expectAccessible(page, testInfo, 'study-submitted');
  await screenshots(page, testInfo, 'study');

  await openNav(page, 'Studies');
  const row = page.getByTestId('study-row').filter({ hasText: TITLE });
  await expect(row).toContainText('Submitted');
  await expectAccessible(page, testInfo, 'studies');
  await screenshots(page, testInfo, 'studies');
});

test('the demo patient reads the request in plain words and says yes', async ({
  page,
}, testInfo) => {
  await signIn(page, 'patient@demo.local');
  await expect(page.getByTestId('unread-badge')).toBeVisible();
  await openNav(page, 'Study requests');
  await expect(page.getByRole('heading', { level: 1, name: 'Study requests' })).toBeVisible();
  const request = page.getByTestId('consent-request').filter({ hasText: TITLE });
  await expect(request).toContainText(LAY_SUMMARY);
  await expect(request).toContainText('General research');
  await expect(request).toContainText('Waiting for your answer');
  await expectAccessible(page, testInfo, 'inbox');
  await screenshots(page, testInfo, 'inbox');

  await page.waitForLoadState('networkidle');
  await request.getByText('Yes, you may use my data').click();
  await request.getByRole('button', { name: 'Confirm: yes' }).click();
  await expect(page.getByText('Thank you. The study may use your data.')).toBeVisible();
  await expect(request).toContainText('You said yes');
  // The answer can change while the study runs.
  await expect(request.getByText('Change to no')).toBeVisible();

  await openNav(page, 'Data use');
  const entry = page.getByTestId('data-use-entry').filter({ hasText: TITLE });
  await expect(entry).toContainText('You allowed it');
  await expect(entry).toContainText('Not decided yet.');
  await expectAccessible(page, testInfo, 'data-use-asked');

  await openNav(page, /Notifications/);
  await expect(
    // Newest first: this study's request, above the one the demo seeded.
    page.getByTestId('notification').filter({ hasText: 'A study asks to use your data' }).first(),
  ).toBeVisible();
  await expectAccessible(page, testInfo, 'notifications');
  await screenshots(page, testInfo, 'notifications');
  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(page.getByTestId('unread-summary')).toHaveText('Nothing unread.');
  await expect(page.getByTestId('unread-badge')).toHaveCount(0);
});

test('a board member reviews the queue and votes with a rationale and conditions', async ({
  page,
}, testInfo) => {
  await signIn(page, 'ethics@demo.local');
  await expect(page.getByTestId('unread-badge')).toBeVisible();
  await openNav(page, 'Review queue');
  const item = page.getByTestId('queue-item').filter({ hasText: TITLE });
  await expect(item).toContainText('DUO: fits');
  await expect(item.getByTestId('time-in-queue')).toHaveText(/just now|\d+ minutes/);
  await expectAccessible(page, testInfo, 'review-queue');
  await screenshots(page, testInfo, 'review-queue');

  await item.getByRole('link', { name: TITLE }).click();
  await expect(page.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
  await expect(page.getByTestId('quorum')).toHaveText('0 of 2 approvals needed.');
  await expect(page.getByTestId('irb-sha')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.getByText('Dr Ada Lee, City Hospital')).toBeVisible();
  // Exact figures for the board.
  await expect(page.getByText('Exact figures (ethics board view).')).toBeVisible();
  // The board sees the answers too: the demo patient said yes, the others have not answered.
  const responses = page.getByRole('region', { name: 'Answers to the consent requests' });
  const asked = Number(await responses.getByTestId('responses-asked').textContent());
  await expect(responses.getByTestId('responses-yes')).toHaveText(
    `1 (${Math.round(100 / asked)}%)`,
  );
  await expect(responses.getByTestId('responses-no')).toHaveText('0 (0%)');
  await expect(responses.getByTestId('responses-rate')).toHaveText(`${Math.round(100 / asked)}%`);
  // Only a dataset whose data use denies the purpose asks for an override reason.
  await expect(page.getByLabel(/Override reason/)).toHaveCount(0);
  await expectAccessible(page, testInfo, 'review-study');
  await page.waitForLoadState('networkidle');

  // A rejection without a real reason is caught before sending.
  await page.getByLabel('Reject', { exact: true }).check();
  await page.getByLabel('Rationale').fill('No.');
  await page.getByRole('button', { name: 'Cast vote' }).click();
  await expect(
    page.getByText('A rejection needs a reason of at least 10 characters.'),
  ).toBeVisible();
  await expect(page.getByLabel('Rationale')).toBeFocused();

  await page.getByLabel('Approve', { exact: true }).check();
  await page.getByLabel('Rationale').fill('Low risk; participants are asked first.');
  await page.getByLabel('Condition 1', { exact: true }).fill('Publish results openly');
  await page.getByRole('button', { name: 'Add a condition' }).click();
  await expect(page.getByLabel('Condition 2', { exact: true })).toBeFocused();
  await page.getByLabel('Condition 2', { exact: true }).fill('A condition to drop');
  await page.getByRole('button', { name: 'Add a condition' }).click();
  await page.getByLabel('Condition 3', { exact: true }).fill('Share the analysis code');
  await page.getByRole('button', { name: 'Remove condition 2' }).click();
  await expect(page.getByLabel('Condition 2', { exact: true })).toHaveValue(
    'Share the analysis code',
  );
  await expectAccessible(page, testInfo, 'review-vote-form');
  await page.getByRole('button', { name: 'Cast vote' }).click();
  await expect(page.getByText(/Your vote is recorded\. The study waits/)).toBeVisible();
  const mine = page.getByTestId('vote').filter({ hasText: '(you)' });
  await expect(mine).toContainText('Share the analysis code');
  await expect(mine).not.toContainText('A condition to drop');
  await expect(page.getByTestId('quorum')).toHaveText('1 of 2 approvals needed.');
  await expect(page.getByRole('button', { name: 'Cast vote' })).toHaveCount(0);
  await screenshots(page, testInfo, 'review');
});

test('the second board member approves and the quorum issues the grant', async ({
  page,
}, testInfo) => {
  await signIn(page, 'ethics2@demo.local');
  await openNav(page, 'Review queue');
  await page.getByTestId('queue-item').filter({ hasText: TITLE }).getByRole('link').click();
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Approve', { exact: true }).check();
  await page.getByLabel('Rationale').fill('Agree: the purpose fits the panel’s data use.');
  await page.getByRole('button', { name: 'Cast vote' }).click();
  await expect(page.getByText(/The quorum is reached: the study is approved/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Grant', exact: true })).toBeVisible();
  await expect(page.getByText('Revoke the grant')).toBeVisible();
  await expectAccessible(page, testInfo, 'review-approved');
});

test('the researcher opens the grant, sees the visa, exports and downloads the VCF', async ({
  page,
}, testInfo) => {
  await signIn(page, 'researcher@demo.local');
  await page.goto(studyPath);
  await expect(page.getByRole('list', { name: 'Study progress' })).toContainText('Approved');
  await page.getByRole('link', { name: 'Open the grant' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Grant for/ })).toBeVisible();
  await expect(page.getByTestId('board-conditions')).toContainText('Publish results openly');
  await expect(page.getByTestId('board-conditions')).toContainText('Share the analysis code');

  const visa = page.getByTestId('visa');
  await expect(visa).toHaveCount(1);
  await expect(visa.getByLabel('Signed visa (JWT)')).toHaveValue(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  await visa.getByText('Decoded header and claims').click();
  await expect(visa.getByTestId('visa-claims')).toContainText('ControlledAccessGrants');
  await expect(page.getByRole('link', { name: /jwks\.json$/ })).toBeVisible();
  await expect(page.getByText('No exports yet.')).toBeVisible();

  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'Create export' }).click();
  await expect(page.getByText(/^Export ready: \d+ participants? whose consent/)).toBeVisible();
  const row = page.getByTestId('export-row');
  await expect(row).toHaveCount(1);
  await expectAccessible(page, testInfo, 'grant');
  await screenshots(page, testInfo, 'grant');

  // The row shows the file's size and SHA-256; the VCF is BGZF with a tabix index beside it.
  await expect(row).toContainText(/\d+(\.\d)? (B|KiB|MiB)/);
  const sha256 = (await row.locator('td.mono').textContent())!.trim();
  expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('link', { name: 'VCF' }).click(),
  ]);
  const bytes = fs.readFileSync((await download.path())!);
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
  expect(gunzipSync(bytes).toString('utf8').startsWith('##fileformat=VCFv4.3')).toBe(true);
  expect(download.suggestedFilename()).toMatch(/\.vcf\.gz$/);
  const [index] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('link', { name: 'Index (.tbi)' }).click(),
  ]);
  expect(index.suggestedFilename()).toMatch(/\.vcf\.gz\.tbi$/);

  // A byte range goes through the portal to the API and back (resumed downloads, tabix).
  const href = (await row.getByRole('link', { name: 'VCF' }).getAttribute('href'))!;
  const part = await page.request.get(href, { headers: { range: 'bytes=0-99' } });
  expect(part.status()).toBe(206);
  expect(part.headers()['content-range']).toBe(`bytes 0-99/${bytes.length}`);
  expect(Buffer.from(await part.body()).equals(bytes.subarray(0, 100))).toBe(true);
  const past = await page.request.get(href, { headers: { range: `bytes=${bytes.length}-` } });
  expect(past.status()).toBe(416);
});

test('the patient sees the study and the export in their data use, verified on chain', async ({
  page,
}, testInfo) => {
  await signIn(page, 'patient@demo.local');
  await openNav(page, 'Data use');
  const entry = page.getByTestId('data-use-entry').filter({ hasText: TITLE });
  await expect(entry).toContainText('Approved');
  await expect(entry).toContainText('Low risk; participants are asked first.');
  await expect(entry.getByText(/your data carried the code/)).toBeVisible();
  await expect(entry).toContainText('Your data was included in a study’s export');
  // The relay anchors new events every few seconds.
  await expect(async () => {
    await page.reload();
    await expect(entry.getByText('Waiting to be anchored')).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const proof = entry.getByTestId('proof').last();
  await proof.getByText('Verified on chain').click();
  await expect(proof.getByTestId('proof-ok')).toBeVisible();
  await expectAccessible(page, testInfo, 'data-use');
  await screenshots(page, testInfo, 'data-use');
});

test('participants cannot open the researchers’ and the board’s pages', async ({ page }) => {
  await signIn(page, 'patient@demo.local');
  expect((await page.goto('/studies'))?.status()).toBe(403);
  expect((await page.goto('/review'))?.status()).toBe(403);
});

test('researchers cannot open the board’s or participants’ pages', async ({ page }) => {
  await signIn(page, 'researcher@demo.local');
  expect((await page.goto('/inbox'))?.status()).toBe(403);
  expect((await page.goto('/review'))?.status()).toBe(403);
  expect((await page.goto('/studies/00000000-0000-0000-0000-000000000000'))?.status()).toBe(404);
  // Export downloads go through the portal only with a session.
  await page.context().clearCookies();
  const res = await page.request.get('/exports/00000000-0000-0000-0000-000000000000/vcf', {
    maxRedirects: 0,
  });
  expect(res.status()).toBe(303);
});
