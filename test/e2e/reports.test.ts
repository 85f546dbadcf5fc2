/**
 * Management Reports in chromium. The screen is its own chunk, fetched only when opened (checked
 * always). Then a report is run from the screen and its table compared with the API's answer for the
 * same parameters, and the CSV/XLSX links are followed. Axe and screenshots at 1280 and 768 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, screenshot, signIn, startUiEngine, visibleText, type UiEngine } from '../support/browser.js';
import type { Client } from '../support/engine.js';

let ui: UiEngine;
let browser: Browser;
let page: Page;
let admin: Client;
const requested: string[] = [];

beforeAll(async () => {
  [ui, browser] = await Promise.all([startUiEngine(), launchBrowser()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  admin = await ui.login('csec.admin.dcfs@example.org');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await ui?.stop();
});

describe('management reports screen', () => {
  it('is fetched only when opened, from the Reports menu', async () => {
    await signIn(page, ui.baseUrl, 'csec.admin.dcfs@example.org');
    expect(requested.filter((p) => /ReportsScreen-.*\.js$/.test(p))).toEqual([]);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await visibleText(page.getByRole('heading', { name: 'Management Reports', level: 1 }));
    expect(requested.filter((p) => /ReportsScreen-.*\.js$/.test(p))).toHaveLength(1);
    await expectAccessible(page, 'reports, opened');
  });

  it('runs the first report with its parameters and shows the table (and chart) the API gives', async () => {
    const reports = (await admin.get('/api/reports')).body as { id: string; title: string; chart?: unknown }[];
    expect(reports.length).toBeGreaterThan(0);
    const select = page.getByRole('combobox', { name: /^Report/ });
    expect(await visibleText(select)).toBe(reports[0].title);
    const sent = page.waitForRequest((r) => r.method() === 'GET' && new URL(r.url()).pathname === `/api/reports/${reports[0].id}`);
    await page.getByRole('button', { name: 'Run' }).click();
    const url = new URL((await sent).url());
    expect(url.searchParams.get('month')).toMatch(/^\d{4}-\d{2}$/);
    const table = page.getByRole('table', { name: reports[0].title });
    await table.waitFor();
    const result = (await admin.get(url.pathname + url.search)).body as { columns: { key: string; title: string }[]; rows: Record<string, unknown>[]; totals?: unknown; chart?: unknown };
    expect(result.rows.length, 'the demo data gives the first report at least one row').toBeGreaterThan(0);
    expect(await table.locator('tbody tr').count()).toBe(result.rows.length);
    const headings = (await table.locator('thead th').allInnerTexts()).map((t) => t.trim());
    expect(headings).toEqual(result.columns.map((c) => c.title));
    expect((await table.locator('tbody tr').first().locator('td').first().innerText()).trim()).toBe(String(result.rows[0][result.columns[0].key] ?? ''));
    if ((result.chart ?? reports[0].chart) && result.rows.length > 0) expect(await page.getByRole('img', { name: new RegExp(reports[0].title) }).count()).toBe(1);
    await expectAccessible(page, 'reports');
    await screenshot(page, 'reports');
    await page.setViewportSize({ width: 768, height: 1024 });
    await expectAccessible(page, 'reports at 768 px');
    await screenshot(page, 'reports-768');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('links CSV and XLSX downloads of the same parameters, and offers Print', async () => {
    await page.getByRole('button', { name: 'Print' }).waitFor();
    for (const [name, type] of [['Export CSV', /text\/csv/], ['Export XLSX', /spreadsheetml/]] as const) {
      const href = (await page.getByRole('link', { name }).getAttribute('href'))!;
      const res = await admin.get(href);
      expect(res.status, href).toBe(200);
      expect(String(res.headers['content-type'])).toMatch(type);
    }
  });
});
