/**
 * The tasks inbox as the demo roles: the supervisor rejects a pending referral with a reason
 * (the dialog refuses an empty one), the CSEC admin approves with an agency chosen from the
 * lookup, the agency admin assigns an advocate from the pending list on Home, and a task
 * someone completed meanwhile answers clearly who did it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, screenshot, signIn, startUiEngine, visibleText, type UiEngine } from '../support/browser.js';

let ui: UiEngine;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [ui, browser] = await Promise.all([startUiEngine(), launchBrowser()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10_000); // a missing element fails with its locator, inside the test's time
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await ui?.stop();
});

async function caseByReferral(email: string, referral: string) {
  const client = await ui.login(email);
  const found = await client.get(`/api/cases?caseType=assignment&f.referralNumber=${referral}`);
  return found.body.items[0];
}

const dialog = () => page.getByRole('dialog');

describe('tasks inbox', () => {
  it('the supervisor rejects a pending referral; the reason is required', async () => {
    await page.context().clearCookies();
    await signIn(page, ui.baseUrl, 'scsw.lee@example.org');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Tasks/ }).click();
    await visibleText(page.getByRole('heading', { name: 'Tasks' }));
    const table = page.getByRole('table', { name: 'Pending tasks' });
    const row = table.getByRole('row').filter({ hasText: 'Alex Roe' });
    await row.waitFor();
    await expectAccessible(page, 'tasks inbox');
    await screenshot(page, 'tasks-supervisor');
    await row.getByRole('button', { name: /^Reject/ }).click();
    await dialog().getByRole('button', { name: 'Reject' }).click();
    expect(await visibleText(dialog().getByText('A reason is required: say what needs to change'))).toBeTruthy();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('decision-reason');
    await expectAccessible(page, 'reject dialog');
    await screenshot(page, 'tasks-reject-dialog');
    await dialog().getByLabel(/^Reason/).fill('Add the attorney contact');
    await dialog().getByRole('button', { name: 'Reject' }).click();
    await dialog().waitFor({ state: 'detached' });
    await row.waitFor({ state: 'detached' });
    expect((await caseByReferral('scsw.lee@example.org', '1000-2001-3002')).status).toBe('Rejected');
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  it('the CSEC admin approves with an agency chosen from the lookup', async () => {
    await page.context().clearCookies();
    await signIn(page, ui.baseUrl, 'csec.admin.dcfs@example.org');
    await page.goto(ui.baseUrl + '/tasks');
    const row = page.getByRole('table', { name: 'Pending tasks' }).getByRole('row').filter({ hasText: 'Kai Fenn' });
    await row.getByRole('button', { name: /^Approve/ }).click();
    await dialog().getByRole('button', { name: 'Approve' }).click();
    expect(await visibleText(dialog().getByText('Choose the advocacy agencies'))).toBeTruthy();
    await dialog().getByLabel(/^Advocacy Agencies/).click();
    await page.getByRole('option', { name: 'Harbor Youth Advocates' }).click();
    await page.getByRole('listbox').waitFor({ state: 'detached' });
    await expectAccessible(page, 'approve dialog');
    await screenshot(page, 'tasks-approve-agency');
    await dialog().getByRole('button', { name: 'Approve' }).click();
    await dialog().waitFor({ state: 'detached' });
    const fenn = await caseByReferral('csec.admin.dcfs@example.org', '1000-2001-3004');
    expect(fenn).toMatchObject({ status: 'Approved', data: { advocacyAgency: 'Harbor Youth Advocates' } });
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  it('the agency admin assigns an advocate from the pending list on Home', async () => {
    await page.context().clearCookies();
    await signIn(page, ui.baseUrl, 'agency.admin@example.org');
    await visibleText(page.getByRole('heading', { name: 'Pending Tasks' }));
    // the menu counts the open task
    expect(await visibleText(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Tasks/ }))).toMatch(/^tasks\s*1\s*open$/i);
    const row = page.getByRole('table', { name: 'Pending tasks' }).getByRole('row').filter({ hasText: 'Kai Fenn' });
    await row.getByRole('button', { name: /^Assign/ }).click();
    await dialog().getByLabel(/^Advocate/).click();
    const options = await page.getByRole('option').allInnerTexts();
    expect(options).toEqual(['Taylor Jones']); // only the agency's advocates
    await page.getByRole('option', { name: 'Taylor Jones' }).click();
    await page.getByRole('listbox').waitFor({ state: 'detached' });
    await screenshot(page, 'home-agency-admin-assign');
    await dialog().getByRole('button', { name: 'Assign' }).click();
    await dialog().waitFor({ state: 'detached' });
    await row.waitFor({ state: 'detached' });
    await visibleText(page.getByText('Nothing is waiting for you.'));
    const fenn = await caseByReferral('agency.admin@example.org', '1000-2001-3004');
    expect(fenn.status).toBe('Active');
    await expectAccessible(page, 'home agency admin');
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  it('says who already completed a task done meanwhile', async () => {
    await page.context().clearCookies();
    await signIn(page, ui.baseUrl, 'agency2.admin@example.org');
    await page.goto(ui.baseUrl + '/tasks');
    const row = page.getByRole('table', { name: 'Pending tasks' }).getByRole('row').filter({ hasText: 'Noa Lark' });
    await row.getByRole('button', { name: /^Assign/ }).click();
    await dialog().getByLabel(/^Advocate/).click();
    await page.getByRole('option', { name: 'Wei Chen' }).click();
    await page.getByRole('listbox').waitFor({ state: 'detached' });
    // the same decision arrives first from another session
    const other = await ui.login('agency2.admin@example.org');
    const task = (await other.get('/api/tasks')).body.find((t: any) => t.activityId === 'agencyAssigns');
    const choices = (await other.get(`/api/tasks/${task._id}/choices`)).body;
    expect((await other.post(`/api/tasks/${task._id}/complete`, { decision: 'assign', data: { advocateId: choices[0].options[0].value } })).status).toBe(200);
    await dialog().getByRole('button', { name: 'Assign' }).click();
    expect(await visibleText(dialog().getByRole('alert'))).toMatch(/already completed this task/);
    await screenshot(page, 'tasks-already-done');
    await dialog().getByRole('button', { name: 'Close' }).click();
    await visibleText(page.getByText('Nothing is waiting for you.'));
  });
});
