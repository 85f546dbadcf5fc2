/** Signing in, a wrong password, signing out and a deep link reload, in Debian's chromium. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, screenshot, signIn, startUiEngine, visibleText, type UiEngine } from '../support/browser.js';

let ui: UiEngine;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [ui, browser] = await Promise.all([startUiEngine(), launchBrowser()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await ui?.stop();
});

describe('sign-in screen', () => {
  it('refuses a wrong password with a message and stays on the screen', async () => {
    await page.goto(ui.baseUrl + '/');
    await expectAccessible(page, 'sign-in');
    await screenshot(page, 'sign-in');
    await page.getByLabel(/^E-mail/).fill('csw.garcia@example.org');
    await page.getByLabel(/^Password/).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await visibleText(page.getByRole('alert').first())).toMatch(/password/i);
    expect(page.url()).toBe(ui.baseUrl + '/');
  });

  it('signs a worker in to the assignment listing, and out again', async () => {
    await signIn(page, ui.baseUrl, 'csw.garcia@example.org');
    await visibleText(page.getByRole('heading', { name: 'Assignment Listing' }));
    expect(await visibleText(page.getByRole('table', { name: 'Assignments' }).getByRole('row').nth(1))).toMatch(/\d/);
    await expectAccessible(page, 'home');
    await screenshot(page, 'home-worker');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('answers a screen path with the app, and an unknown API path with a JSON 404', async () => {
    const screen = await fetch(ui.baseUrl + '/cases/whatever', { headers: { accept: 'text/html' } });
    expect(screen.status).toBe(200);
    expect(await screen.text()).toContain('<div id="root">');
    const apiMiss = await fetch(ui.baseUrl + '/api/nothing-here', { headers: { accept: 'text/html' } });
    expect(apiMiss.status).toBe(404);
    expect((await apiMiss.json()).message).toContain('/api/nothing-here');
  });
});
