/**
 * The Admin area in chromium: an agency admin reaches User Setup from the menu by keyboard,
 * searches their advocates, adds one (sees the one-time password), edits the contact # and FRP
 * areas, deactivates and unlocks; reads the lookups; reviews the month's Master Activity (its advocates, one advocate's
 * activities a page at a time) and submits it. A user who administers nobody has no Admin
 * menu and gets 403 from the API. Axe and screenshots of each screen at 1280 and 768 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../engine/src/config.js';
import { logActivity } from '../support/activities.js';
import { DEMO_PASSWORD } from '../support/engine.js';
import { expectAccessible, launchBrowser, screenshot, signIn, startUiEngine, visibleText, type UiEngine } from '../support/browser.js';

let ui: UiEngine;
let browser: Browser;
let page: Page;
const month = new Date().toISOString().slice(0, 7);

beforeAll(async () => {
  // The lockout test signs in wrongly on purpose: the rate limits (tested in test/api) stay out of its way.
  const auth = loadConfig({}).auth;
  [ui, browser] = await Promise.all([startUiEngine({ auth: { ...auth, rateLimits: { ...auth.rateLimits, perAddress: 10_000, perAccount: 10_000 } } }), launchBrowser()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // The advocate logs two activities this month (before the tests below reset their password).
  const jones = await ui.login('advocate.jones@example.org');
  const cases = (await jones.get('/api/cases?limit=100')).body.items as { _id: string; data: { youthLastName: string } }[];
  const poe = cases.find((c) => c.data.youthLastName === 'Poe')!._id;
  await logActivity(jones, 'Taylor Jones', poe, { date: `${month}-01`, type: 'Advocacy', subcategory: ['Face to Face (Youth)'], units: '1:30' });
  await logActivity(jones, 'Taylor Jones', poe, { date: `${month}-02`, type: 'Administrative Task', subcategory: ['Documentation/Reports'], units: '0:20' });
  // Ten more, so the advocate's activities take two pages of ten.
  for (let day = 3; day <= 12; day++) {
    await logActivity(jones, 'Taylor Jones', poe, { date: `${month}-${String(day).padStart(2, '0')}`, type: 'Advocacy', subcategory: ['Transportation of Youth'], units: '0:15' });
  }
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await ui?.stop();
});

const accounts = () => page.getByRole('table', { name: 'Accounts' });
const rowOf = (email: string) => accounts().getByRole('row').filter({ hasText: email });
const dialog = () => page.getByRole('dialog');

async function search(text: string) {
  await page.getByLabel('Name or Login ID').fill(text);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
}

/** Both widths of the county's screens: desktop and tablet. */
async function checkScreen(name: string) {
  await expectAccessible(page, name);
  await screenshot(page, name);
  await page.setViewportSize({ width: 768, height: 1024 });
  await expectAccessible(page, `${name} at 768 px`);
  await screenshot(page, `${name}-768`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('admin: advocate setup by the agency admin', () => {
  it('opens User Setup from the main menu with the keyboard alone', async () => {
    await signIn(page, ui.baseUrl, 'agency.admin@example.org');
    let focused = '';
    for (let i = 0; i < 20 && focused !== 'Admin'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? '');
      focused = focused.charAt(0) + focused.slice(1).toLowerCase();
    }
    expect(focused, 'Tab reaches the Admin menu entry').toBe('Admin');
    await page.keyboard.press('Enter');
    await visibleText(page.getByRole('heading', { name: 'Advocate Setup', level: 1 }));
    expect(new URL(page.url()).pathname).toBe('/admin/users');
  });

  it("lists only the agency's own advocates, and finds one by name", async () => {
    await rowOf('advocate.jones@example.org').waitFor();
    expect(await accounts().getByRole('row').count()).toBe(2); // header + Taylor Jones: not Bridgeway's Wei Chen
    expect(await visibleText(page.getByText(/Advocate Setup Total: \d+/))).toBe('Advocate Setup Total: 1');
    await search('jone');
    expect(await visibleText(rowOf('advocate.jones@example.org'))).toMatch(/Jones\s+Taylor\s+\(555\) 010-4002\s+Yes\s+No/);
    await search('nobody-by-this-name');
    await visibleText(accounts().getByText('No accounts match'));
    await checkScreen('admin-users');
  });

  it('adds an advocate, showing the temporary password once, who can sign in with it', async () => {
    await page.getByRole('button', { name: 'Add Advocate' }).click();
    await dialog().getByLabel(/^Login ID/).fill('advocate.new@example.org');
    await dialog().getByLabel(/^Last Name/).fill('Rivers');
    await dialog().getByLabel(/^First Name/).fill('Jo');
    await dialog().getByLabel('Contact #').fill('(555) 010-4999');
    await dialog().getByLabel(/SPA 6/).check();
    expect(await dialog().getByLabel('Show it to me once').isChecked()).toBe(true);
    await expectAccessible(page, 'add advocate');
    await screenshot(page, 'admin-add-advocate');
    await dialog().getByRole('button', { name: 'Add' }).click();
    const password = await visibleText(dialog().getByTestId('temporary-password'));
    expect(password.length).toBeGreaterThanOrEqual(12);
    await dialog().getByRole('button', { name: 'Close' }).click();

    const created = await ui.anonymous.post('/api/auth/login', { email: 'advocate.new@example.org', password });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ mustChangePassword: true, roles: ['Advocate'], attributes: { agency: 'Harbor Youth Advocates', frpAreas: ['SPA 6'] } });
    await search('Rivers');
    expect(await visibleText(rowOf('advocate.new@example.org'))).toMatch(/Rivers\s+Jo\s+\(555\) 010-4999\s+Yes\s+No/);
  });

  it('shows what to fix when the server refuses the new account', async () => {
    await page.getByRole('button', { name: 'Add Advocate' }).click();
    await dialog().getByLabel(/^Login ID/).fill('advocate.new@example.org');
    await dialog().getByLabel(/^Last Name/).fill('Again');
    await dialog().getByLabel(/^First Name/).fill('Jo');
    await dialog().getByRole('button', { name: 'Add' }).click();
    expect(await visibleText(dialog().getByRole('alert'))).toMatch(/already exists[\s\S]*\/email: is already in use/);
    expect(await dialog().getByLabel(/^Last Name/).inputValue()).toBe('Again'); // nothing typed is lost
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe('email'); // focus on the field to fix
    await dialog().getByRole('button', { name: 'Cancel' }).click();
  });

  it('edits the contact # and FRP areas, then deactivates the advocate', async () => {
    await rowOf('advocate.new@example.org').getByRole('button', { name: 'advocate.new@example.org' }).click();
    await visibleText(dialog().getByRole('heading', { name: 'Advocate Detail' }));
    await dialog().getByLabel('Contact #').fill('(555) 010-4888');
    await dialog().getByLabel(/SPA 8/).check();
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached' });
    // The list reloads after the dialog closes: wait for the row to show the saved number.
    await rowOf('advocate.new@example.org').filter({ hasText: '(555) 010-4888' }).waitFor();
    expect(await visibleText(rowOf('advocate.new@example.org'))).toMatch(/\(555\) 010-4888\s+Yes\s+No/);

    await rowOf('advocate.new@example.org').getByRole('button', { name: 'advocate.new@example.org' }).click();
    await dialog().getByLabel('Active').uncheck();
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached' });
    await expect.poll(async () => visibleText(rowOf('advocate.new@example.org')), { timeout: 10_000 }).toMatch(/\(555\) 010-4888\s+No\s+No/);
    const admin = await ui.login('agency.admin@example.org');
    const stored = (await admin.get('/api/users?q=advocate.new')).body.items[0];
    expect(stored).toMatchObject({ active: false, phone: '(555) 010-4888', attributes: { frpAreas: ['SPA 6', 'SPA 8'] } });
  });

  it('unlocks an advocate locked after failed sign-ins', async () => {
    for (let i = 0; i < ui.config.auth.maxFailedLogins; i++) await ui.anonymous.post('/api/auth/login', { email: 'advocate.jones@example.org', password: 'not the password' });
    await search('Jones');
    expect(await visibleText(rowOf('advocate.jones@example.org'))).toMatch(/Yes\s+Yes$/);
    await rowOf('advocate.jones@example.org').getByRole('button', { name: 'advocate.jones@example.org' }).click();
    await dialog().getByLabel('Locked').uncheck();
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached' });
    expect(await visibleText(rowOf('advocate.jones@example.org'))).toMatch(/Yes\s+No$/);
    expect((await ui.anonymous.post('/api/auth/login', { email: 'advocate.jones@example.org', password: DEMO_PASSWORD })).status).toBe(200);
  });

  it('resets a password, showing the new one once', async () => {
    await rowOf('advocate.jones@example.org').getByRole('button', { name: 'advocate.jones@example.org' }).click();
    await dialog().getByRole('button', { name: 'Reset password' }).click();
    const password = await visibleText(dialog().getByTestId('temporary-password'));
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    expect((await ui.anonymous.post('/api/auth/login', { email: 'advocate.jones@example.org', password })).body.mustChangePassword).toBe(true);
  });

  it('lists the lookups and their codes, read-only', async () => {
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('tab', { name: 'Lookups' }).click();
    await visibleText(page.getByRole('heading', { name: 'Lookups', level: 1 }));
    await page.getByRole('list', { name: 'Lookup lists' }).getByRole('button', { name: /FRP Areas/ }).click();
    const codes = page.getByRole('table', { name: 'Codes of FRP Areas' });
    expect(await visibleText(codes.getByRole('row').nth(1))).toMatch(/SPA 1\s+Service Planning Area 1\s+No/);
    expect(await page.getByRole('textbox').count()).toBe(0);
    await checkScreen('admin-lookups');
  });
});

