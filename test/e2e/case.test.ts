/**
 * The case screen as the advocate of an active assignment: edits the Client Summary, sees the
 * Advocacy Plan phases, logs an activity in the dialog, uploads a file with a description and
 * downloads it; each tab passes the accessibility check, and the screen works at 768 px.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, screenshot, signIn, startUiEngine, visibleText, type UiEngine } from '../support/browser.js';
import type { Client } from '../support/engine.js';

let ui: UiEngine;
let browser: Browser;
let page: Page;
let advocate: Client;
let caseId: string;

beforeAll(async () => {
  [ui, browser] = await Promise.all([startUiEngine(), launchBrowser()]);
  advocate = await ui.login('advocate.jones@example.org');
  caseId = (await advocate.get('/api/cases?caseType=assignment&f.referralNumber=1000-2001-3003')).body.items[0]._id; // Sam Poe, Active
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page.setDefaultTimeout(10_000);
  await signIn(page, ui.baseUrl, 'advocate.jones@example.org');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await ui?.stop();
});

const tab = (name: string) => page.getByRole('tab', { name });

describe('case screen', () => {
  it('opens from the listing and edits the Client Summary', async () => {
    await page.getByRole('table', { name: 'Assignments' }).getByRole('row').filter({ hasText: 'Sam Poe' }).getByRole('link').click();
    await page.waitForURL(`${ui.baseUrl}/cases/${caseId}`);
    await visibleText(page.getByRole('heading', { level: 1, name: /Sam Poe/ }));
    for (const name of ['Client Summary', 'Advocacy Plan', 'Advocate Activity', 'Documents']) await tab(name).waitFor();
    await page.getByLabel('AKA').fill('Sammy');
    await page.getByRole('button', { name: 'Save' }).click();
    await visibleText(page.getByRole('status').filter({ hasText: 'Saved.' }));
    expect((await advocate.get(`/api/cases/${caseId}`)).body.data.clientSummary.aka).toBe('Sammy');
    await expectAccessible(page, 'client summary');
    await screenshot(page, 'case-client-summary');
  });

  it('shows the Advocacy Plan phases with their status and due day', async () => {
    await tab('Advocacy Plan').click();
    const phases = page.getByRole('table', { name: 'Advocacy Plan phases' });
    const first = phases.getByRole('row').filter({ hasText: 'Phase I (Crisis/Stabilization)' });
    expect(await visibleText(first)).toMatch(/Open|Due soon|Overdue/);
    expect(await visibleText(phases.getByRole('row').filter({ hasText: 'Phase II (Stabilization' }))).toMatch(/Not open yet/);
    await expectAccessible(page, 'advocacy plan');
    await screenshot(page, 'case-advocacy-plan');
  });

  it('logs an activity in the dialog and lists it', async () => {
    await tab('Advocate Activity').click();
    await page.getByRole('button', { name: 'Add Activity' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Narrative').fill('Met the youth at school; talked about the safety plan.');
    await dialog.getByLabel('Service Units (HH:MM)').fill('01:30');
    await expectAccessible(page, 'activity dialog');
    await screenshot(page, 'case-activity-dialog');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('table', { name: 'Activities' }).getByRole('row').filter({ hasText: '01:30' });
    expect(await visibleText(row)).toMatch(/edit/i);
    // saved as a draft of the activity form on this case
    const docs = (await advocate.get(`/api/cases/${caseId}/documents`)).body.filter((d: any) => d.form === 'advocate-activity');
    expect(docs).toHaveLength(1);
    expect((await advocate.get(`/api/documents/${docs[0]._id}`)).body.data.narrative).toMatch(/safety plan/);
    await expectAccessible(page, 'activity list');
  });

  it('uploads a file with a description and downloads it', async () => {
    await tab('Documents').click();
    await page.getByRole('table', { name: 'Documents' }).getByRole('row').filter({ hasText: 'FRP Intake' }).waitFor();
    await page.getByLabel('Description').fill('School attendance letter');
    await page.getByLabel('File to upload').setInputFiles({ name: 'attendance.txt', mimeType: 'text/plain', buffer: Buffer.from('Attended every day in May.') });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const row = page.getByRole('table', { name: 'Files' }).getByRole('row').filter({ hasText: 'attendance.txt' });
    expect(await visibleText(row)).toContain('School attendance letter');
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: 'attendance.txt' }).click()]);
    expect(download.suggestedFilename()).toBe('attendance.txt');
    expect(await readFile((await download.path())!, 'utf8')).toBe('Attended every day in May.');
    await expectAccessible(page, 'documents');
    await screenshot(page, 'case-documents');
  });

  it('works at tablet width (768 px)', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await tab('Client Summary').click();
    await page.getByLabel('AKA').waitFor();
    await expectAccessible(page, 'case at 768 px');
    await screenshot(page, 'case-768');
  });
});
