/**
 * The document screen in Debian's chromium, as the demo advocate on a real CTS assignment: a Safety
 * Plan saved as a draft with required fields missing, Submit listing and focusing what is missing,
 * then Sign + Submit and a read-only document; nothing typed is lost when the session times out;
 * HH:MM service units with the computed minutes refreshed after Save; a funds request's item table
 * with totals and a receipt uploaded to the case files; an Advocacy Plan's history with the
 * worker's decision and reason. Each state is checked with axe and photographed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, screenshot, signIn, startUiEngine, visibleText, type UiEngine } from '../support/browser.js';
import type { Client } from '../support/engine.js';
import { merge, SAMPLES } from '../support/cts-samples.js';
import { typeDate } from '../support/ui-steps.js';

const ADVOCATE = 'advocate.jones@example.org';
const ADVOCATE_NAME = 'Taylor Jones';

let ui: UiEngine;
let browser: Browser;
let page: Page;
let advocate: Client;
let caseId: string;
let caseNumber: string;

async function startDocument(form: string): Promise<any> {
  const res = await advocate.post(`/api/cases/${caseId}/documents`, { form });
  expect(res.status).toBe(201);
  return res.body;
}

async function openDocument(id: string, heading: string) {
  await page.goto(`${ui.baseUrl}/documents/${id}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** The label of the form control holding the focus. */
async function focusedFieldLabel(): Promise<string> {
  return page.evaluate(() => {
    const control = document.activeElement?.closest('.MuiFormControl-root') ?? document.activeElement?.closest('[role=group]');
    return control?.querySelector('label, [id$=-label]')?.textContent ?? document.activeElement?.getAttribute('aria-label') ?? '';
  });
}

const saveStatus = () => page.getByRole('status').filter({ hasText: /saved|Saving|Unsaved/ });