describe('admin: master activity review and submit', () => {
  it("shows the month's advocates, one advocate's activities a page at a time with totals per type, the grand total, and submits the month", async () => {
    await page.goto(ui.baseUrl + '/admin/users');
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('tab', { name: 'Master Activity' }).click();
    await page.getByLabel('Month').fill(month);
    await visibleText(page.getByRole('heading', { name: `Master Activity ${month}, Harbor Youth Advocates`, level: 1 }));
    const advocates = page.getByRole('table', { name: 'Master Activity by Advocate' });
    expect(await visibleText(advocates.getByRole('row').nth(1))).toMatch(/^Taylor Jones\s+12\s+4:20$/);
    expect(await visibleText(page.getByRole('table', { name: 'Totals by Activity Type' }))).toMatch(/Total Administrative Task:\s+1\s+0:20[\s\S]*Total Advocacy:\s+11\s+4:00[\s\S]*Grand Total:\s+12\s+4:20/);

    // The advocate's name opens their activities: by type, then date, ten a page.
    await advocates.getByRole('button', { name: 'Taylor Jones' }).click();
    const mine = page.getByRole('table', { name: 'Master Activity of Taylor Jones' });
    expect(await visibleText(mine.getByRole('row').nth(1))).toMatch(/^\d{2}\/02\/\d{4}\s+A-\d+\s+Administrative Task\s+Documentation\/Reports\s+Yes\s+1\s+1\s+0:20$/);
    expect(await visibleText(mine.getByRole('row').nth(2))).toMatch(/^Total Administrative Task:\s+0:20$/);
    expect(await visibleText(mine.getByRole('row').nth(3))).toMatch(/^\d{2}\/01\/\d{4}\s+A-\d+\s+Advocacy\s+Face to Face \(Youth\)\s+Yes\s+1\s+1\s+1:30$/);
    expect(await mine.getByRole('row').count()).toBe(12); // header, 10 activities, one type's total
    expect(await visibleText(mine)).not.toMatch(/Total Advocacy|Total Taylor Jones/);
    expect(await visibleText(page.getByText(/1–10 of 12/))).toBeTruthy();
    await checkScreen('admin-master-activity');

    await page.getByRole('button', { name: 'Go to next page' }).last().click();
    await visibleText(page.getByText(/11–12 of 12/));
    expect(await mine.getByRole('row').count()).toBe(5); // header, 2 activities, the type's and the advocate's totals
    expect(await visibleText(mine)).toMatch(/\d{2}\/11\/\d{4}[\s\S]*\d{2}\/12\/\d{4}[\s\S]*Total Advocacy:\s+4:00\s+Total Taylor Jones:\s+4:20$/);

    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Submit' }).click();
    expect(await visibleText(page.getByRole('status'))).toMatch(/Submitted by Sofia Ramirez on \d{2}\/\d{2}\/\d{4}.*grand total 4:20/);
    expect(await page.getByRole('button', { name: 'Submit', exact: true }).isDisabled()).toBe(true);
  });
});

describe('admin: who does not administer accounts', () => {
  it('has no Admin menu and is refused by the API', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, ui.baseUrl, 'advocate.chen@example.org');
    const menu = page.getByRole('navigation', { name: 'Main' });
    await menu.getByRole('link', { name: 'Home' }).waitFor();
    expect(await menu.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    const status = await page.evaluate(async () => (await fetch('/api/users')).status);
    expect(status).toBe(403);
    await page.goto(ui.baseUrl + '/admin/users');
    expect(await visibleText(page.getByRole('alert').first())).toMatch(/does not include managing user accounts/);
  });
});
