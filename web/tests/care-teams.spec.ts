import { expect, test } from '@playwright/test';
import { createAccount, gql, tokenFor } from './api';
import { expectAccessible, mainNavLink, openNav, screenshots, signIn } from './helpers';

const INSTITUTION = 'Riverside Care Teams Clinic';
const TEAM = 'Cardiology Ward';

interface Team {
  name: string;
  institution: string;
  members: { name: string; email: string | null }[];
}
const teams = async (token: string) =>
  (
    await gql<{ careTeams: Team[] }>(
      `{ careTeams { name institution members { name email } } }`,
      {},
      token,
    )
  ).careTeams;

test('an administrator sets up a care team at an institution and adds and removes a clinician of it (axe)', async ({
  page,
}, testInfo) => {
  // A clinician of an institution of their own, so the demo team (which record.spec uses) stays.
  const admin = await tokenFor('admin@demo.local');
  const email = `ward-${Date.now()}@demo.local`;
  await createAccount(admin, {
    email,
    displayName: 'Dr Ada Ward',
    role: 'clinician',
    institution: INSTITUTION,
  });

  await signIn(page, 'admin@demo.local');
  await openNav(page, 'Care teams');
  await expect(page.getByRole('heading', { level: 1, name: 'Care teams' })).toBeVisible();
  // The demo team with its member.
  const demo = page.getByRole('listitem', { name: 'Clinical Genetics Team', exact: true });
  await expect(demo).toContainText('Demo Hospital');
  await expect(demo).toContainText('Dr Clara Clinician · clinician@demo.local');
  await expectAccessible(page, testInfo, 'admin-care-teams');

  // A name the institution already uses: refused, nothing set up, what was typed kept.
  const before = (await teams(admin)).length;
  await page.getByLabel('Name').fill('Clinical Genetics Team');
  await page.getByLabel('Institution').fill('Demo Hospital');
  await page.getByRole('button', { name: 'Set up the team' }).click();
  await expect(page.getByRole('alert')).toContainText('already has a care team of that name');
  await expect(page.getByLabel('Name')).toHaveValue('Clinical Genetics Team');
  expect((await teams(admin)).length).toBe(before);

  await page.getByLabel('Name').fill(TEAM);
  await page.getByLabel('Institution').fill(INSTITUTION);
  await page.getByRole('button', { name: 'Set up the team' }).click();
  await expect(page.getByRole('status').first()).toContainText(
    `${TEAM} is set up at ${INSTITUTION}.`,
  );
  const ours = page.getByRole('listitem', { name: TEAM, exact: true });
  await expect(ours).toContainText('No members yet');
  // Only clinicians of the team's institution are offered.
  const pick = ours.getByLabel('Clinician to add');
  await expect(pick.locator('option')).toHaveText([`Dr Ada Ward · ${email}`]);
  await ours.getByRole('button', { name: 'Add to the team' }).click();
  await expect(ours.getByRole('status')).toContainText('The clinician is added to the team.');
  await expect(ours).toContainText(`Dr Ada Ward · ${email}`);
  expect((await teams(admin)).find((t) => t.name === TEAM)?.members).toEqual([
    { name: 'Dr Ada Ward', email },
  ]);
  await expect(ours).toContainText('Every clinician of Riverside Care Teams Clinic');
  await expectAccessible(page, testInfo, 'admin-care-teams-member');
  await screenshots(page, testInfo, 'admin-care-teams');

  await ours.getByRole('button', { name: `Remove Dr Ada Ward from ${TEAM}` }).click();
  await expect(ours.getByRole('status')).toContainText('The clinician is no longer in the team.');
  await expect(ours).toContainText('No members yet');
  expect((await teams(admin)).find((t) => t.name === TEAM)?.members).toEqual([]);
});

test('the care teams page is for administrators only', async ({ page }) => {
  await signIn(page, 'clinician@demo.local');
  await expect(mainNavLink(page, 'Care teams')).toHaveCount(0);
  const res = await page.goto('/admin/care-teams');
  expect(res?.status()).toBe(403);
});
