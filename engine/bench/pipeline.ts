/**
 * The compiled pipeline (store/embedded/compiled-pipeline.ts) against mingo's Aggregator on the
 * same in-memory documents, shaped like a report's input (a record joined to its case): the
 * Master Activity grouping and the Overdue Alerts projection. Rounds alternate between the two
 * so a shared machine slows both alike; prints the median of each and their ratio. Never asserts.
 */
import { runCompiledPipeline } from '../src/store/embedded/compiled-pipeline.js';
import { runPipeline } from '../src/store/embedded/mingo.js';
import type { Doc, Pipeline } from '../src/store/types.js';

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
    submitted: i % 3 ? day((i % 300) + (i % 20)) : null,
    data: { youth: { advocacyAgency: AGENCIES[i % 2] }, activityType: TYPES[i % 5], isCompleted: i % 4 !== 0, signedUp: i % 3, participants: i % 6, serviceMinutes: (i * 7) % 120 },
  };
}

const JOIN: Pipeline = [
  { $lookup: { from: 'cases', localField: 'caseId', foreignField: '_id', as: 'case' } },
  { $unwind: '$case' },
  { $match: {} },
];

const GROUPING: Pipeline = [
  ...JOIN,
  {
    $group: {
      _id: { agency: '$data.youth.advocacyAgency', advocate: '$createdBy', type: '$data.activityType' },
      activities: { $sum: 1 },
      completed: { $sum: { $cond: [{ $eq: ['$data.isCompleted', true] }, 1, 0] } },
      signedUp: { $sum: { $ifNull: ['$data.signedUp', 0] } },
      participants: { $sum: { $ifNull: ['$data.participants', 0] } },
      serviceMinutes: { $sum: { $ifNull: ['$data.serviceMinutes', 0] } },
    },
  },
  { $project: { _id: 0, agency: { $ifNull: ['$_id.agency', '(no agency)'] }, advocate: '$_id.advocate', activityType: '$_id.type', activities: 1, completed: 1, signedUp: 1, participants: 1, serviceMinutes: 1 } },
  { $sort: { agency: 1, advocate: 1, activityType: 1 } },
];

const asDate = (value: unknown) => ({ $dateFromString: { dateString: value, format: '%Y-%m-%d' } });
const PROJECTION: Pipeline = [
  ...JOIN,
  {
    $project: {
      _id: 0,
      agency: { $ifNull: ['$case.data.advocacyAgency', '(no agency)'] },
      number: '$case.number',
      youth: { $concat: [{ $ifNull: ['$case.data.youthLastName', ''] }, ', ', { $ifNull: ['$case.data.youthFirstName', ''] }] },
      deliverable: '$title', dueDate: 1, submitted: 1,
      daysOverdue: { $round: [{ $divide: [{ $subtract: [asDate({ $ifNull: ['$submitted', '2026-12-31'] }), asDate('$dueDate')] }, 86_400_000] }, 0] },
      status: { $cond: [{ $eq: ['$submitted', null] }, 'Overdue', 'Submitted late'] },
    },
  },
  { $sort: { agency: 1, dueDate: 1, number: 1 } },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function time(run: () => Doc[]): { ms: number; rows: number } {
  const started = performance.now();
  const rows = run().length;
  return { ms: performance.now() - started, rows };
}

export async function benchPipeline(): Promise<void> {
  const docs = Array.from({ length: DOCS }, (_, i) => record(i));
  const cases = Array.from({ length: CASES }, (_, i) => caseRecord(i));
  const sources = { all: () => cases, byId: () => cases };
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
