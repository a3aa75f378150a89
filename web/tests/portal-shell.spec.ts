import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, expectAccessible, screenshots, signIn } from './helpers';

const API = `http://127.0.0.1:${process.env.E2E_API_PORT ?? '4317'}/graphql`;

test('the sign-in page validates before sending and shows the server’s error', async ({
  page,
}, testInfo) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await expectAccessible(page, testInfo, 'login');
  await screenshots(page, testInfo, 'login');

  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByText('Enter a valid e-mail address.')).toBeVisible();
  await expect(page.getByText('Enter your password.')).toBeVisible();

  await page.getByLabel('E-mail').fill('researcher@demo.local');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('E-mail or password is wrong');
});

const journeys = [
  {
    email: 'patient@demo.local',
    role: 'Participant',
    sees: 'Your participation',
    also: 'P-DEMO0001',
  },
  {
    email: 'researcher@demo.local',
    role: 'Researcher',
    sees: 'Dataset catalogue',
    also: 'Colorectal Cancer Genomes',
  },
  {
    email: 'steward@demo.local',
    role: 'Data steward',
    sees: 'Participants',
    also: 'participant records registered',
  },
  { email: 'ethics@demo.local', role: 'Ethics board', sees: 'Audit trail', also: 'Latest events' },
  {
    email: 'admin@demo.local',
    role: 'Administrator',
    sees: 'Accounts',
    also: 'researcher@demo.local',
  },
];

for (const j of journeys) {
  test(`${j.role}: signs in, sees a role-aware home page, signs out`, async ({
    page,
  }, testInfo) => {
    await signIn(page, j.email);
    await expect(page.getByText(`Signed in as ${j.role}`)).toBeVisible();
    await expect(page.getByRole('heading', { name: j.sees, exact: true })).toBeVisible();
    await expect(page.getByText(j.also).first()).toBeVisible();
    await expectAccessible(page, testInfo, `home-${j.role}`);
    await screenshots(page, testInfo, `home-${j.role.toLowerCase().replace(/\s+/g, '-')}`);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'consentome_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(page.url()).not.toContain('@');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
  });
}

test('an ended session sends the user back to sign in, saying why', async ({ page, context }) => {
  await signIn(page, 'researcher@demo.local');
  const token = (await context.cookies()).find((c) => c.name === 'consentome_session')!.value;
  // End the session at the API (as expiry or a sign-out elsewhere would).
  await fetch(API, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: 'mutation { logout }' }),
  });
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('status')).toHaveText(
    'Your session has ended. Please sign in again.',
  );
});

test('an ethics board member verifies the audit trail', async ({ page }, testInfo) => {
  await signIn(page, 'ethics@demo.local');
  await page.getByRole('button', { name: 'Verify integrity' }).click();
  await expect(page.getByRole('status')).toContainText(/Intact: \d+ events recomputed/);
  await expectAccessible(page, testInfo, 'audit-verified');
});

test('a participant joins with an enrolment code from the steward', async ({ page }, testInfo) => {
  const call = async (query: string, token?: string) => {
    const res = await fetch(API, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query }),
    });
    return ((await res.json()) as { data: Record<string, { data: Record<string, unknown> }> }).data;
  };
  const login = await call(
    `mutation { login(email: "steward@demo.local", password: "${DEMO_PASSWORD}") { ... on MutationLoginSuccess { data { token } } } }`,
  );
  const token = login.login!.data.token as string;
  const created = await call(
    `mutation { createParticipant(input: { sex: female, birthYear: 1975, pseudonym: "P-E2E-${Date.now()}" }) { ... on MutationCreateParticipantSuccess { data { id pseudonym } } } }`,
    token,
  );
  const participant = created.createParticipant!.data as { id: string; pseudonym: string };
  const coded = await call(
    `mutation { createEnrolmentCode(participantId: "${participant.id}") { ... on MutationCreateEnrolmentCodeSuccess { data { code } } } }`,
    token,
  );
  const code = coded.createEnrolmentCode!.data.code as string;

  await page.goto('/enrol');
  await expectAccessible(page, testInfo, 'enrol');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Enter the 16-character code from your study site.')).toBeVisible();

  await page.getByLabel('Enrolment code').fill(code);
  await page.getByLabel('Your name (only you see it)').fill('Jo Participant');
  await page.getByLabel('E-mail').fill(`jo-${Date.now()}@example.org`);
  await page.getByLabel('Choose a password').fill('a very good passphrase');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Jo Participant');
  await expect(page.getByText(participant.pseudonym)).toBeVisible();
});
