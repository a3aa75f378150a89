import { expect, test, type Page } from '@playwright/test';
import { verifyEventProof, type VerifiableEvent } from '../src/lib/merkle-verify';
import { gql, tokenFor } from './api';
import { expectAccessible, openNav, screenshots, signIn } from './helpers';
import { enrolNewParticipant } from './participants';

const PATIENT = 'patient@demo.local';

/** Opens /timeline, reloading until an event carries a chain proof (anchoring runs every ~2 s). */
async function timelineWithProof(page: Page): Promise<void> {
  await page.goto('/timeline');
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('proof').first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 25_000, intervals: [1_000, 2_000, 3_000] });
  // The proof is checked by the page's script: wait until it is loaded (hydrated).
  await page.waitForLoadState('networkidle');
}

test('a participant changes a preference and sees the new version and its history', async ({
  page,
}, testInfo) => {
  await signIn(page, PATIENT);
  await expect(page.getByRole('heading', { name: 'Your choices' })).toBeVisible();
  await openNav(page, 'Your consent');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What you allow');
  const versionText = (await page.getByTestId('current-version').textContent()) ?? '';
  const version = Number(/version (\d+)/.exec(versionText)?.[1]);
  expect(version).toBeGreaterThanOrEqual(1);
  // The DUO plain text explains the DUO purposes; every purpose is a labelled radio group.
  for (const name of [
    'General research',
    'Health and medical research',
    'Research on specific diseases',
    'Population and ancestry research',
    'Methods development',
    'Commercial use',
  ])
    await expect(page.getByRole('group', { name })).toBeVisible();
  await expectAccessible(page, testInfo, 'consent');
  await screenshots(page, testInfo, 'consent');

  const commercial = page.getByRole('group', { name: 'Commercial use' });
  const labels = ['Allow', 'Don’t allow', 'Ask me each time'];
  let original = '';
  for (const l of labels)
    if (await commercial.getByLabel(l, { exact: true }).isChecked()) original = l;
  expect(original).not.toBe('');
  const target = original === 'Allow' ? 'Ask me each time' : 'Allow';
  await commercial.getByLabel(target, { exact: true }).check();
  // What discovery and recontact do, and how choices combine, in the participant's words.
  await expect(
    page.getByRole('switch', { name: 'Count me in discovery searches' }),
  ).toHaveAccessibleDescription(
    /removes you from those numbers only: studies that match you can still ask you/,
  );
  const contact = page.getByRole('switch', { name: 'You may contact me about other things' });
  await expect(contact).toHaveAccessibleDescription(
    /not about your own data.*Researchers never contact you themselves/,
  );
  const combine = page.getByRole('region', { name: 'How your choices combine' });
  await expect(combine).toContainText('Withdrawing stops everything');
  await expect(combine).toContainText('ask you whether your new “no” applies to them too');
  const contactWas = await contact.isChecked();
  await contact.setChecked(!contactWas);
  await page.getByRole('button', { name: 'Save my choices' }).click();
  await expect(page.getByRole('status')).toHaveText(
    `Saved. Your choices are now version ${version + 1}.`,
  );
  await expect(page.getByTestId('current-version')).toContainText(`version ${version + 1}`);
  await expect(commercial.getByLabel(target, { exact: true })).toBeChecked();
  const newest = page.locator('.history > li').first();
  await expect(newest).toContainText(`Version ${version + 1}`);
  await expect(newest).toContainText(`Commercial use: ${original} → ${target}`);
  await expect(newest).toContainText(
    `You may contact me about other things: ${contactWas ? 'off' : 'on'}`,
  );

  // Put things back (other suites count this participant): another version.
  await commercial.getByLabel(original, { exact: true }).check();
  await contact.setChecked(contactWas);
  await page.getByRole('button', { name: 'Save my choices' }).click();
  await expect(page.getByRole('status')).toHaveText(
    `Saved. Your choices are now version ${version + 2}.`,
  );
  await expect(page.locator('.history > li').first()).toContainText(
    `Commercial use: ${target} → ${original}`,
  );
});

test('the consent form works without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(PATIENT);
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.goto('/consent');
  const versionText = (await page.getByTestId('current-version').textContent()) ?? '';
  const version = Number(/version (\d+)/.exec(versionText)?.[1]);
  await page.getByRole('button', { name: 'Save my choices' }).click();
  await expect(page.getByRole('status')).toHaveText(
    `Saved. Your choices are now version ${version + 1}.`,
  );
  await expect(page.locator('.history > li').first()).toContainText('No change (saved again).');
  await context.close();
});

test('a participant sees every use of their data, with a proof checked in the browser', async ({
  page,
}, testInfo) => {
  await signIn(page, PATIENT);
  await openNav(page, 'Timeline');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Every use of your data');
  await expect(page.getByTestId('timeline-summary')).toContainText(/\d+ stud(y|ies) asked/);
  await expect(page.getByText('Your study site created your record').first()).toBeVisible();
  await timelineWithProof(page);
  // Reading the timeline is itself an event, shown from the next visit on, in the folded list.
  const own = page.getByTestId('own-activity');
  await expect(own.getByText('You looked at this timeline').first()).toBeHidden();
  await own.locator('summary').first().click();
  await expect(own.getByText('You looked at this timeline').first()).toBeVisible();
  const anchored = page
    .getByTestId('event')
    .filter({ has: page.getByTestId('proof') })
    .first();
  await expect(anchored).toContainText(/by (You|A |The |An |Consentome)/);
  await anchored.getByText('Verified on chain').click();
  await expect(anchored.getByTestId('proof-ok')).toHaveText('✓ proof checked in your browser');
  await expect(anchored).toContainText('Merkle root');
  await expect(anchored).toContainText('Transaction');
  await expect(page.getByTestId('proof-failed')).toHaveCount(0);
  await expectAccessible(page, testInfo, 'timeline');
  await screenshots(page, testInfo, 'timeline');
});

