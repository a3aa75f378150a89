import { expect, type Page } from '@playwright/test';
import { gql, tokenFor } from './api';

/**
 * A brand-new participant, enrolled through the portal's /enrol page and signed in; answers
 * their pseudonym. Specs that change a participant for good (withdrawing, adding passkeys) use
 * one of these, so the demo patient other specs count stays as it was.
 */
export async function enrolNewParticipant(
  page: Page,
  name = 'Sam Leaving',
  pseudonym = `P-WD-${Date.now()}`,
): Promise<string> {
  const token = await tokenFor('steward@demo.local');
  const { createParticipant } = await gql<{
    createParticipant: { data: { id: string; pseudonym: string } };
  }>(
    `mutation($p: String!) { createParticipant(input: { sex: male, birthYear: 1980, pseudonym: $p }) {
      ... on MutationCreateParticipantSuccess { data { id pseudonym } } } }`,
    { p: pseudonym },
    token,
  );
  const { createEnrolmentCode } = await gql<{ createEnrolmentCode: { data: { code: string } } }>(
    `mutation($id: ID!) { createEnrolmentCode(participantId: $id) {
      ... on MutationCreateEnrolmentCodeSuccess { data { code } } } }`,
    { id: createParticipant.data.id },
    token,
  );
  await page.goto('/enrol');
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Enrolment code').fill(createEnrolmentCode.data.code);
  await page.getByLabel('Your name (only you see it)').fill(name);
  await page.getByLabel('E-mail').fill(`sam-${Date.now()}@example.org`);
  await page.getByLabel('Choose a password').fill('a very good passphrase');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${name}`);
  return createParticipant.data.pseudonym;
}
