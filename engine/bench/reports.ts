/**
 * Each report definition's time on a generated year of CTS data (cts-year.ts) on the embedded
 * store, run as a county-wide role and as one agency's admin. By default it generates a small
 * year (BENCH_REPORT_CASES, 2000 cases) in a temporary folder; point BENCH_REPORTS_DATA_DIR at a
 * store filled by `npm run gen -- --cases 100000` to time the 100k-case year (target: 2 s each).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, publishDefinitionsFromDisk } from '../src/app.js';
import type { Principal } from '../src/auth/principal.js';
import { loadConfig } from '../src/config.js';
import { generateYear } from './cts-year.js';

const TARGET_MS = 2000;
const ROUNDS = 3;
const YEAR = 2026;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function benchReports(): Promise<void> {
  const given = process.env.BENCH_REPORTS_DATA_DIR;
  const dir = given ?? (await mkdtemp(join(tmpdir(), 'bench-reports-')));
  const config = loadConfig({ ...process.env, DATA_DIR: dir, DEMO_DATA: 'none', MONGODB_URI: '' });
  const engine = await createEngine(config, { oidc: null });
  try {
    const { services } = engine;
    if (!given) {
      await publishDefinitionsFromDisk(services);
      const cases = Number(process.env.BENCH_REPORT_CASES ?? 2000);
      const started = performance.now();
      const made = await generateYear(services, { cases, year: YEAR, formsDir: config.formsDir });
      console.log(`\nReports benchmark: generated ${made.cases} cases, ${made.documents} documents in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } else {
      console.log(`\nReports benchmark on ${given}`);
    }
    const cases = await services.cases.cases.countDocuments({});
    const countyWide: Principal = { userId: 'bench', email: 'bench@example.org', name: 'Bench', roles: ['CPM'], attributes: {} };
    const agencyAdmin: Principal = { ...countyWide, roles: ['Agency Admin'], attributes: { agency: 'Harbor Youth Advocates' } };
    const rows: string[][] = [];
    for (const report of services.reports.list(countyWide)) {
      for (const [who, principal] of [['CPM', countyWide], ['Agency Admin', agencyAdmin]] as const) {
        for (const month of [`${YEAR}-06`, `${YEAR}-12`]) {
          const times: number[] = [];
          let count = 0;
          for (let round = 0; round < ROUNDS; round++) {
            const started = performance.now();
            count = (await services.reports.run(principal, report.id, { month })).rows.length;
            times.push(performance.now() - started);
          }
          const ms = median(times);
          rows.push([report.id, who, month, String(count), ms.toFixed(0), (ms / TARGET_MS).toFixed(2)]);
        }
      }
    }
    const headers = ['report', 'as', 'month', 'rows', 'median ms', `÷ ${TARGET_MS} ms target`];
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    console.log(`Each report, median of ${ROUNDS} runs, over ${cases} cases (embedded store)`);
    console.log(line(headers));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const row of rows) console.log(line(row));
  } finally {
    await engine.close();
    if (!given) await rm(dir, { recursive: true, force: true });
  }
}
