import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

/** The password of every demo account (demo mode only). */
export const DEMO_PASSWORD = 'demo-password';

/** Signs in through the real form. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  // Typing before hydration is lost: hydration resets the e-mail field to its rendered value.
  await page.waitForLoadState('networkidle');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome');
}

/** Signs the current person out (drops the browser's cookies) and signs `email` in instead. */
export async function switchUser(page: Page, email: string): Promise<void> {
  await page.context().clearCookies();
  await signIn(page, email);
}

/** How a main navigation link's name is matched (as in `getByRole`). */
type NavLinkOptions = { exact?: boolean };

/** A link of the main navigation, by its accessible name. */
export function mainNavLink(
  page: Page,
  name: string | RegExp,
  options: NavLinkOptions = {},
): Locator {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, ...options });
}

/** Opens a main navigation link, as a person would. */
export async function openNav(
  page: Page,
  name: string | RegExp,
  options: NavLinkOptions = {},
): Promise<void> {
  await mainNavLink(page, name, options).click();
}

/** Fails on any serious or critical WCAG 2.1 A/AA violation of the current page. */
export async function expectAccessible(
  page: Page,
  testInfo: TestInfo,
  label: string,
): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const blocking = results.violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  await testInfo.attach(`axe-${label}.json`, {
    body: JSON.stringify(results.violations, null, 2),
    contentType: 'application/json',
  });
  expect(blocking.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`)).toEqual([]);
}

/** Saves desktop and 375 px screenshots as test artifacts (never committed). */
export async function screenshots(page: Page, testInfo: TestInfo, label: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${label}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: testInfo.outputPath(`${label}-mobile.png`), fullPage: true });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${label} must fit a 375 px screen`).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1280, height: 800 });
}
