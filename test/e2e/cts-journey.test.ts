/**
 * The whole CTS journey in chromium, as the real demo roles, each in a browser context of its own
 * signed in through the sign-in screen, every action through the UI (the API only reads, to check):
 * a worker creates and submits a referral; the supervisor rejects it with a reason; the worker
 * sees the reason, fixes and resubmits; supervisor and CSEC admin approve (the admin assigning the
 * agency); the agency admin assigns the advocate; the advocate fills the Client Summary, logs an
 * activity, saves a Safety Plan draft and submits it, then creates and submits an Advocacy Plan; the
 * worker and the supervisor approve it in their task inbox. Each screen is checked with axe and
 * photographed as journey-NN-<step>.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, screenshot, startUiEngine, visibleText, type UiEngine } from '../support/browser.js';
import type { Client } from '../support/engine.js';
import { decideTask, openInbox, signAndSubmit, signedInPage, typeDate } from '../support/ui-steps.js';

const WORKER = { email: 'csw.garcia@example.org', name: 'Maria Garcia' };
const SUPERVISOR = { email: 'scsw.lee@example.org', name: 'Grace Lee' };
const ADMIN = { email: 'csec.admin.dcfs@example.org' };
const AGENCY_ADMIN = { email: 'agency.admin@example.org' };
const ADVOCATE = { email: 'advocate.jones@example.org', name: 'Taylor Jones' };
const YOUTH = { first: 'Dana', last: 'Journey', referral: '2026-0007-0001' };
const REASON = 'Add the attorney contact';
const STEP = 60_000;

let ui: UiEngine;
let browser: Browser;
const pages: Record<string, Page> = {};
let reader: Client; // the CPM, who sees every case: API reads for the assertions
let caseId = '';
let caseNumber = '';
let referralId = '';

/** The role's page, signed in on first use. */
async function as(email: string): Promise<Page> {
  pages[email] ??= await signedInPage(browser, ui.baseUrl, email);
  return pages[email];
}

async function home(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
  await visibleText(page.getByRole('heading', { name: 'Assignment Listing' }));
}

/** The listing row of the journey's youth. */
const listingRow = (page: Page) => page.getByRole('table', { name: 'Assignments' }).getByRole('row').filter({ hasText: `${YOUTH.first} ${YOUTH.last}` });
const inboxRow = async (page: Page, task: string) => (await openInbox(page)).getByRole('row').filter({ hasText: task }).filter({ hasText: caseNumber });

async function caseNow() {
  return (await reader.get(`/api/cases/${caseId}`)).body;
}

let shot = 0;
async function photograph(page: Page, step: string) {
  shot += 1;
  await screenshot(page, `journey-${String(shot).padStart(2, '0')}-${step}`);
}

beforeAll(async () => {
  [ui, browser] = await Promise.all([startUiEngine(), launchBrowser()]);
  reader = await ui.login('cpm.wilson@example.org');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await ui?.stop();
});

