import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where screenshots of the main pages go: kept as CI artefacts, never committed. */
export const ARTEFACTS = join(process.cwd(), 'test-artifacts');

/**
 * Debian's Chromium driven by playwright-core (Playwright cannot download its own browsers here).
 * The flags keep it from reaching out to the network, which is closed on this machine.
 */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTEFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Signs in through the sign-in form, as a person would. */
export async function signInAs(page: Page, baseUrl: string, login: string, password: string) {
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/login/);
  // Fill once the page's scripts have run, as a person would see it settle.
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  // Generous: scrypt and a first server render on a 2-core CI machine busy with other suites.
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 60_000 }), page.getByRole('button', { name: 'Sign in' }).click()]).catch(async (error: Error) => {
    // Say where the browser was left: a refusal on the form, an error page, or nothing yet.
    const shown = await page.locator('body').innerText({ timeout: 1_000 }).catch(() => '(no page)');
    throw new Error(`signing in as ${login} did not leave the sign-in page (at ${page.url()}): ${shown.slice(0, 500)}`, { cause: error });
  });
}
