/**
 * The compiled pipeline (store/embedded/compiled-pipeline.ts) against mingo's Aggregator on the
 * same in-memory documents, shaped like a report's input (a record joined to its case): the
 * Master Activity and Overdue Alerts definitions' stages. Rounds alternate between the two
 * so a shared machine slows both alike; prints the median of each and their ratio. Never asserts.
 */
import { runCompiledPipeline } from '../src/store/embedded/compiled-pipeline.js';
import { runPipeline } from '../src/store/embedded/mingo.js';
import type { Doc, Pipeline } from '../src/store/types.js';
import type { ReportContext } from '../src/reports/report-definition.js';
import masterActivity from '../reports/master-activity.js';
import overdueAlerts from '../reports/overdue-alerts.js';
import { median } from './figures.js';

const DOCS = 50_000;
const CASES = 10_000;
const ROUNDS = 5;
const TYPES = ['Outreach', 'Group', 'Court', 'Crisis', 'Transport'];
const AGENCIES = ['Harbor Youth Advocates', 'Bridgeway Youth Services'];

const day = (offset: number) => new Date(Date.UTC(2026, 0, 1 + offset)).toISOString().slice(0, 10);

function caseRecord(i: number): Doc {
  return { _id: `c${i}`, number: `CTS-${i}`, data: { youthLastName: `Last${i}`, youthFirstName: `First${i}`, advocacyAgency: AGENCIES[i % 2], leadAgency: i % 3 ? 'DCFS' : 'Probation' } };
}

function record(i: number): Doc {
  return {
    _id: `d${i}`, caseId: `c${i % CASES}`, createdBy: `u${i % 400}`, title: `Deliverable ${i % 7}`, dueDate: day(i % 300),
    ...(i % 3 ? { completedDate: day((i % 300) + (i % 20)), completedAt: new Date(`${day((i % 300) + (i % 20))}T18:00:00Z`) } : { completedDate: null, completedAt: null }),
    data: { youth: { advocacyAgency: AGENCIES[i % 2] }, activityType: TYPES[i % 5], isCompleted: i % 4 !== 0, signedUp: i % 3, participants: i % 6, serviceMinutes: (i * 7) % 120 },
  };
}

/** What the report runner puts before a definition's stages for a county-wide caller. */
const JOIN: Pipeline = [
  { $lookup: { from: 'cases', localField: 'caseId', foreignField: '_id', as: 'case' } },
  { $unwind: '$case' },
  { $match: {} },
];

// County time as UTC: the pipelines only need the month's bounds.
const context: ReportContext = {
  timeZone: 'UTC', toInstant: (date) => new Date(`${date}T00:00:00Z`), localDate: (instant) => instant.toISOString().slice(0, 10), now: new Date('2027-01-15T12:00:00Z'),
};
// The report definitions' own stages, so the bench follows them when they change.
const GROUPING: Pipeline = [...JOIN, ...masterActivity.pipeline({ month: '2026-06' }, context)];
const PROJECTION: Pipeline = [...JOIN, ...overdueAlerts.pipeline({ month: '2026-12' }, context)];

function time(run: () => Doc[]): { ms: number; rows: number } {
  const started = performance.now();
  const rows = run().length;
  return { ms: performance.now() - started, rows };
}

export async function benchPipeline(): Promise<void> {
  const docs = Array.from({ length: DOCS }, (_, i) => record(i));
  const cases = Array.from({ length: CASES }, (_, i) => caseRecord(i));
  const sources = { all: () => cases, byId: () => cases, everyCovered: () => null };
  console.log(`\nCompiled pipeline vs mingo: ${DOCS} records joined to ${CASES} cases, median of ${ROUNDS} alternating rounds`);
  const rows: string[][] = [];
  for (const [name, pipeline] of [['Master Activity grouping', GROUPING], ['Overdue Alerts projection', PROJECTION]] as const) {
    const compiled: number[] = [];
    const mingo: number[] = [];
    let count = 0;
    for (let round = 0; round < ROUNDS; round++) {
      compiled.push(time(() => runCompiledPipeline(docs, pipeline, sources)).ms);
      const plain = time(() => runPipeline(docs, pipeline, () => cases));
      mingo.push(plain.ms);
      count = plain.rows;
    }
    const [c, m] = [median(compiled), median(mingo)];
    rows.push([name, String(count), c.toFixed(0), m.toFixed(0), (m / c).toFixed(1)]);
  }
  const headers = ['pipeline', 'rows', 'compiled ms', 'mingo ms', 'mingo ÷ compiled'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}
