/**
 * The process designer in Debian's chromium: an administrator opens referral-approval, changes a
 * user task in the properties panel, validates and publishes a new version; a problem the runtime
 * would refuse is marked on the diagram and cannot be published; BPMN files written elsewhere open.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { repoRoot, type Client } from '../support/engine.js';
import { launchBrowser, screenshot, signIn, startUiEngine, visibleText, type UiEngine } from '../support/browser.js';

let ui: UiEngine;
let browser: Browser;
let page: Page;
let admin: Client;

beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'designer', 'dist', 'index.html'))) throw new Error('The designer is not built: run "npm run build:ui" first.');
  [ui, browser] = await Promise.all([startUiEngine(), launchBrowser()]);
  admin = await ui.login('program.admin@example.org');
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10_000);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await ui?.stop();
});

const latestVersion = async () => (await admin.get('/api/definitions/process/referral-approval')).body;

/** Opens a group of the properties panel by its title (groups start closed). */
async function openGroup(title: string) {
  const header = page.locator('.bio-properties-panel-group-header', { hasText: title });
  await header.waitFor();
  if (!(await header.getAttribute('class'))?.includes('open')) await header.click();
}

/** Selects an element through the designer's "Element id or name" box (a long diagram is drawn small). */
async function selectElement(id: string) {
  await page.getByLabel('Element id or name').fill(id);
  await page.getByRole('button', { name: 'Select', exact: true }).click();
}

describe('process designer', () => {
  it('shows a worker that the designer is not for them', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const workerPage = await context.newPage();
    await signIn(workerPage, ui.baseUrl, 'csw.garcia@example.org');
    await workerPage.goto(ui.baseUrl + '/designer/');
    expect(await visibleText(workerPage.getByRole('alert'))).toMatch(/Not allowed/);
    await screenshot(workerPage, 'designer-not-allowed');
    await context.close();
  });

  it('changes a user task in the properties panel, validates and publishes version+1', async () => {
    await signIn(page, ui.baseUrl, 'program.admin@example.org');
    const before = await latestVersion();
    await page.goto(ui.baseUrl + '/designer/processes/referral-approval');
    expect(await visibleText(page.getByRole('status').filter({ hasText: 'Opened' }))).toMatch(/without warnings/);
    await selectElement('supervisorReview');
    await openGroup('Who acts and when');
    await page.getByLabel('Candidate roles').fill('SCSW,SDPO,CPM');
    await page.getByLabel('Due date').fill('P3D');
    await page.getByLabel('Due date').press('Tab');
    await screenshot(page, 'designer-process-properties');

    await page.getByRole('button', { name: 'Validate' }).click();
    expect(await visibleText(page.getByRole('status').filter({ hasText: 'No problems' }))).toMatch(/can be published/);
    await page.getByRole('button', { name: 'Publish new version' }).click();
    expect(await visibleText(page.getByRole('status').filter({ hasText: /^Published as/ }))).toBe(`Published as version ${before.version + 1}.`);
    const after = await latestVersion();
    expect(after.version).toBe(before.version + 1);
    expect(after.content.xml).toMatch(/id="supervisorReview"[\s\S]*?candidateRoles="SCSW,SDPO,CPM"/);
    expect(after.content.xml).toMatch(/due="P3D"/);
  });

  it('colours what changed since the previous version', async () => {
    await page.getByRole('button', { name: 'Compare with previous version' }).click();
    expect(await visibleText(page.getByRole('list', { name: 'Element changes' }))).toMatch(/Changed: supervisorReview/);
    expect(await page.locator('.djs-element.wf-diff-changed[data-element-id="supervisorReview"]').count()).toBe(1);
    await screenshot(page, 'designer-process-diff');
  });

  it('marks a problem on the diagram and refuses to publish it', async () => {
    const before = await latestVersion();
    // A user task nobody may act on, a service the engine does not have, a condition it cannot read.
    await selectElement('supervisorReview');
    await openGroup('Who acts and when');
    await page.getByLabel('Candidate roles').fill('');
    await page.getByLabel('Candidate roles').press('Tab');
    await selectElement('markPendingSupervisor');
    await openGroup('Engine service');
    await page.getByLabel('Engine service', { exact: true }).fill('sendFax');
    await page.getByLabel('Engine service', { exact: true }).press('Tab');
    await selectElement('supervisorApproved');
    await openGroup('Condition');
    await page.getByLabel('Condition (FEEL)').fill('=decision = ');
    await page.getByLabel('Condition (FEEL)').press('Tab');

    await page.getByRole('button', { name: 'Validate' }).click();
    const problems = await visibleText(page.getByRole('list', { name: 'Problems to fix' }));
    expect(problems).toMatch(/supervisorReview: .*say who acts/);
    expect(problems).toMatch(/markPendingSupervisor: .*no engine service "sendFax"/);
    expect(problems).toMatch(/supervisorApproved: .*not valid FEEL/);
    expect(await page.locator('.djs-element.wf-problem[data-element-id="markPendingSupervisor"]').count()).toBe(1);
    expect(await page.locator('.djs-element.wf-problem[data-element-id="supervisorApproved"]').count()).toBe(1);
    expect(await page.locator('.djs-element.wf-problem[data-element-id="supervisorReview"]').count()).toBe(1);
    expect(await page.locator('.wf-problem-badge').count()).toBe(3);
    await screenshot(page, 'designer-process-problems');

    await page.getByRole('button', { name: 'Publish new version' }).click();
    await page.getByRole('list', { name: 'Problems to fix' }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: /^Published as/ }).count()).toBe(0);
    expect((await latestVersion()).version).toBe(before.version);
  });

  it('opens BPMN files written elsewhere (shipped in packages under node_modules) without errors', async () => {
    const found = execFileSync('find', ['-L', path.join(repoRoot, 'node_modules'), '-name', '*.bpmn', '-not', '-path', '*/.cache/*'], { encoding: 'utf8' })
      .split('\n').filter(Boolean).sort();
    expect(found.length, 'BPMN files under node_modules (test devDependency @process-engine/process_engine_core ships some)').toBeGreaterThan(3);
    const chosen = found.slice(0, 8);
    for (const file of chosen) {
      await page.getByLabel('BPMN file to open').setInputFiles(file);
      const note = page.getByRole('status').filter({ hasText: path.basename(file) });
      const text = await visibleText(note);
      expect(text, file).toMatch(/^Opened /);
      expect(await page.locator('.djs-element').count(), file).toBeGreaterThan(0);
    }
    await screenshot(page, 'designer-process-foreign-file');
  });
});
