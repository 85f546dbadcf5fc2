/**
 * Home as a worker: search by name and by referral #, the Non-Closed default, sorting, paging,
 * Create Assignment (ends on the document screen of the new referral), and the screen at 768 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, screenshot, signIn, startUiEngine, visibleText, type UiEngine } from '../support/browser.js';

let ui: UiEngine;
let browser: Browser;
let page: Page;

const listing = () => page.getByRole('table', { name: 'Assignments' });
const bodyRows = () => listing().locator('tbody tr');
const rowTexts = async () => (await bodyRows().allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
/** Waits until the listing shows `total`. */
const totalIs = (total: number) => page.getByText(`Total: ${total}`, { exact: true }).waitFor();

beforeAll(async () => {
  [ui, browser] = await Promise.all([startUiEngine(), launchBrowser()]);
  // More assignments than a page holds: twelve youths the worker opens through the API.
  const worker = await ui.login('csw.garcia@example.org');
  for (let i = 1; i <= 12; i++) {
    const res = await worker.post('/api/cases', { caseType: 'assignment', data: { youthFirstName: `Pat${i}`, youthLastName: `Zeta${String(i).padStart(2, '0')}`, leadAgency: 'DCFS' } });
    expect(res.status).toBe(201);
  }
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10_000); // a missing element fails with its locator, inside the test's time
  await signIn(page, ui.baseUrl, 'csw.garcia@example.org');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await ui?.stop();
});

describe('home screen', () => {
  it('lists the worker\'s assignments, Non-Closed by default, ten a page with the total', async () => {
    await visibleText(page.getByRole('heading', { name: 'Assignment Listing' }));
    expect(await visibleText(page.getByLabel('Status'))).toBe('Non-Closed');
    await totalIs(15); // Doe, Roe, Quill and the twelve
    expect(await bodyRows().count()).toBe(10);
    for (const label of ['Assignment #', 'Referral #', 'Referral Date', 'Youth Name', 'County Agency', 'Task', 'Alert']) {
      await listing().getByRole('columnheader', { name: label }).waitFor();
    }
    await expectAccessible(page, 'home');
    await screenshot(page, 'home-worker-listing');
  });

  it('sorts by youth name both ways and pages', async () => {
    await listing().getByRole('button', { name: 'Youth Name' }).click();
    await page.waitForFunction(() => document.querySelector('tbody tr td:nth-child(4)')?.textContent === 'Jamie Doe');
    expect((await rowTexts())[1]).toContain('Rene Quill');
    await listing().getByRole('button', { name: 'Youth Name' }).click();
    await page.waitForFunction(() => document.querySelector('tbody tr td:nth-child(4)')?.textContent === 'Pat12 Zeta12');
    await page.getByRole('button', { name: 'Go to next page' }).click();
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 5);
    const last = await rowTexts();
    expect(last[last.length - 1]).toContain('Jamie Doe');
    expect(await visibleText(page.getByText(/^11–15 of 15$/))).toBeTruthy();
  });

  it('searches by youth name and by referral #, and Clear brings the default back', async () => {
    await page.getByLabel('Youth Last Name').fill('ro');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await totalIs(1);
    expect((await rowTexts())[0]).toContain('Alex Roe');
    await page.getByRole('button', { name: 'Clear' }).click();
    await totalIs(15);
    await page.getByLabel('Referral #').fill('1000-2001-3001');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await totalIs(1);
    expect((await rowTexts())[0]).toContain('Jamie Doe');
    // a referral of another worker's unit is outside the scope: nothing found
    await page.getByLabel('Referral #').fill('1000-2001-3004');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await totalIs(0);
    await visibleText(page.getByText('No assignments match this search.'));
    await page.getByRole('button', { name: 'Clear' }).click();
    await totalIs(15);
    expect(await visibleText(page.getByLabel('Status'))).toBe('Non-Closed');
  });

  it('filters by a single status', async () => {
    await page.getByLabel('Status').click();
    await page.getByRole('option', { name: 'Active', exact: true }).click();
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await totalIs(1);
    expect((await rowTexts())[0]).toContain('Rene Quill');
    await page.getByRole('button', { name: 'Clear' }).click();
    await totalIs(15);
  });

  it('works at tablet width (768 px)', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await visibleText(page.getByRole('heading', { name: 'Assignment Listing' }));
    await page.getByRole('button', { name: 'Create Assignment' }).waitFor();
    await expectAccessible(page, 'home at 768 px');
    await screenshot(page, 'home-worker-768');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('Create Assignment asks the youth first, opens a case and lands on its referral document', async () => {
    await page.getByRole('button', { name: 'Create Assignment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create Assignment' });
    await dialog.getByLabel(/^Youth First Name/).fill('Lee');
    await dialog.getByLabel(/^Youth Last Name/).fill('Newcase');
    await dialog.getByLabel(/^DOB/).fill('2012-02-03');
    await dialog.getByLabel(/^Language/).fill('English');
    await dialog.getByLabel(/^Lead Agency/).click();
    await page.getByRole('option', { name: 'DCFS' }).click();
    await dialog.getByRole('button', { name: 'Create Assignment' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f]{24}$/);
    const documentId = page.url().split('/').pop()!;
    const worker = await ui.login('csw.garcia@example.org');
    const doc = await worker.get(`/api/documents/${documentId}`);
    expect(doc.status).toBe(200);
    expect(doc.body).toMatchObject({ form: 'csec-referral', stage: 'draft' });
    const opened = await worker.get(`/api/cases/${doc.body.caseId}`);
    expect(opened.body).toMatchObject({ status: 'New', data: { youthLastName: 'Newcase', leadAgency: 'DCFS' }, people: [{ role: 'CSW', userId: expect.any(String) }] });
  });
});
