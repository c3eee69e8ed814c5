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
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  // Generous: scrypt and a first server render on a 2-core CI machine busy with other suites.
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 60_000 }), page.getByRole('button', { name: 'Sign in' }).click()]);
}
