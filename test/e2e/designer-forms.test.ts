/**
 * The form designer and the case type editor in Debian's chromium: an administrator shortens the
 * FRP Intake due window from 14 to 10 days (the case type's deliverables) and adds a required
 * field to the Safety Plan, publishing both; through the API a new case then gets the new due
 * date and form version, while a Safety Plan started before keeps its form version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Client } from '../support/engine.js';
import { expectAccessible, launchBrowser, screenshot, signIn, startUiEngine, visibleText, type UiEngine } from '../support/browser.js';

let ui: UiEngine;
let browser: Browser;
let page: Page;
let admin: Client;
let worker: Client;
let advocate: Client;
let workerId: string;
let advocateId: string;

const youth = { youthFirstName: 'Robin', youthLastName: 'Example', dob: '2011-05-06', language: 'English', leadAgency: 'DCFS', advocacyAgency: 'Harbor Youth Advocates' };

beforeAll(async () => {
  [ui, browser] = await Promise.all([startUiEngine(), launchBrowser()]);
  admin = await ui.login('program.admin@example.org');
  worker = await ui.login('csw.garcia@example.org');
  advocate = await ui.login('advocate.jones@example.org');
  workerId = (await worker.get('/api/auth/me')).body.userId;
  advocateId = (await advocate.get('/api/auth/me')).body.userId;
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10_000);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await ui?.stop();
});

/** An FRP case assigned on Monday 03/02/2026 (FRP Intake due 14 days later under the shipped rules). */
async function openFrpCase() {
  const res = await worker.post('/api/cases', {
    caseType: 'assignment',
    data: { ...youth, assignmentDate: '2026-03-02', referralType: 'FRP Response Only' },
    people: [{ role: 'CSW', userId: workerId }, { role: 'Advocate', userId: advocateId }],
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function frpIntakeDue(caseId: string): Promise<string> {
  const res = await advocate.get(`/api/cases/${caseId}/deliverables`);
  expect(res.status).toBe(200);
  return res.body.find((d: any) => d.key === 'frp-intake').dueDate;
}

async function startSafetyPlan(caseId: string) {
  const res = await advocate.post(`/api/cases/${caseId}/documents`, { form: 'safety-plan' });
  expect(res.status).toBe(201);
  return res.body;
}

describe('form designer and case type deliverables', () => {
  let oldCase: any;
  let oldDraft: any;
  let safetyPlanVersion: number;

  beforeAll(async () => {
    oldCase = await openFrpCase();
    expect(await frpIntakeDue(oldCase._id)).toBe('2026-03-16');
    oldDraft = await startSafetyPlan(oldCase._id);
    safetyPlanVersion = (await admin.get('/api/definitions/form/safety-plan')).body.version;
    expect(oldDraft.formVersion).toBe(safetyPlanVersion);
  });

  it('changes the FRP Intake due window in the deliverables editor and publishes the case type', async () => {
    const before = (await admin.get('/api/definitions/caseType/assignment')).body.version;
    await signIn(page, ui.baseUrl, 'program.admin@example.org');
    await page.goto(ui.baseUrl + '/designer/case-types/assignment');
    const due = page.getByLabel('Due: FRP Intake');
    expect(await due.inputValue()).toBe('P14D');
    await due.fill('P10D');
    expect(await page.getByLabel('Raw JSON').inputValue()).toContain('"due": "P10D"');
    await screenshot(page, 'designer-case-type-deliverables');
    await page.getByRole('button', { name: 'Validate' }).click();
    await visibleText(page.getByRole('status').filter({ hasText: 'No problems' }));
    await page.getByRole('button', { name: 'Publish new version' }).click();
    expect(await visibleText(page.getByRole('status').filter({ hasText: /^Published as/ }))).toBe(`Published as version ${before + 1}.`);
  });

  it('refuses raw JSON that is not a valid case type, naming the field', async () => {
    const raw = page.getByLabel('Raw JSON');
    const content = JSON.parse(await raw.inputValue());
    content.deliverables[0].due = 'fourteen days';
    // On one line: Debian's Chromium 156 fills multi-line text as two input events a line (2,739 for
    // these 1,370 lines, each re-rendering the editor: 11 s), one line as one.
    await raw.fill(JSON.stringify(content));
    await page.getByRole('button', { name: 'Validate' }).click();
    expect(await visibleText(page.getByRole('list', { name: 'Problems to fix' }))).toMatch(/\/deliverables\/0\/due/);
  });

  it('adds a required field to the Safety Plan with a live preview and publishes it', async () => {
    await page.goto(ui.baseUrl + '/designer/forms/safety-plan');
    await page.getByRole('tree', { name: 'Form structure' }).waitFor();
    await page.getByLabel('New field label').fill('Emergency contact');
    await page.getByRole('button', { name: 'Add Text' }).click();
    // The new field is selected: make it required.
    await page.getByRole('checkbox', { name: 'Required' }).check();
    const tree = page.getByRole('tree', { name: 'Form structure' });
    const item = tree.getByRole('treeitem', { name: /Emergency contact/ });
    expect(await item.getAttribute('aria-selected')).toBe('true');

    // Keyboard reorder: Alt+Arrow Up moves it before its previous sibling.
    const rowsBefore = await tree.getByRole('treeitem').allInnerTexts();
    await item.focus();
    await item.press('Alt+ArrowUp');
    const rowsAfter = await tree.getByRole('treeitem').allInnerTexts();
    const at = (rows: string[]) => rows.findIndex((r) => r.includes('Emergency contact'));
    expect(at(rowsAfter)).toBeLessThan(at(rowsBefore));

    // Drag onto another field: placed just before it.
    await item.dragTo(tree.getByRole('treeitem', { name: /^• Coping Skills/ }));
    const rowsDragged = await tree.getByRole('treeitem').allInnerTexts();
    expect(rowsDragged[at(rowsDragged) + 1]).toMatch(/^• Coping Skills/);

    // The preview draws the field and checks sample data against the schema.
    expect(await visibleText(page.getByRole('status', { name: 'Sample data check' }))).toMatch(/problem/);
    await page.getByRole('tabpanel').getByLabel(/Emergency contact/).first().waitFor();
    await expectAccessible(page, 'form designer');
    await screenshot(page, 'designer-form');

    await page.getByRole('tab', { name: 'Raw JSON' }).click();
    const schemaText = JSON.parse(await page.getByLabel('JSON Schema').inputValue());
    expect(schemaText.properties.emergencyContact).toMatchObject({ type: 'string', title: 'Emergency contact' });
    expect(schemaText.required).toContain('emergencyContact');
    await screenshot(page, 'designer-form-raw-json');

    await page.getByRole('button', { name: 'Publish new version' }).click();
    expect(await visibleText(page.getByRole('status').filter({ hasText: /^Published as/ }))).toBe(`Published as version ${safetyPlanVersion + 1}.`);
    expect(await visibleText(page.getByRole('list', { name: 'Field changes' }))).toMatch(/Added Emergency contact \(\/emergencyContact\), required/);
    // The draft started before keeps the old version, and the designer says so.
    const inProgress = await visibleText(page.getByRole('region', { name: 'In-progress documents on older versions' }));
    expect(inProgress).toMatch(new RegExp(`Version ${safetyPlanVersion}: \\d+ document\\(s\\) keep it`));
    expect(inProgress).toContain(oldDraft._id);
  });

  it('gives a new case the new due date and form version; the document started before keeps its version', async () => {
    const newCase = await openFrpCase();
    expect(await frpIntakeDue(newCase._id)).toBe('2026-03-12');
    const newDraft = await startSafetyPlan(newCase._id);
    expect(newDraft.formVersion).toBe(safetyPlanVersion + 1);
    expect((await advocate.get(`/api/documents/${oldDraft._id}`)).body.formVersion).toBe(safetyPlanVersion);
    // The case opened before keeps the rules of its case type version: 14 days from the same anchor day.
    expect(await frpIntakeDue(oldCase._id)).toBe('2026-03-16');
  });
});

describe('lookups and holiday calendar', () => {
  it('adds and retires a lookup code and publishes; adds a holiday to the calendar', async () => {
    const before = (await admin.get('/api/definitions/lookup/languages')).body;
    await page.goto(ui.baseUrl + '/designer/lookups/languages');
    await page.getByRole('table', { name: 'Codes' }).waitFor();
    await page.getByLabel('New code', { exact: true }).fill('Tagalog-2');
    await page.getByLabel('New label', { exact: true }).fill('Tagalog (Filipino)');
    await page.getByRole('button', { name: 'Add code' }).click();
    const firstCode = before.content.items[0].code;
    await page.getByRole('checkbox', { name: `Retire ${firstCode}` }).check();
    await screenshot(page, 'designer-lookup');
    await page.getByRole('button', { name: 'Publish new version' }).click();
    await visibleText(page.getByRole('status').filter({ hasText: /^Published as/ }));
    const after = (await admin.get('/api/definitions/lookup/languages')).body;
    expect(after.version).toBe(before.version + 1);
    expect(after.content.items.find((i: any) => i.code === firstCode).retired).toBe(true);
    expect(after.content.items.at(-1)).toEqual({ code: 'Tagalog-2', label: 'Tagalog (Filipino)' });

    const calendar = (await admin.get('/api/definitions/calendar/business')).body;
    await page.goto(ui.baseUrl + '/designer/calendar');
    await page.getByLabel('Holiday', { exact: true }).fill('2027-12-31');
    await page.getByRole('button', { name: 'Add holiday' }).click();
    await page.getByRole('button', { name: 'Remove holiday 12/31/2027' }).waitFor();
    await screenshot(page, 'designer-calendar');
    await page.getByRole('button', { name: 'Publish new version' }).click();
    await visibleText(page.getByRole('status').filter({ hasText: /^Published as/ }));
    const published = (await admin.get('/api/definitions/calendar/business')).body;
    expect(published.version).toBe(calendar.version + 1);
    expect(published.content.holidays).toContain('2027-12-31');
  });

  it('works at tablet width', async () => {
    await page.setViewportSize({ width: 768, height: 1000 });
    await page.goto(ui.baseUrl + '/designer/forms/safety-plan');
    await page.getByRole('tree', { name: 'Form structure' }).waitFor();
    await expectAccessible(page, 'form designer at 768 px');
    await screenshot(page, 'designer-form-tablet');
  });
});
