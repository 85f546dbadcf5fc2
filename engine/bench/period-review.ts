/**
 * The period review (CTS: Master Activity) as its screen asks for it, on a generated year of CTS
 * data (cts-year.ts): the month's summary with the first page of authors, and one author's first
 * page of documents, as one agency's admin, each the median of a few runs (target: each under
 * 1,000 ms); beside them, reading every submitted document of the month (what the review read
 * before it kept tallies). By default it generates a small year (BENCH_PERIOD_CASES, 2000 cases)
 * in a temporary folder; point BENCH_PERIOD_DATA_DIR at a store filled by
 * `npm run gen -- --cases 100000` to time the 100k-case year. Never asserts anything.
 */
import type { Principal } from '../src/auth/principal.js';
import { BENCH_YEAR as YEAR, withCtsYear } from './cts-year-engine.js';
import { median, printTable } from './figures.js';

const TARGET_MS = 1000;
const ROUNDS = 5;

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const times: number[] = [];
  let value!: T;
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    value = await run();
    times.push(performance.now() - started);
  }
  return { ms: median(times), value };
}

export async function benchPeriodReview(): Promise<void> {
  // The engine counts the tallies a store does not have yet as it starts.
  await withCtsYear({ dataDir: 'BENCH_PERIOD_DATA_DIR', cases: 'BENCH_PERIOD_CASES' }, async ({ engine, config, given, openMs }) => {
    const { services } = engine;
    const rule = config.periodReviews[0];
    if (!rule) return void console.log('\nPeriod review benchmark: no period review is configured');
    const reviews = services.periodReviews;
    const cases = await services.cases.cases.countDocuments({});
    const admin: Principal = { userId: 'bench', email: 'bench@example.org', name: 'Bench', roles: rule.reviewerRoles, attributes: { [rule.scopeAttribute]: 'Harbor Youth Advocates' } };
    const rows: string[][] = [];
    for (const month of [`${YEAR}-06`, `${YEAR}-12`]) {
      const summary = await timed(() => reviews.view(admin, rule.key, month, { limit: 25 }));
      const first = summary.value.authors[0];
      rows.push([month, 'summary + first 25 authors', `${summary.value.authors.length}/${summary.value.authorCount} authors, ${summary.value.documentCount} documents`, summary.ms.toFixed(0), (summary.ms / TARGET_MS).toFixed(2)]);
      if (first) {
        const page = await timed(() => reviews.authorDocuments(admin, rule.key, month, { author: first.userId, limit: 25 }));
        rows.push([month, "one author's first 25 documents", `${page.value.items.length}/${page.value.total}`, page.ms.toFixed(0), (page.ms / TARGET_MS).toFixed(2)]);
      }
      const every = await timed(() => services.documents.documents.find({ form: rule.form, stage: 'submitted', [`data${rule.dateField.replace(/\//g, '.')}`]: { $gte: `${month}-01`, $lte: `${month}-31` } }));
      rows.push([month, 'every document of the month (before)', `${every.value.length}`, every.ms.toFixed(0), (every.ms / TARGET_MS).toFixed(2)]);
    }
    const headers = ['month', 'request', 'rows', 'median ms', `÷ ${TARGET_MS} ms target`];
    printTable(`${rule.title} review, one agency's admin, median of ${ROUNDS} runs, over ${cases} cases (embedded store${given ? `; engine start, counting tallies the store lacked: ${(openMs / 1000).toFixed(1)} s` : ''})`, headers, rows);
  });
}
