import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './helpers';
import { enrolNewParticipant } from './participants';

// On a phone: the journey a Spanish-speaking participant takes.
test.use({ viewport: { width: 375, height: 812 } });

/** The header's language switcher (one button: the other language). */
const switchTo = (page: Page, language: 'Español' | 'English') =>
  page.getByTestId('language-switch').getByRole('button', { name: language }).click();

/** The page fits the phone's width. */
async function fitsThePhone(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

test('a browser that prefers Spanish gets the sign-in page in Spanish', async ({ browser }) => {
  const context = await browser.newContext({
    locale: 'es-ES',
    viewport: { width: 375, height: 812 },
  });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Iniciar sesión');
  await expect(page.getByLabel('Correo electrónico')).toBeVisible();
  await context.close();
});

test('a participant switches to Spanish; consent and timeline speak it, and it is remembered', async ({
  page,
  context,
}, testInfo) => {
  // Signed out, the switcher works too (a cookie remembers it), and switches back.
  await page.goto('/login');
  await switchTo(page, 'Español');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Iniciar sesión');
  await switchTo(page, 'English');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');

  await enrolNewParticipant(page, 'Lucía Ortega', `P-ES-${Date.now()}`);
  await page.goto('/consent');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What you allow');
  await switchTo(page, 'Español');

  // Back on the same page, now in Spanish.
  await expect(page).toHaveURL(/\/consent$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lo que usted permite');
  await expect(page.getByRole('group', { name: 'Investigación en general' })).toBeVisible();
  await expect(
    page.getByRole('group', { name: 'Uso comercial' }).getByLabel('Preguntarme cada vez'),
  ).toBeVisible();
  await expect(page.getByRole('region', { name: 'Cómo se combinan sus decisiones' })).toContainText(
    'Retirarse lo detiene todo',
  );
  await expect(page.getByRole('button', { name: 'Guardar mis decisiones' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Principal' });
  await expect(nav.getByRole('link', { name: 'Su consentimiento' })).toBeVisible();
  await fitsThePhone(page);
  await expectAccessible(page, testInfo, 'consent-es');

  // The timeline: the page and the audit trail's sentences, in Spanish.
  await nav.getByRole('link', { name: 'Historial' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cada uso de sus datos');
  await expect(page.getByTestId('timeline-summary')).toContainText('estudio');
  const uses = page.getByRole('list', {
    name: 'Usos por otras personas, los más recientes primero',
  });
  await expect(uses).toContainText('Su centro del estudio creó su registro');
  await expect(uses).toContainText('por Un responsable de datos');
  await fitsThePhone(page);
  await expectAccessible(page, testInfo, 'timeline-es');

  // Reloading keeps Spanish; so does losing the cookie, since the account remembers the choice.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cada uso de sus datos');
  await context.clearCookies({ name: 'consentome_locale' });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cada uso de sus datos');
  expect((await context.cookies()).find((c) => c.name === 'consentome_locale')?.value).toBe('es');

  // And back to English.
  await switchTo(page, 'English');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Every use of your data');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('in Spanish: the proof badges, the account page and withdrawal, on a phone with axe', async ({
  page,
}, testInfo) => {
  await enrolNewParticipant(page, 'Marta Gil', `P-ES2-${Date.now()}`);
  await page.goto('/timeline');
  await switchTo(page, 'Español');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cada uso de sus datos');

  // The record's creation reaches the chain; the browser checks its proof, in Spanish.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('proof').first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 25_000, intervals: [1_000, 2_000, 3_000] });
  await page.waitForLoadState('networkidle');
  const proven = page
    .getByTestId('event')
    .filter({ has: page.getByTestId('proof') })
    .first();
  await expect(proven.getByTestId('badge-verified')).toHaveText('Verificado en la cadena', {
    timeout: 10_000,
  });
  await proven.getByTestId('badge-verified').click();
  await expect(proven.getByTestId('proof-ok')).toHaveText('✓ prueba comprobada en su navegador');
  await expect(proven).toContainText('Raíz de Merkle en la cadena');
  await expect(proven).toContainText('Transacción');
  await fitsThePhone(page);
  await expectAccessible(page, testInfo, 'proof-es');

  // The account page: passkeys, password, sessions (how this one signed in), in Spanish.
  await page.getByRole('link', { name: 'Cuenta', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Su cuenta');
  await expect(page.getByRole('heading', { name: 'Llaves de acceso' })).toBeVisible();
  await expect(page.getByText('Todavía no tiene ninguna llave de acceso.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Añadir una llave de acceso' })).toBeVisible();
  const sessions = page.getByRole('region', { name: 'Dónde tiene la sesión iniciada' });
  await expect(sessions.getByRole('columnheader', { name: 'Inició sesión con' })).toBeVisible();
  await expect(sessions.getByTestId('session-row').first()).toContainText('contraseña');
  await expect(sessions.getByTestId('session-row').first()).toContainText('este dispositivo');
  // A form error is Spanish too, and nothing changes.
  await page.getByRole('button', { name: 'Cambiar contraseña' }).click();
  await expect(page.getByText('Escriba su contraseña actual.')).toBeVisible();
  await fitsThePhone(page);
  await expectAccessible(page, testInfo, 'account-es');

  // Withdrawal: what happens, a missing confirmation, then the receipt, all in Spanish.
  await page.goto('/withdraw');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Retirarse de Consentome');
  await expect(page.getByRole('heading', { name: 'Qué ocurre cuando se retira' })).toBeVisible();
  await page.getByRole('button', { name: 'Retirarme ahora' }).click();
  await expect(
    page.getByText('Marque la casilla para confirmar que quiere retirarse.'),
  ).toBeVisible();
  await fitsThePhone(page);
  await expectAccessible(page, testInfo, 'withdraw-es');
  await page
    .getByLabel('Entiendo lo que ocurre y quiero retirarme de Consentome por completo.')
    .check();
  await page.getByRole('button', { name: 'Retirarme ahora' }).click();
  const result = page.getByTestId('withdrawal-result');
  await expect(result.getByRole('heading', { name: 'Usted se ha retirado' })).toBeVisible();
  await expect(result).toContainText('Ningún estudio había recibido sus datos.');
  await expect(result).toContainText('UTC');
  await expectAccessible(page, testInfo, 'withdrawn-es');
});
