/**
 * The Notifications screen in chromium: after the supervisor rejects a referral (through the API,
 * as the demo's SCSW), the worker's list shows the rejection, linking to its case; in demo mode
 * (the local mail catcher runs) the screen links to the demo mail viewer (whose content test/api/notifications.test.ts checks). Axe and screenshots at
 * 1280 and 768 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { MailCatcher } from '../../engine/src/notifications/mail-catcher.js';
import { expectAccessible, launchBrowser, screenshot, signIn, startUiEngine, visibleText, type UiEngine } from '../support/browser.js';

let ui: UiEngine;
let catcher: MailCatcher;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  catcher = new MailCatcher();
  const port = await catcher.start();
  [ui, browser] = await Promise.all([
    startUiEngine(
      { mail: { from: 'no-reply@example.org', smtpUrl: `smtp://127.0.0.1:${port}` } },
      { mailCatcher: catcher },
    ),
    launchBrowser(),
  ]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await ui?.stop();
  await catcher?.stop();
});

describe('notifications screen', () => {
  it("shows the worker the supervisor's rejection after it happens, linking to the case", async () => {
    const lee = await ui.login('scsw.lee@example.org');
    const tasks = (await lee.get('/api/tasks')).body as { _id: string; caseId: string }[];
    expect(tasks.length).toBeGreaterThan(0);
    const review = tasks[0];
    expect((await lee.post(`/api/tasks/${review._id}/complete`, { decision: 'reject', reason: 'Add the attorney contact' })).status).toBe(200);

    await signIn(page, ui.baseUrl, 'csw.garcia@example.org');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }).click();
    await visibleText(page.getByRole('heading', { name: 'Notifications', level: 1 }));
    const list = page.getByRole('list', { name: 'Notifications' });
    const rejection = list.getByRole('link', { name: /was rejected by the supervisor/ });
    await rejection.waitFor();
    // It links to the rejected referral document, in the case the task was on.
    const href = (await rejection.getAttribute('href'))!;
    expect(href).toMatch(/^\/documents\/[A-Za-z0-9_-]+$/);
    const garcia = await ui.login('csw.garcia@example.org');
    expect((await garcia.get(`/api/${href.slice(1)}`)).body.caseId).toBe(review.caseId);
    expect(await visibleText(list.getByRole('listitem').first())).toMatch(/rejected by the supervisor[\s\S]*\d{2}\/\d{2}\/\d{4}/);
    await expectAccessible(page, 'notifications');
    await screenshot(page, 'notifications');
    await page.setViewportSize({ width: 768, height: 1024 });
    await expectAccessible(page, 'notifications at 768 px');
    await screenshot(page, 'notifications-768');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('links to the demo mail viewer when the server runs the demo mail catcher', async () => {
    const viewer = page.getByRole('link', { name: 'Open the demo mail viewer' });
    expect(await viewer.getAttribute('href')).toBe('/demo/mail');
    const mailPage = await browser.newPage();
    await mailPage.goto(ui.baseUrl + (await viewer.getAttribute('href'))!);
    expect(await visibleText(mailPage.getByRole('heading', { level: 1 }))).toMatch(/^E-mail sent by the demo/);
    await mailPage.close();
  });
});
