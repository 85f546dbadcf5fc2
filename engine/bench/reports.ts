/**
 * Each report definition's time on a generated year of CTS data (cts-year.ts) on the embedded
 * store, run as a county-wide role and as one agency's admin. By default it generates a small
 * year (BENCH_REPORT_CASES, 2000 cases) in a temporary folder; point BENCH_REPORTS_DATA_DIR at a
 * store filled by `npm run gen -- --cases 100000` to time the 100k-case year (target: 2 s each).
 */
import type { Principal } from '../src/auth/principal.js';
import { BENCH_YEAR as YEAR, withCtsYear } from './cts-year-engine.js';
import { median, printTable } from './figures.js';

const TARGET_MS = 2000;
const ROUNDS = 3;

export async function benchReports(): Promise<void> {
  await withCtsYear({ dataDir: 'BENCH_REPORTS_DATA_DIR', cases: 'BENCH_REPORT_CASES' }, async ({ engine, given, generated }) => {
    const { services } = engine;
    console.log(generated
      ? `\nReports benchmark: generated ${generated.cases} cases, ${generated.documents} documents in ${generated.seconds.toFixed(1)} s`
      : `\nReports benchmark on ${given}`);
    const cases = await services.cases.cases.countDocuments({});
    const countyWide: Principal = { userId: 'bench', email: 'bench@example.org', name: 'Bench', roles: ['CPM'], attributes: {} };
    const agencyAdmin: Principal = { ...countyWide, roles: ['Agency Admin'], attributes: { agency: 'Harbor Youth Advocates' } };
    const rows: string[][] = [];
    for (const report of services.reports.list(countyWide)) {
      for (const [who, principal] of [['CPM', countyWide], ['Agency Admin', agencyAdmin]] as const) {
        for (const month of [`${YEAR}-06`, `${YEAR}-12`]) {
          const times: number[] = [];
          const cpu: number[] = [];
          let count = 0;
          for (let round = 0; round < ROUNDS; round++) {
            const started = performance.now();
            const cpuBefore = process.cpuUsage();
            count = (await services.reports.run(principal, report.id, { month })).rows.length;
            times.push(performance.now() - started);
            const used = process.cpuUsage(cpuBefore);
            cpu.push((used.user + used.system) / 1000);
          }
          const ms = median(times);
          rows.push([report.id, who, month, String(count), ms.toFixed(0), median(cpu).toFixed(0), (ms / TARGET_MS).toFixed(2)]);
        }
      }
    }
    const headers = ['report', 'as', 'month', 'rows', 'median ms', 'CPU ms', `÷ ${TARGET_MS} ms target`];
    printTable(`Each report, median of ${ROUNDS} runs, over ${cases} cases (embedded store)`, headers, rows);
    // The target is on wall time; CPU time shows how much of it was the report's own work.
    console.log('median ms = wall time; CPU ms = median process CPU time over a run (all threads, garbage collection too, so it may exceed the wall time)');
  });
}
