import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { expect, test } from '@playwright/test';
import { createAccount, tokenFor } from './api';
import { expectAccessible, signIn } from './helpers';

// The portal is started with ADDRESS_HEADER=x-forwarded-for (as behind a reverse proxy), so each
// test names the address its browser comes from.
const ORIGIN = process.env.E2E_WEB_ORIGIN ?? `http://localhost:${process.env.E2E_WEB_PORT}`;

test('failed logins with made-up e-mails from one address do not lock anyone else out', async ({
  page,
  request,
}) => {
  const statuses: number[] = [];
  for (let i = 0; i < 30; i += 1) {
    const res = await request.post('/login', {
      headers: { origin: ORIGIN, 'x-forwarded-for': '203.0.113.9' },
      form: { email: `nobody-${randomUUID().slice(0, 8)}@example.org`, password: 'guessing' },
      maxRedirects: 0,
    });
    // Without a browser's Accept header SvelteKit answers the action's result as JSON.
    const result = (await res.json()) as { type: string; status: number };
    statuses.push(result.status);
  }
  // The attacker's address is slowed down (the API answers RATE_LIMITED, the form 429)...
  expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
  expect(statuses).toContain(429);
  // ...but a participant signing in through the same portal from elsewhere gets in at once.
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': '198.51.100.7' });
  await signIn(page, 'patient@demo.local');
});

/** What `postBytes` answers when the portal closed the connection before answering. */
const CLOSED = -1;

/**
 * POSTs `size` bytes and answers the status as soon as the portal answers. A server refusing a
 * body may also close the connection before taking all of it (then the client's write fails
 * with EPIPE or ECONNRESET and no status can be read): that refuses the body too, so it answers
 * CLOSED, and the caller checks afterwards that the portal still serves pages.
 */
function postBytes(path: string, size: number, contentType: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${ORIGIN}${path}`, {
      method: 'POST',
      headers: {
        origin: ORIGIN,
        'content-type': contentType,
        'content-length': String(size),
        'x-forwarded-for': '192.0.2.1',
        connection: 'close',
      },
    });
    req.on('response', (res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    req.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'EPIPE' || e.code === 'ECONNRESET' ? resolve(CLOSED) : reject(e),
    );
    req.end(Buffer.alloc(size, 'x'));
  });
}

test('an anonymous oversized POST is refused before the portal reads it', async ({ request }) => {
  const form = 'application/x-www-form-urlencoded';
  const refused = [413, CLOSED];
  for (const path of ['/login', '/enrol', '/'])
    expect(refused, path).toContain(await postBytes(path, 2 * 1024 * 1024, form));
  // An upload route without a signed-in steward gets the small limit too...
  const uploadPath = '/datasets/00000000-0000-4000-8000-000000000000?/upload';
  const multipart = 'multipart/form-data; boundary=x';
  expect(refused).toContain(await postBytes(uploadPath, 2 * 1024 * 1024, multipart));
  // ...and above the upload limit every route refuses (adapter-node's BODY_SIZE_LIMIT).
  expect(refused).toContain(await postBytes(uploadPath, 10 * 1024 * 1024, multipart));
  // The portal still answers.
  expect((await request.get('/login')).status()).toBe(200);
});

test('a user changes their password on the account page and other sessions end', async ({
  page,
  browser,
}, testInfo) => {
  const admin = await tokenFor('admin@demo.local');
  const email = `account-${randomUUID().slice(0, 8)}@example.org`;
  const oldPassword = 'the first password 1';
  const newPassword = 'the second password 2';
  await createAccount(admin, {
    email,
    password: oldPassword,
    displayName: 'Account Tester',
    role: 'researcher',
  });
  const other = await browser.newPage();
  await signIn(other, email, oldPassword);

  await signIn(page, email, oldPassword);
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account');
  await expectAccessible(page, testInfo, 'account');
  await page.getByLabel('Current password').fill('not the password!');
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('New password again').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('alert')).toContainText('current password is wrong');

  await page.getByLabel('Current password').fill(oldPassword);
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('New password again').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status')).toContainText('One other session was signed out');

  // The other browser's session has ended; this one goes on.
  await other.goto('/');
  await expect(other).toHaveURL(/\/login/);
  await page.goto('/account');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account');

  // Sign out everywhere ends this session too; the new password signs in again.
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, email, newPassword);
  await other.close();
});

test('a download linked from another site does not use the session', async ({ page }) => {
  await signIn(page, 'researcher@demo.local');
  const file = '/exports/00000000-0000-4000-8000-000000000000/vcf';
  const crossSite = await page.request.get(file, { headers: { 'sec-fetch-site': 'same-site' } });
  expect(crossSite.status()).toBe(403);
  // From the portal's own page it reaches the API, which answers for this export (none here).
  const own = await page.request.get(file, { headers: { 'sec-fetch-site': 'same-origin' } });
  expect(own.status()).toBe(404);
});