test('a proof that does not match the root read from the chain says "Check failed", loudly', async ({
  page,
}, testInfo) => {
  await signIn(page, PATIENT);
  // Someone between the chain and the browser alters what the chain query answers.
  await page.route('**/chain-anchors/*', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { anchor: { merkle_root: string } | null };
    if (body.anchor) body.anchor.merkle_root = 'ab'.repeat(32);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.fulfill({ response, json: body });
  });
  await page.goto('/timeline');
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('proof').first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 25_000, intervals: [1_000, 2_000, 3_000] });
  const first = page.getByTestId('proof').first();
  await expect(first.getByTestId('badge-checking')).toHaveText('Checking…');
  await expect(first.getByTestId('badge-failed')).toHaveText('Check failed');
  await expect(first.getByTestId('proof-failed')).toBeVisible();
  await expect(first.getByTestId('proof-failed')).toContainText('What to do');
  await expect(first.getByTestId('proof-failed')).toContainText('Merkle root held on chain');
  await expect(page.getByTestId('badge-verified')).toHaveCount(0);
  await screenshots(page, testInfo, 'timeline-check-failed');
  // The tampering route delays each answer: one still in flight must not outlive the test.
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});

test('the proof check recomputes hashes and rejects tampering', async () => {
  const token = await tokenFor(PATIENT);
  let events: VerifiableEvent[] = [];
  await expect(async () => {
    const data = await gql<{ myTimeline: VerifiableEvent[] }>(
      `{ myTimeline(limit: 20) { hash prevHash canonical proof { merkleRoot steps { side hash } } } }`,
      {},
      token,
    );
    events = data.myTimeline.filter((e) => e.proof);
    expect(events.length).toBeGreaterThan(0);
  }).toPass({ timeout: 20_000 });
  for (const e of events) expect((await verifyEventProof(e)).ok).toBe(true);
  const e = events[0]!;
  const altered = await verifyEventProof({ ...e, canonical: `${e.canonical} ` });
  expect(altered).toMatchObject({ ok: false, hashOk: false });
  const wrongRoot = await verifyEventProof({
    ...e,
    proof: { ...e.proof!, merkleRoot: '00'.repeat(32) },
  });
  expect(wrongRoot).toMatchObject({ ok: false, hashOk: true, rootOk: false });
  expect((await verifyEventProof({ ...e, prevHash: 'zz' })).reason).toContain('malformed');
});

test('a new participant withdraws and is told honestly what that means', async ({
  page,
}, testInfo) => {
  const pseudonym = await enrolNewParticipant(page);
  await page.getByRole('link', { name: 'Withdraw from Consentome' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Withdraw from Consentome');
  await expect(page.getByText('Studies that already received your data keep it.')).toBeVisible();
  await expect(page.getByText('You cannot undo this in the portal.')).toBeVisible();
  await expect(page.getByText(pseudonym)).toBeVisible();
  await expectAccessible(page, testInfo, 'withdraw');
  await screenshots(page, testInfo, 'withdraw');
  // Focus handling after the answer is the page script's: make sure it is running.
  await page.waitForLoadState('networkidle');

  await page.getByRole('button', { name: 'Withdraw now' }).click();
  await expect(page.getByText('Tick the box to confirm that you want to withdraw.')).toBeVisible();
  await page.getByLabel(/I want to withdraw from Consentome completely/).check();
  await page.getByRole('button', { name: 'Withdraw now' }).click();
  const result = page.getByTestId('withdrawal-result');
  await expect(result.getByRole('heading', { name: 'You have withdrawn' })).toBeVisible();
  await expect(result).toContainText('No study had received your data.');
  await expect(result).toBeFocused();
  await expectAccessible(page, testInfo, 'withdrawn');

  await page.reload();
  await expect(page.getByRole('heading', { name: 'You have already withdrawn' })).toBeVisible();
  await page.goto('/consent');
  await expect(page.getByText('You have withdrawn from Consentome')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save my choices' })).toBeDisabled();
  await page.goto('/timeline');
  await page.getByTestId('own-activity').locator('summary').first().click();
  await expect(page.getByText('You withdrew from all research').first()).toBeVisible();
});

test('other roles cannot open the participant pages', async ({ page }) => {
  await signIn(page, 'researcher@demo.local');
  await expect(page.getByRole('link', { name: 'Your consent' })).toHaveCount(0);
  for (const path of ['/consent', '/timeline', '/withdraw']) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('alert')).toContainText('Your role cannot open');
  }
});

test('a participant turns the weekly summary e-mail on and off from the timeline', async ({
  page,
}) => {
  await enrolNewParticipant(page, 'Wes Weekly');
  await page.goto('/timeline');
  await expect(page.getByTestId('digest-state')).toHaveText(
    'Want to hear about it without looking?',
  );
  await page.getByRole('button', { name: 'E-mail me a weekly summary' }).click();
  await expect(page.getByTestId('digest-state')).toHaveText(
    'You get a weekly e-mail when others used your data.',
  );
  // The choice is kept (read back from the API), and the change is on the participant's trail.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Stop the weekly e-mail' })).toBeVisible();
  await page.getByRole('button', { name: 'Stop the weekly e-mail' }).click();
  await expect(page.getByTestId('digest-state')).toHaveText(
    'Want to hear about it without looking?',
  );
});
