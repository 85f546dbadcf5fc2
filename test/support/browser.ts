/**
 * Browser tests: a real engine listening on loopback (embedded store on a temp folder, the CTS
 * definitions, the demo data) serving the built runtime UI, driven by Debian's chromium through
 * playwright-core. Screenshots go to artifacts/screenshots/ (kept by CI as test artifacts).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Clock } from '../../engine/src/clock.js';
import type { EngineConfig } from '../../engine/src/config.js';
import type { MailCatcher } from '../../engine/src/notifications/mail-catcher.js';
import { DEMO_PASSWORD, repoRoot, startTestEngine, type TestEngine } from './engine.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(repoRoot, 'artifacts', 'screenshots');

/** Launches chromium; a missing browser fails the suite with the command that installs it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser tests need Chromium at ${CHROMIUM}. Install it with "apt-get install -y chromium" (Debian), or set CHROMIUM_PATH to a Chromium binary.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface UiEngine extends TestEngine {
  baseUrl: string;
}

/** A listening engine with the built UI; the full demo data set unless another is given. */
export async function startUiEngine(overrides: Partial<EngineConfig> = {}, options: { clock?: Clock; demoData?: string; mailCatcher?: MailCatcher } = {}): Promise<UiEngine> {
  const index = path.join(repoRoot, 'runtime-ui', 'dist', 'index.html');
  if (!existsSync(index)) throw new Error('The runtime UI is not built: run "npm run build:ui" first (npm test does).');
  const base = await startTestEngine(overrides, { ...options, demoData: options.demoData ?? path.join(repoRoot, 'forms', 'demo', 'demo-data.json') });
  const address = await base.engine.http.listen({ port: 0, host: '127.0.0.1' });
  return { ...base, baseUrl: address };
}

/** Signs in through the login screen as a demo user and waits for the home screen. */
export async function signIn(page: Page, baseUrl: string, email: string, password = DEMO_PASSWORD) {
  await page.goto(baseUrl + '/');
  await page.getByLabel(/^E-mail/).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Waits for the locator's element to be visible and returns its text (vitest's expect has no locator matchers). */
export async function visibleText(locator: Locator): Promise<string> {
  await locator.waitFor({ state: 'visible' });
  return (await locator.innerText()).trim();
}

export async function screenshot(page: Page, name: string) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core on the page; fails on serious or critical violations, listing each with its elements. */
export async function expectAccessible(page: Page, context = '') {
  // Menus and dialogs fade in and out, and axe measures contrast as drawn: wait until no finite
  // transition runs (a closing list at half opacity would fail; spinners run forever and are let be).
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
  await page.addScriptTag({ content: await axeSource });
  const violations: { id: string; impact: string; help: string; nodes: string[] }[] = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n: any) => n.target.join(' ')) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `accessibility ${context}: ${serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.join(', ')}`).join('; ')}`).toEqual([]);
}