beforeAll(async () => {
  [ui, browser] = await Promise.all([startUiEngine(), launchBrowser()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10_000);
  advocate = await ui.login(ADVOCATE);
  const cases = (await advocate.get('/api/cases?limit=50')).body.items as { _id: string; number: string; status: string }[];
  const active = cases.find((c) => c.status === 'Active')!;
  expect(active).toBeDefined();
  caseId = active._id;
  caseNumber = active.number;
  await signIn(page, ui.baseUrl, ADVOCATE);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await ui?.stop();
});

describe('a Safety Plan', () => {
  let docId: string;

  it('opens prefilled from the case, with its status and dates, and saves a draft with required fields missing', async () => {
    docId = (await startDocument('safety-plan'))._id;
    await openDocument(docId, 'Safety Plan');
    expect(await visibleText(page.getByRole('link', { name: caseNumber }))).toBe(caseNumber);
    expect(await page.getByLabel('Youth First Name').inputValue()).not.toBe('');
    expect(await visibleText(page.locator('dl'))).toMatch(/Started\s+\d{2}\/\d{2}\/\d{4}/);
    await page.getByLabel('Current Safety Concerns').fill('Contact with an exploiter online');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await saveStatus().filter({ hasText: 'All changes saved' }).waitFor();
    expect((await advocate.get(`/api/documents/${docId}`)).body.data.safetyConcerns).toBe('Contact with an exploiter online');
    await expectAccessible(page, 'document draft');
    await screenshot(page, 'document-draft');
  });

  it('says "All changes saved" only once the typing that Save waited for is saved', async () => {
    await page.getByLabel('Current Safety Concerns').fill('Contact with an exploiter online, twice');
    // Pressed while the field still has the focus: the typing reaches the form only after its
    // 300 ms debounce, so the status must not claim it is saved before then.
    await page.getByRole('button', { name: 'Save', exact: true }).evaluate((button: HTMLButtonElement) => button.click());
    await saveStatus().filter({ hasText: 'All changes saved' }).waitFor();
    expect((await advocate.get(`/api/documents/${docId}`)).body.data.safetyConcerns).toBe('Contact with an exploiter online, twice');
  });

  it('lists every missing field on Submit, focuses the first, and shows the errors inline', async () => {
    await page.getByRole('button', { name: 'Submit' }).click();
    const list = page.getByRole('list', { name: 'Fields to fix' });
    const text = await visibleText(list);
    expect(text).toContain('Date of Safety Plan is required');
    expect(text).toContain('Coping Skills is required');
    expect(text).toContain('Trusted Members is required');
    expect(text).toContain('Signature: type your name');
    expect(await focusedFieldLabel()).toContain('Date of Safety Plan');
    // Inline under the field too.
    expect(await page.getByText('Coping Skills is required').count()).toBeGreaterThan(1);
    // Each entry links to its field.
    await list.getByRole('link', { name: /Coping Skills is required/ }).click();
    expect(await focusedFieldLabel()).toContain('Coping Skills');
    await expectAccessible(page, 'document submit problems');
    await screenshot(page, 'document-submit-problems');
  });

  it('signs and submits once the fields are filled; the document is then read-only with its history', async () => {
    await typeDate(page, 'Date of Safety Plan', '03/01/2026');
    await page.getByLabel('Youth participated in developing the plan').check();
    await page.getByLabel('Coping Skills').fill('Breathing exercises, calling the advocate');
    await page.getByLabel('What the youth will do when feeling unsafe').fill('Call 911, then the advocate');
    await page.getByRole('button', { name: 'Add a row to Trusted Members' }).click();
    await page.getByLabel('Name (row 1)').fill('Aunt Rosa');
    await page.getByRole('button', { name: 'Sign', exact: true }).click();
    // The server is the authority on the signature: a name other than the account's is refused, and said so.
    const signature = page.getByLabel(/^Signature \(your full name\)/);
    await signature.fill('T. Jones');
    await page.getByRole('button', { name: 'Submit' }).click();
    const refused = page.getByRole('list', { name: 'Fields to fix' }).getByText(`type your name as it appears on your account (${ADVOCATE_NAME})`, { exact: false });
    await refused.waitFor();
    expect(await page.getByRole('list', { name: 'Fields to fix' }).getByRole('listitem').count()).toBe(1);
    expect(await visibleText(page.locator('#document-signature-helper-text'))).toContain('type your name as it appears');
    expect((await advocate.get(`/api/documents/${docId}`)).body.stage).toBe('draft');
    await signature.fill(ADVOCATE_NAME);
    await screenshot(page, 'document-signed');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByText('This document has been submitted and is read-only.').waitFor();
    expect(await visibleText(page.getByLabel('Status: Completed'))).toBe('Completed'); // what the deliverable's process made of it
    expect(await page.getByLabel('Coping Skills').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Submit' }).count()).toBe(0);
    expect(await visibleText(page.locator('dl'))).toContain(`Signed${ADVOCATE_NAME}`.replace('Signed', 'Signed\n'));
    const stored = (await advocate.get(`/api/documents/${docId}`)).body;
    expect(stored).toMatchObject({ stage: 'submitted', data: { planDate: '2026-03-01', trustedMembers: [{ name: 'Aunt Rosa' }] }, signature: { signerName: ADVOCATE_NAME } });
    expect(await visibleText(page.getByRole('region', { name: 'History' }))).toContain('deliverable-submitted');
    await expectAccessible(page, 'document submitted');
    await screenshot(page, 'document-submitted');
  });

  it('prints read-only with the case number and the title, without the buttons', async () => {
    await page.evaluate(() => {
      (window as any).printed = 0;
      window.print = () => { (window as any).printed++; };
    });
    await page.getByRole('button', { name: 'Print / PDF' }).click();
    await page.waitForFunction(() => (window as any).printed === 1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: 'Print / PDF' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(false);
    expect(await visibleText(page.getByRole('heading', { level: 1 }))).toBe('Safety Plan');
    expect(await page.getByRole('link', { name: caseNumber }).isVisible()).toBe(true);
    await screenshot(page, 'document-print');
    await page.emulateMedia({ media: 'screen' });
  });
});

describe('an Advocate Activity', () => {
  let docId: string;

  it('keeps what was typed when the session times out, and restores it after signing in again', async () => {
    docId = (await startDocument('advocate-activity'))._id;
    await openDocument(docId, 'Advocate Activity');
    await page.context().clearCookies();
    await page.getByLabel('Narrative').fill('Met the youth at school; planned next steps');
    // The autosave meets the ended session: the sign-in screen comes, the typing stays on this device.
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'document-session-timeout');
    await page.getByLabel(/^E-mail/).fill(ADVOCATE);
    await page.getByLabel(/^Password/).fill('Demo-Pass-2026!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Advocate Activity' }).waitFor();
    expect(page.url()).toBe(`${ui.baseUrl}/documents/${docId}`);
    expect(await visibleText(page.getByText('Your unsaved changes were restored', { exact: false }))).toBeTruthy();
    expect(await page.getByLabel('Narrative').inputValue()).toBe('Met the youth at school; planned next steps');
    await saveStatus().filter({ hasText: 'All changes saved' }).waitFor();
    expect((await advocate.get(`/api/documents/${docId}`)).body.data.narrative).toBe('Met the youth at school; planned next steps');
  });

  it('masks HH:MM service units and refreshes the computed minutes after Save', async () => {
    const units = page.getByLabel('Service Units (HH:MM)');
    await units.pressSequentially('130');
    expect(await units.inputValue()).toBe('1:30');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await saveStatus().filter({ hasText: 'All changes saved' }).waitFor();
    await page.waitForFunction(() => (document.querySelector('[id="#/properties/serviceMinutes-input"]') as HTMLInputElement | null)?.value === '90');
    expect((await advocate.get(`/api/documents/${docId}`)).body.data).toMatchObject({ serviceUnits: '1:30', serviceMinutes: 90 });
    // A lookup field offers the lookup's labels.
    await page.getByLabel('Activity Type').click();
    await page.getByRole('option', { name: 'Youth Workshop' }).click();
    await expectAccessible(page, 'activity');
    await screenshot(page, 'document-activity-hhmm');
  });
});

describe('a document changed elsewhere meanwhile', () => {
  it('explains the conflict without losing the input, and saves it over the newer version when asked', async () => {
    const doc = await startDocument('safety-plan');
    await openDocument(doc._id, 'Safety Plan');
    const elsewhere = await advocate.put(`/api/documents/${doc._id}`, { version: doc.version, data: { ...doc.data, safePlaces: 'Library' } });
    expect(elsewhere.status).toBe(200);
    await page.getByLabel('Coping Skills').fill('Music, drawing');
    const warning = page.getByRole('alert').filter({ hasText: 'was changed by' });
    expect(await visibleText(warning)).toContain(`changed by ${ADVOCATE_NAME}`);
    expect(await page.getByLabel('Coping Skills').inputValue()).toBe('Music, drawing');
    await expectAccessible(page, 'conflict');
    await screenshot(page, 'document-conflict');
    await warning.getByRole('button', { name: 'Keep my changes' }).click();
    await saveStatus().filter({ hasText: 'All changes saved' }).waitFor();
    expect((await advocate.get(`/api/documents/${doc._id}`)).body.data.copingSkills).toBe('Music, drawing');
  });
});

describe('an Auxiliary Funds Request', () => {
  it('edits the items as a table with a totals row, and uploads a receipt to the case files', async () => {
    const doc = await startDocument('auxiliary-funds-request');
    await openDocument(doc._id, 'Auxiliary Funds Request');
    const addItem = page.getByRole('button', { name: 'Add a row to Item(s) Requested' });
    await addItem.click();
    await page.getByLabel('Item Requested (row 1)').fill('Soccer cleats');
    await page.getByLabel('Quantity (row 1)').fill('2');
    await page.getByLabel('Projected Cost (row 1)').fill('10.5');
    await addItem.click();
    await page.getByLabel('Item Requested (row 2)').fill('Shin guards');
    await page.getByLabel('Quantity (row 2)').fill('1');
    await page.getByLabel('Projected Cost (row 2)').fill('4');
    const items = page.getByRole('region', { name: 'Item(s) Requested' });
    await page.waitForFunction(() => document.querySelector('[data-total=quantity]')?.textContent === '3');
    await page.waitForFunction(() => document.querySelector('[data-total=projectedCost]')?.textContent === '14.50');
    expect(await visibleText(items.locator('tfoot'))).toMatch(/^Total\s+3\s+14\.50/);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await saveStatus().filter({ hasText: 'All changes saved' }).waitFor();
    // The server computed each line's total and the request's total.
    await page.waitForFunction(() => document.querySelector('[data-total=projectedTotal]')?.textContent === '25');
    expect((await advocate.get(`/api/documents/${doc._id}`)).body.data).toMatchObject({ totalProjectedCost: 25, items: [{ projectedTotal: 21 }, { projectedTotal: 4 }] });

    await page.getByRole('button', { name: 'Add a row to Receipts' }).click();
    await page.getByLabel('Receipt (uploaded file) (row 1): file').setInputFiles({ name: 'cleats-receipt.txt', mimeType: 'text/plain', buffer: Buffer.from('Sports store receipt: $25.00') });
    await page.getByLabel('Receipt (uploaded file) (row 1): description').fill('Store receipt');
    await page.getByRole('button', { name: 'Upload Receipt (uploaded file) (row 1)' }).click();
    const link = page.getByRole('link', { name: 'cleats-receipt.txt' });
    await link.waitFor();
    await saveStatus().filter({ hasText: 'All changes saved' }).waitFor();
    const fileId = (await advocate.get(`/api/documents/${doc._id}`)).body.data.receipts[0].receipt;
    expect(await link.getAttribute('href')).toBe(`/api/files/${fileId}`);
    const download = await page.request.get(`${ui.baseUrl}/api/files/${fileId}`);
    expect(await download.text()).toBe('Sports store receipt: $25.00');
    const files = (await advocate.get(`/api/cases/${caseId}/files`)).body;
    expect(files).toContainEqual(expect.objectContaining({ id: fileId, description: 'Store receipt' }));
    await expectAccessible(page, 'funds request');
    await screenshot(page, 'document-funds-table-upload');
    await page.setViewportSize({ width: 768, height: 1024 });
    await screenshot(page, 'document-funds-tablet');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

describe('an Advocacy Plan sent back by the worker', () => {
  it('shows the history of decisions with the reason, and is editable again', async () => {
    const draft = await startDocument('advocacy-plan');
    const submitted = await advocate.post(`/api/documents/${draft._id}/submit`, {
      version: draft.version, data: merge(draft.data, SAMPLES['advocacy-plan'].data), signature: { name: ADVOCATE_NAME },
    });
    expect(submitted.status).toBe(200);
    let reviewerEmail = '';
    for (const email of ['dpo.nguyen@example.org', 'csw.okafor@example.org', 'csw.garcia@example.org', 'csw.dalton@example.org']) {
      const reviewer = await ui.login(email);
      const [task] = (await reviewer.get(`/api/tasks?caseId=${caseId}`)).body as any[];
      if (!task) continue;
      expect((await reviewer.post(`/api/tasks/${task._id}/complete`, { decision: 'reject', reason: 'Add the school goals' })).status).toBe(200);
      reviewerEmail = email;
      break;
    }
    expect(reviewerEmail).not.toBe('');
    await openDocument(draft._id, 'Advocacy Plan');
    const history = page.getByRole('region', { name: 'History' });
    const row = history.getByRole('row').filter({ hasText: 'reject' });
    expect(await visibleText(row)).toContain('Add the school goals');
    expect(await page.getByRole('button', { name: 'Submit' }).count()).toBe(1);
    await expectAccessible(page, 'advocacy plan history');
    await screenshot(page, 'document-history');

    // The reviewer sees the same document, read-only: their role may not change advocacy plans.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const reviewerPage = await context.newPage();
    await signIn(reviewerPage, ui.baseUrl, reviewerEmail);
    await reviewerPage.goto(`${ui.baseUrl}/documents/${draft._id}`);
    await reviewerPage.getByText('You may read this document but not change it.').waitFor();
    expect(await reviewerPage.getByRole('button', { name: 'Submit' }).count()).toBe(0);
    expect(await reviewerPage.getByLabel('Strengths').isDisabled()).toBe(true);
    await screenshot(reviewerPage, 'document-read-only-reviewer');
    await context.close();
  });
});
