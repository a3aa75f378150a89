import { expect, test, type Page } from '@playwright/test';
import { fillAccessRequest, gql, tokenFor } from './api';
import { expectAccessible, openNav, screenshots, signIn } from './helpers';

const TITLE = 'Rare disease families and lung function';

/** One committee on the admin page, by its name (its list item is labelled by its heading). */
const committee = (page: Page, name: string) =>
  page.getByTestId('dac').and(page.getByRole('listitem', { name, exact: true }));

test('an administrator sees the demo committees and sets up a new one', async ({
  page,
}, testInfo) => {
  await signIn(page, 'admin@demo.local');
  await openNav(page, 'Committees');
  await expect(
    page.getByRole('heading', { level: 1, name: 'Data access committees' }),
  ).toBeVisible();
  const clinical = committee(page, 'Clinical Genomics DAC');
  await expect(clinical).toContainText('chaired by Prof Ethan Board');
  await expect(clinical.getByLabel('Rare Disease Exomes')).toBeChecked();
  await expect(clinical.getByLabel(/Population Reference Panel/)).not.toBeChecked();
  await expect(committee(page, 'Population Panel DAC')).toContainText('Dr Nia Reviewer');
  await expect(page.getByTestId('ungoverned')).toHaveCount(0);
  await expectAccessible(page, testInfo, 'admin-committees');
  await screenshots(page, testInfo, 'admin-committees');

  await page.getByLabel('Name', { exact: true }).first().fill('Methods DAC');
  await page.getByRole('button', { name: 'Create the committee' }).click();
  await expect(page.getByText('Methods DAC is set up.')).toBeVisible();
  const methods = committee(page, 'Methods DAC');
  await expect(methods).toContainText('No members yet');
  await methods.getByLabel('Add a board member').selectOption({ label: 'Dr Nia Reviewer' });
  await methods.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByText('The member is added.')).toBeVisible();
  await expect(
    committee(page, 'Methods DAC').getByRole('button', {
      name: 'Remove Dr Nia Reviewer from Methods DAC',
    }),
  ).toBeVisible();
  // When its participants are asked is the committee's own choice (issue #16 item 4).
  await committee(page, 'Methods DAC')
    .getByLabel('Ask participants whose consent says “ask”')
    .selectOption('before_decision');
  // What happens once a vote passes its deadline is the committee's rule too (issue #15).
  await committee(page, 'Methods DAC')
    .getByLabel('After the deadline')
    .selectOption('CHAIR_CLOSES');
  await committee(page, 'Methods DAC').getByRole('button', { name: 'Save the rules' }).click();
  await expect(page.getByText('The voting rules are saved.')).toBeVisible();
  await expect(committee(page, 'Methods DAC')).toContainText(
    'participants asked before the decision',
  );
  await expect(committee(page, 'Methods DAC')).toContainText('the chair may close an overdue vote');
});

test('a board member sees the request under their committee and declares a conflict of interest', async ({
  page,
}, testInfo) => {
  // A request over a dataset of the clinical committee only, sent through the API.
  const researcher = await tokenFor('researcher@demo.local');
  const { datasets } = await gql<{ datasets: { id: string; name: string }[] }>(
    `{ datasets { id name } }`,
    {},
    researcher,
  );
  const id = (name: string) => datasets.find((d) => d.name === name)!.id;
  const created = await gql<{ createStudy: { data: { id: string } } }>(
    `mutation($i: CreateStudyInput!) { createStudy(input: $i) { ... on MutationCreateStudySuccess { data { id } } } }`,
    {
      i: {
        title: TITLE,
        laySummary: 'We look at lung function in families with rare diseases and in the panel.',
        purpose: { primary: 'HMB', commercial: false },
        collaborators: ['Dr Carla Collaborator'],
        cohortCriteria: { datasets: [id('Population Reference Panel')], sex: 'female' },
        datasetIds: [id('Rare Disease Exomes')],
      },
    },
    researcher,
  );
  await fillAccessRequest(created.createStudy.data.id, researcher);
  await gql(
    `mutation($id: ID!) { submitStudy(id: $id) { __typename } }`,
    { id: created.createStudy.data.id },
    researcher,
  );

  await signIn(page, 'ethics2@demo.local');
  await page.goto('/review');
  const committee = page.getByTestId('committee').filter({ hasText: 'Clinical Genomics DAC' });
  const item = committee.getByTestId('queue-item').filter({ hasText: TITLE });
  await expect(item).toContainText('Rare Disease Exomes');
  await expect(
    page
      .getByTestId('committee')
      .filter({ hasText: 'Population Panel DAC' })
      .getByTestId('queue-item')
      .filter({ hasText: TITLE }),
  ).toHaveCount(0);
  await item.getByText('Declare a conflict of interest').click();
  await expectAccessible(page, testInfo, 'review-conflict');
  await item
    .getByLabel('Why you should not decide this request')
    .fill('I treat two of the families.');
  await item.getByRole('button', { name: 'Declare and stand aside' }).click();
  await expect(page.getByText(/Your conflict of interest is recorded/)).toBeVisible();
  await expect(page.getByTestId('queue-item').filter({ hasText: TITLE })).toContainText(
    'You stood aside',
  );
  await expect(
    page
      .getByTestId('queue-item')
      .filter({ hasText: TITLE })
      .getByText('Declare a conflict of interest'),
  ).toHaveCount(0);

  // Standing aside leaves no vote to cast on that committee's request.
  await page
    .getByTestId('queue-item')
    .filter({ hasText: TITLE })
    .getByRole('link', { name: TITLE })
    .click();
  await expect(page.getByTestId('elections')).toContainText('You stood aside');
  await expect(page.getByRole('button', { name: 'Cast vote' })).toHaveCount(0);
});
