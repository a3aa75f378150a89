import { expect, test } from '@playwright/test';
import { fillAccessRequest, gql, tokenFor } from './api';
import { expectAccessible, screenshots, signIn, switchUser } from './helpers';

const TITLE = 'Lung function decline over ten years';
const DAY = 86_400_000;

/** An approved study over the panel, through the API: answers its grant's id. */
async function approvedGrant(): Promise<string> {
  const researcher = await tokenFor('researcher@demo.local');
  const { datasets } = await gql<{ datasets: { id: string; name: string }[] }>(
    `{ datasets { id name } }`,
    {},
    researcher,
  );
  const panel = datasets.find((d) => d.name === 'Population Reference Panel')!.id;
  const created = await gql<{ createStudy: { data: { id: string } } }>(
    `mutation($i: CreateStudyInput!) { createStudy(input: $i) { ... on MutationCreateStudySuccess { data { id } } } }`,
    {
      i: {
        title: TITLE,
        laySummary: 'We follow how lung function changes over ten years in the reference panel.',
        purpose: { primary: 'HMB', commercial: false },
        collaborators: [],
        cohortCriteria: { datasets: [panel], sex: 'male' },
        datasetIds: [panel],
      },
    },
    researcher,
  );
  const studyId = created.createStudy.data.id;
  await fillAccessRequest(studyId, researcher);
  await gql(
    `mutation($id: ID!) { submitStudy(id: $id) { __typename } }`,
    { id: studyId },
    researcher,
  );
  for (const email of ['ethics@demo.local', 'ethics2@demo.local'])
    await gql(
      `mutation($v: VoteInput!) { castVote(input: $v) { __typename } }`,
      { v: { studyId, vote: 'APPROVE', rationale: 'Health research within the panel’s terms.' } },
      await tokenFor(email),
    );
  const { study } = await gql<{ study: { grant: { id: string } } }>(
    `query($id: ID!) { study(id: $id) { grant { id } } }`,
    { id: studyId },
    researcher,
  );
  // The committee asks for the first report in 20 days, so it can be sent now.
  await gql(
    `mutation($g: ID!, $d: DateTime!) { setRenewalDate(grantId: $g, dueAt: $d) { __typename } }`,
    { g: study.grant.id, d: new Date(Date.now() + 20 * DAY).toISOString() },
    await tokenFor('ethics@demo.local'),
  );
  return study.grant.id;
}

test('a researcher renews a grant on a progress report, the committee renews it and reads its report, and the researcher closes out', async ({
  page,
}, testInfo) => {
  const grantId = await approvedGrant();

  await signIn(page, 'researcher@demo.local');
  await page.goto(`/grants/${grantId}`);
  await expect(page.getByTestId('renewal-due')).toContainText('20 days left');
  await page.getByRole('link', { name: 'Send the progress report' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Annual renewal report' }),
  ).toBeVisible();
  await expectAccessible(page, testInfo, 'renewal-form');
  await page.waitForLoadState('networkidle');
  await page
    .getByLabel('What was done')
    .fill('We cleaned the spirometry data and ran the first association scan.');
  // A publication of two characters is refused beside its field, and nothing is sent.
  await page.getByLabel('Publications').fill('ab');
  await page.getByRole('button', { name: 'Send the report' }).click();
  await expect(page.locator('#publications-error')).toContainText('At least 3 characters');
  await page.getByLabel('Publications').fill('Doe J et al. Lung function loci. Thorax 2027.');
  await page.getByRole('button', { name: 'Send the report' }).click();
  await expect(page.getByText('Report sent.')).toBeVisible();
  await screenshots(page, testInfo, 'renewal-form');

  await switchUser(page, 'ethics@demo.local');
  await page.goto('/review');
  await page.getByRole('link', { name: 'Grant renewals' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Grant renewals' })).toBeVisible();
  // The demo's own grant is due within the month.
  await expect(
    page.getByTestId('upcoming-renewal').filter({ hasText: 'Asthma and lung function genetics' }),
  ).toContainText('due');
  // A grant whose report is in is listed under the reports, not as coming up.
  await expect(page.getByTestId('upcoming-renewal').filter({ hasText: TITLE })).toHaveCount(0);
  const report = page.getByTestId('renewal-report').filter({ hasText: TITLE });
  await expect(report).toContainText('Thorax 2027');
  await expectAccessible(page, testInfo, 'renewals');
  // Not renewing needs a reason: refused, nothing decided.
  await report.getByRole('button', { name: 'Do not renew' }).click();
  await expect(page.getByRole('alert')).toContainText('Invalid input');
  await expect(page.getByTestId('renewal-report').filter({ hasText: TITLE })).toHaveCount(1);
  await page
    .getByTestId('renewal-report')
    .filter({ hasText: TITLE })
    .getByRole('button', { name: 'Renew for a year' })
    .click();
  await expect(page.getByText('Renewed for a year.')).toBeVisible();
  await expect(page.getByTestId('renewal-report').filter({ hasText: TITLE })).toHaveCount(0);

  await page.goto('/review');
  await page.getByRole('link', { name: 'Committee reports' }).click();
  const panel = page.getByTestId('dac-report').filter({ hasText: 'Population Panel DAC' });
  await expect(panel.getByTestId('report-total')).not.toHaveText('0');
  await expect(panel.getByRole('table', { name: /DUO category/ })).toContainText('HMB');
  await expectAccessible(page, testInfo, 'committee-reports');
  const csv = await page.request.get('/review/reports/report.csv');
  expect(csv.status()).toBe(200);
  const text = await csv.text();
  expect(text.split('\r\n')[0]).toBe('committee,section,key,measure,value');
  expect(text).toContain('Population Panel DAC,duo_category,HMB,approved,');

  await switchUser(page, 'researcher@demo.local');
  await page.goto(`/grants/${grantId}`);
  await expect(page.getByTestId('renewal-row')).toContainText('renewed');
  await page.getByRole('link', { name: 'Attest data destruction' }).click();
  await page.waitForLoadState('networkidle');
  await page
    .getByLabel('How and where')
    .fill('Deleted from the analysis server and both encrypted backups with shred.');
  // Without the attestation box ticked: refused, the grant still active.
  await page.getByRole('button', { name: 'Attest and close out' }).click();
  await expect(page.locator('#attestDestroyed-error')).toContainText('You must attest');
  await expectAccessible(page, testInfo, 'closeout-form');
  await page.getByLabel(/I attest that every copy/).check();
  await page.getByRole('button', { name: 'Attest and close out' }).click();
  await expect(page.getByText('Attested. The grant is closed out')).toBeVisible();
  await page.goto(`/grants/${grantId}`);
  await expect(page.getByTestId('closeout-done')).toContainText(
    'Awaiting the signing official’s countersignature',
  );
  await expect(page.getByText('Closed out', { exact: true }).first()).toBeVisible();
});
