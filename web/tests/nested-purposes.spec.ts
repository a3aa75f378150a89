import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './helpers';
import { enrolNewParticipant } from './participants';

// On a phone, in Spanish: the nested purposes of the consent form.
test.use({ viewport: { width: 375, height: 812 } });

const question = (page: Page, name: string) => page.getByRole('group', { name, exact: true });

test('a participant allows health research but not psychiatric conditions, after the form explains a contradiction', async ({
  page,
}, testInfo) => {
  await enrolNewParticipant(page, 'Marta Ruiz', `P-NEST-${Date.now()}`);
  await page.goto('/consent');
  await page.getByTestId('language-switch').getByRole('button', { name: 'Español' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lo que usted permite');

  const all = question(page, 'Investigación en general');
  const health = question(page, 'Investigación médica y de salud');
  const diseases = question(page, 'Investigación sobre enfermedades concretas');

  // Allowing all research carries down to the narrower levels that said the same ("ask").
  await all.getByRole('radio', { name: 'Permitir', exact: true }).check();
  await expect(health.getByRole('radio', { name: 'Permitir', exact: true })).toBeChecked();
  await expect(diseases.getByRole('radio', { name: 'Permitir', exact: true })).toBeChecked();

  // Not allowing health research while allowing all research contradicts itself: explained
  // under the question at once, before anything is sent.
  await health.getByRole('radio', { name: 'No permitir' }).check();
  const why = health.getByRole('alert');
  await expect(why).toContainText(
    'Usted permite toda la investigación pero no la investigación sobre la salud: la investigación sobre la salud es parte de toda la investigación.',
  );
  await expectAccessible(page, testInfo, 'nested-contradiction-es');

  // Sent anyway, it is refused with the same words and nothing is saved.
  await page.getByRole('button', { name: 'Guardar mis decisiones' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Revise las respuestas' })).toBeVisible();
  await expect(page.getByTestId('current-version')).not.toContainText('versión 1');
  await expect(health.getByRole('alert')).toContainText('es parte de toda la investigación');

  // The refinement they meant: health research yes, psychiatric conditions no.
  await health.getByRole('radio', { name: 'Permitir', exact: true }).check();
  await expect(health.getByRole('alert')).toHaveCount(0);
  const search = page.getByRole('combobox', { name: 'Buscar una enfermedad' });
  await search.fill('psychiatric');
  await page.getByRole('option', { name: /psychiatric disorder/ }).click();
  const psych = question(page, 'Su respuesta para la investigación sobre psychiatric disorder');
  await psych.getByRole('radio', { name: 'No permitir' }).check();
  await page.getByRole('button', { name: 'Guardar mis decisiones' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Guardado' })).toContainText('versión 1');

  // Kept as saved, and the page still fits the phone and passes axe.
  await page.reload();
  await expect(psych.getByRole('radio', { name: 'No permitir' })).toBeChecked();
  await expect(health.getByRole('radio', { name: 'Permitir', exact: true })).toBeChecked();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAccessible(page, testInfo, 'nested-saved-es');
  // Back to English for the specs that follow (the account remembers the language).
  await page.getByTestId('language-switch').getByRole('button', { name: 'English' }).click();
});