describe('the CTS journey', () => {
  it('the worker creates an assignment: the dialog asks the youth and the office first', async () => {
    const page = await as(WORKER.email);
    await page.getByRole('button', { name: 'Create Assignment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create Assignment' });
    await dialog.getByRole('button', { name: 'Create Assignment' }).click();
    expect(await visibleText(dialog.getByText('Youth First Name is required'))).toBeTruthy();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('create-youthFirstName');
    await dialog.getByLabel('Referral #').fill(YOUTH.referral);
    await dialog.getByLabel(/^Youth First Name/).fill(YOUTH.first);
    expect(await dialog.getByText('Youth First Name is required').count()).toBe(0); // typing clears the field's error
    await dialog.getByLabel(/^Youth Last Name/).fill(YOUTH.last);
    await dialog.getByLabel(/^DOB/).fill('2011-04-09');
    await dialog.getByLabel(/^Language/).fill('English');
    await dialog.getByLabel(/^Lead Agency/).click();
    await page.getByRole('option', { name: 'DCFS' }).click();
    await dialog.getByLabel(/^DCFS Office/).fill('Metro North');
    await expectAccessible(page, 'create assignment dialog');
    await photograph(page, 'create-assignment');
    await dialog.getByRole('button', { name: 'Create Assignment' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f]{24}$/);
    referralId = page.url().split('/').pop()!;
    const doc = (await reader.get(`/api/documents/${referralId}`)).body;
    expect(doc).toMatchObject({ form: 'csec-referral', stage: 'draft', data: { caseInfo: { youthFirstName: YOUTH.first, youthLastName: YOUTH.last } } });
    caseId = doc.caseId;
    const opened = await caseNow();
    caseNumber = opened.number;
    expect(opened).toMatchObject({ status: 'New', data: { leadAgency: 'DCFS', dcfsOffice: 'Metro North' } });
  }, STEP);

  it('the worker submits the referral: Submit lists what is missing, then it goes to the supervisor', async () => {
    const page = await as(WORKER.email);
    await page.getByRole('heading', { level: 1, name: 'CSEC Advocacy Referral' }).waitFor();
    await page.getByRole('button', { name: 'Submit' }).click();
    const problems = await visibleText(page.getByRole('list', { name: 'Fields to fix' }));
    for (const missing of ['Type of Referral is required', 'CSW/DPO Name is required', 'CSW/DPO Phone is required', 'CSW/DPO E-mail is required', 'SCSW/SDPO Name is required', 'Signature: type your name']) {
      expect(problems).toContain(missing);
    }
    await expectAccessible(page, 'referral submit problems');
    await photograph(page, 'referral-missing-fields');
    await page.getByLabel('FRP Response Only').check();
    await page.getByRole('tab', { name: 'II. Case Information' }).click();
    await page.getByLabel(/^CSW\/DPO Name/).fill(WORKER.name);
    await page.getByLabel(/^CSW\/DPO Phone/).fill('(555) 010-1001');
    await page.getByLabel(/^CSW\/DPO E-mail/).fill(WORKER.email);
    await page.getByLabel(/^SCSW\/SDPO Name/).fill(SUPERVISOR.name);
    await signAndSubmit(page, WORKER.name);
    await expectAccessible(page, 'referral submitted');
    await photograph(page, 'referral-submitted');
    expect(await visibleText(page.getByLabel('Status: Pending Supervisor Approval'))).toBe('Pending Supervisor Approval');
    await home(page);
    expect(await visibleText(listingRow(page))).toContain('Pending Supervisor Approval');
    expect((await caseNow()).status).toBe('Pending Supervisor Approval');
  }, STEP);

  it('the supervisor rejects it from the inbox with a reason', async () => {
    const page = await as(SUPERVISOR.email);
    const row = await inboxRow(page, 'Supervisor approves or rejects');
    await row.waitFor();
    await expectAccessible(page, 'supervisor inbox');
    await photograph(page, 'supervisor-inbox');
    await decideTask(page, row, 'Reject', { reason: REASON, before: () => photograph(page, 'supervisor-reject-reason') });
    expect((await caseNow()).status).toBe('Rejected');
  }, STEP);

  it('the worker sees the rejection and its reason, fixes the referral and resubmits', async () => {
    const page = await as(WORKER.email);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }).click();
    const notice = page.getByRole('list', { name: 'Notifications' }).getByRole('link', { name: /was rejected by the supervisor/ });
    await notice.waitFor();
    await expectAccessible(page, 'worker notifications');
    await photograph(page, 'worker-notification');
    await notice.click();
    await page.getByRole('heading', { level: 1, name: 'CSEC Advocacy Referral' }).waitFor();
    expect(await visibleText(page.getByRole('region', { name: 'History' }).getByRole('row').filter({ hasText: 'reject' }))).toContain(REASON);
    await page.getByRole('tab', { name: 'II. Case Information' }).click();
    await page.getByLabel(/^Attorney Name/).fill('Jo Counsel');
    await page.getByLabel(/^Attorney Phone/).fill('(555) 010-3001');
    await expectAccessible(page, 'rejected referral');
    await photograph(page, 'worker-fixes-referral');
    await signAndSubmit(page, WORKER.name);
    const row = await inboxRow(page, 'Worker revises the referral');
    await decideTask(page, row, 'Resubmit');
    expect((await caseNow()).status).toBe('Pending Supervisor Approval');
  }, STEP);

  it('the supervisor approves the revised referral', async () => {
    const page = await as(SUPERVISOR.email);
    const row = await inboxRow(page, 'Supervisor approves or rejects');
    await decideTask(page, row, 'Approve');
    expect((await caseNow()).status).toBe('Pending CSEC Admin Approval');
  }, STEP);

  it('the CSEC admin approves and assigns the agency', async () => {
    const page = await as(ADMIN.email);
    const row = await inboxRow(page, 'CSEC Admin approves');
    await decideTask(page, row, 'Approve', {
      choose: { 'Advocacy Agencies': 'Harbor Youth Advocates' },
      before: async () => { await expectAccessible(page, 'admin approve dialog'); await photograph(page, 'admin-assigns-agency'); },
    });
    expect(await caseNow()).toMatchObject({ status: 'Approved', data: { advocacyAgency: 'Harbor Youth Advocates' } });
  }, STEP);

  it('the agency admin assigns the advocate from Home', async () => {
    const page = await as(AGENCY_ADMIN.email);
    const row = page.getByRole('table', { name: 'Pending tasks' }).getByRole('row').filter({ hasText: caseNumber });
    await row.waitFor();
    await expectAccessible(page, 'agency admin home');
    await photograph(page, 'agency-admin-home');
    await decideTask(page, row, 'Assign', { choose: { Advocate: ADVOCATE.name } });
    expect(await visibleText(listingRow(page))).toContain('Active');
    expect((await caseNow()).status).toBe('Active');
  }, STEP);

  it('the advocate opens the assignment and fills the Client Summary', async () => {
    const page = await as(ADVOCATE.email);
    expect(await visibleText(listingRow(page))).toContain('Active');
    await listingRow(page).getByRole('link', { name: caseNumber }).click();
    await page.waitForURL(`${ui.baseUrl}/cases/${caseId}`);
    await page.getByLabel('AKA').fill('Dee');
    await page.getByRole('button', { name: 'Save' }).click();
    await visibleText(page.getByRole('status').filter({ hasText: 'Saved.' }));
    expect((await caseNow()).data.clientSummary.aka).toBe('Dee');
    await expectAccessible(page, 'client summary');
    await photograph(page, 'advocate-client-summary');
  }, STEP);

  it('the advocate logs an activity', async () => {
    const page = await as(ADVOCATE.email);
    await page.getByRole('tab', { name: 'Advocate Activity' }).click();
    await page.getByRole('button', { name: 'Add Activity' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Narrative').fill('First meeting with the youth at the resource home.');
    await dialog.getByLabel('Service Units (HH:MM)').fill('01:00');
    await expectAccessible(page, 'activity dialog');
    await photograph(page, 'advocate-activity');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('table', { name: 'Activities' }).getByRole('row').filter({ hasText: '01:00' }).waitFor();
    const docs = (await reader.get(`/api/cases/${caseId}/documents`)).body.filter((d: any) => d.form === 'advocate-activity');
    expect(docs).toHaveLength(1);
  }, STEP);

  it('the advocate saves a Safety Plan draft, then completes and submits it', async () => {
    const page = await as(ADVOCATE.email);
    await page.getByRole('tab', { name: 'Documents' }).click();
    await page.getByRole('combobox', { name: 'Document' }).click();
    await page.getByRole('option', { name: 'Safety Plan' }).click();
    await page.getByRole('button', { name: 'Add Document' }).click();
    await page.getByRole('heading', { level: 1, name: 'Safety Plan' }).waitFor();
    expect(await page.getByLabel('Youth First Name').inputValue()).toBe(YOUTH.first);
    await page.getByLabel('Current Safety Concerns').fill('Contact with an older acquaintance online');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const planId = page.url().split('/').pop()!;
    // The status may still say "saved" from before the click: the stored draft is what tells.
    await expect.poll(async () => (await reader.get(`/api/documents/${planId}`)).body.data?.safetyConcerns, { timeout: 10_000 }).toBe('Contact with an older acquaintance online');
    await page.getByRole('status').filter({ hasText: 'All changes saved' }).waitFor();
    expect((await reader.get(`/api/documents/${planId}`)).body).toMatchObject({ stage: 'draft', data: { safetyConcerns: 'Contact with an older acquaintance online' } });
    await expectAccessible(page, 'safety plan draft');
    await photograph(page, 'safety-plan-draft');
    await typeDate(page, 'Date of Safety Plan', '11/05/2026');
    await page.getByLabel('Youth participated in developing the plan').check();
    await page.getByLabel('Coping Skills').fill('Music, calling the advocate');
    await page.getByLabel('What the youth will do when feeling unsafe').fill('Call the advocate or 911');
    await page.getByRole('button', { name: 'Add a row to Trusted Members' }).click();
    await page.getByLabel('Name (row 1)').fill('Aunt Rosa');
    await signAndSubmit(page, ADVOCATE.name);
    await expectAccessible(page, 'safety plan submitted');
    await photograph(page, 'safety-plan-submitted');
    expect((await reader.get(`/api/documents/${planId}`)).body).toMatchObject({ stage: 'submitted', signature: { signerName: ADVOCATE.name } });
  }, STEP);

  let advocacyPlanId = '';
  it('the advocate starts the Phase I Advocacy Plan from the case and submits it', async () => {
    const page = await as(ADVOCATE.email);
    await page.getByRole('link', { name: caseNumber }).click();
    await page.getByRole('tab', { name: 'Advocacy Plan' }).click();
    const phase = page.getByRole('table', { name: 'Advocacy Plan phases' }).getByRole('row').filter({ hasText: 'Phase I (Crisis/Stabilization)' });
    await phase.waitFor();
    await expectAccessible(page, 'advocacy plan phases');
    await photograph(page, 'advocacy-plan-phases');
    await phase.getByRole('button', { name: 'Start Advocacy Plan Phase I (Crisis/Stabilization)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Advocacy Plan' }).waitFor();
    advocacyPlanId = page.url().split('/').pop()!;
    expect((await reader.get(`/api/documents/${advocacyPlanId}`)).body.data.phase).toBe('Phase I (Crisis/Stabilization)'); // the phase started
    await page.getByLabel(/^Strengths/).fill('Resilient, artistic');
    await page.getByLabel(/^Priority Needs/).fill('Stable housing, school');
    await page.getByRole('button', { name: 'Add a row to Long Term Priority Goals' }).click();
    await page.getByLabel('Goal (row 1)').fill('Re-enroll in school');
    await page.getByLabel('Action Steps (row 1)').fill('Meet the school counselor');
    await page.getByLabel('Action By (row 1)').fill('Advocate and youth');
    await typeDate(page, 'Due Date (row 1)', '01/15/2027');
    await page.getByLabel('Current Safety Concerns').fill('Runaway risk');
    await page.getByLabel('Safety Plan: Concerns').fill('Old contacts');
    await page.getByLabel('Coping Skills').fill('Drawing');
    await page.getByLabel('Trusted Members').fill('Aunt Rosa');
    await expectAccessible(page, 'advocacy plan');
    await photograph(page, 'advocacy-plan-filled');
    await signAndSubmit(page, ADVOCATE.name);
    expect((await reader.get(`/api/documents/${advocacyPlanId}`)).body).toMatchObject({ stage: 'submitted', data: { phase: 'Phase I (Crisis/Stabilization)' } });
  }, STEP);

  it('the worker approves the Advocacy Plan in the task inbox', async () => {
    const page = await as(WORKER.email);
    const row = await inboxRow(page, 'Advocacy Plan');
    await row.waitFor();
    await expectAccessible(page, 'worker inbox');
    await photograph(page, 'worker-inbox-advocacy-plan');
    await decideTask(page, row, 'Approve');
  }, STEP);

  it('the supervisor approves it too, and the plan is Approved', async () => {
    const page = await as(SUPERVISOR.email);
    const row = await inboxRow(page, 'Advocacy Plan');
    await decideTask(page, row, 'Approve');
    const plan = (await reader.get(`/api/documents/${advocacyPlanId}`)).body;
    expect(plan.status).toBe('Approved');
    await page.goto(`${ui.baseUrl}/documents/${advocacyPlanId}`);
    expect(await visibleText(page.getByLabel('Status: Approved'))).toBe('Approved');
    await expectAccessible(page, 'approved advocacy plan');
    await photograph(page, 'advocacy-plan-approved');
  }, STEP);
});
