/**
 * Management Reports in chromium. The screen is its own chunk, fetched only when opened (checked
 * always). Then a report is run from the screen and its table compared with the API's answer for the
 * same parameters, and the CSV/XLSX links are followed. Axe and screenshots at 1280 and 768 px.
 * A report of 1,200 rows shows them a page at a time, and its chart the 40 largest categories.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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

/** A report of 1,200 rows over one case the caller may see: Item 0 (n 0) to Item 1199 (n 1199). */
const MANY_ROWS = `export default {
  id: 'many-rows', title: 'Many Rows', description: 'One row per item.', parameters: { type: 'object', properties: {} },
  roles: ['DCFS CSEC Admin'], source: { collection: 'cases' },
  pipeline: () => [
    { $limit: 1 }, { $project: { n: { $range: [0, 1200] } } }, { $unwind: '$n' },
    { $project: { _id: 0, n: 1, label: { $concat: ['Item ', { $toString: '$n' }] } } },
  ],
  columns: [{ key: 'label', title: 'Item', type: 'string', total: { label: 'Total' } }, { key: 'n', title: 'Number', type: 'integer', total: 'sum' }],
  totals: true,
  chart: { type: 'bar', x: 'label', y: ['n'], title: 'Numbers' },
};
`;

describe('a report of many rows', () => {
  let many: UiEngine;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'many-rows-'));
    await writeFile(path.join(dir, 'many-rows.ts'), MANY_ROWS);
    many = await startUiEngine({ reportsDir: dir });
  }, 60_000);
  afterAll(async () => {
    await many?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows a page of rows at a time, and a chart of the largest categories saying how many there were', async () => {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(tab, many.baseUrl, 'csec.admin.dcfs@example.org');
      await tab.goto(`${many.baseUrl}/reports`);
      await tab.getByRole('button', { name: 'Run' }).click();
      const table = tab.getByRole('table', { name: 'Many Rows' });
      await table.waitFor();
      const firstCells = () => table.locator('tbody tr td:first-child').allInnerTexts();
      // 500 a page: Item 0 to Item 499.
      let cells = await firstCells();
      expect(cells).toHaveLength(500);
      expect([cells[0], cells[499]]).toEqual(['Item 0', 'Item 499']);
      await visibleText(tab.getByText('Rows 1-500 of 1,200', { exact: true }));
      // The totals row is of every row, and says so under a page of them: 0 + 1 + ... + 1199.
      expect((await table.locator('tfoot td').allInnerTexts()).map((t) => t.trim())).toEqual(['Total (all 1,200 rows)', '719,400']);
      await tab.getByRole('button', { name: 'Go to next page' }).click();
      await visibleText(tab.getByText('Rows 501-1,000 of 1,200', { exact: true }));
      cells = await firstCells();
      expect([cells[0], cells.length]).toEqual(['Item 500', 500]);
      await tab.getByRole('combobox', { name: /Rows per page/ }).click();
      await tab.getByRole('option', { name: '1000' }).click();
      await visibleText(tab.getByText('Rows 1-1,000 of 1,200', { exact: true }));
      expect(await firstCells()).toHaveLength(1000);
      // The chart: Item 1199 down to Item 1160, and how many categories the rows have.
      const chart = tab.getByRole('img', { name: /^Many Rows: Numbers\./ });
      const label = (await chart.getAttribute('aria-label'))!;
      expect(label.startsWith('Many Rows: Numbers. Item 1199: Number 1199; Item 1198: Number 1198;')).toBe(true);
      expect(label.split('; ')).toHaveLength(40);
      await visibleText(tab.getByText('The chart shows the 40 largest of 1,200 by Number; the table has them all.'));
      await expectAccessible(tab, 'reports, paged');
      await screenshot(tab, 'reports-paged');
    } finally {
      await tab.close();
    }
  });
});
