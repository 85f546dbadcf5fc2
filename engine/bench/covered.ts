/**
 * Covered aggregation (store/embedded/covered-*.ts): the same Master-Activity-like grouping over
 * the same activity documents in two collections of one embedded store on disk, one whose index
 * holds every field the pipeline reads (documents built from the keys) and one whose index holds
 * only the match's fields (documents read and decoded). Rounds alternate so a shared machine
 * slows both alike; prints the median of each and their ratio. Never asserts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedStore } from '../src/store/embedded/index.js';
import type { Doc, Pipeline } from '../src/store/types.js';
import { median } from './figures.js';

const DOCS = 60_000;
const ROUNDS = 5;
const TYPES = ['Outreach', 'Group', 'Court', 'Crisis', 'Transport'];
const AGENCIES = ['Harbor Youth Advocates', 'Bridgeway Youth Services'];

const day = (offset: number) => new Date(Date.UTC(2026, 0, 1 + offset)).toISOString().slice(0, 10);

function activity(i: number): Doc {
  return {
    _id: `act-${String(i).padStart(7, '0')}`,
    form: 'activity',
    createdBy: `user-${i % 40}`,
    caseId: `case-${i % 5000}`,
    narrative: 'Met with the youth at school and reviewed the plan. '.repeat(4),
    data: {
      activityDate: day(i % 60),
      activityType: TYPES[i % TYPES.length],
      youth: { advocacyAgency: AGENCIES[i % 2], name: `Youth ${i % 5000}` },
      isCompleted: i % 3 !== 0,
      signedUp: i % 4,
      participants: 1 + (i % 5),
      serviceMinutes: 15 * (1 + (i % 8)),
      subcategory: ['school', 'family'],
    },
  };
}

const MATCH = { form: 'activity', 'data.activityDate': { $gte: day(0), $lte: day(29) } };
const PIPELINE: Pipeline = [
  { $match: MATCH },
  {
    $group: {
      _id: { agency: '$data.youth.advocacyAgency', advocate: '$createdBy', type: '$data.activityType' },
      activities: { $sum: 1 },
      completed: { $sum: { $cond: [{ $eq: ['$data.isCompleted', true] }, 1, 0] } },
      signedUp: { $sum: { $ifNull: ['$data.signedUp', 0] } },
      participants: { $sum: { $ifNull: ['$data.participants', 0] } },
      serviceMinutes: { $sum: { $ifNull: ['$data.serviceMinutes', 0] } },
      cases: { $addToSet: '$caseId' },
    },
  },
];
const COVERING = {
  form: 1, 'data.activityDate': 1, 'data.youth.advocacyAgency': 1, createdBy: 1, 'data.activityType': 1,
  'data.isCompleted': 1, 'data.signedUp': 1, 'data.participants': 1, 'data.serviceMinutes': 1, caseId: 1,
} as const;

export async function benchCovered(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-covered-'));
  const store = await openEmbeddedStore({ dir });
  try {
    const covered = store.collection('covered');
    const read = store.collection('read');
    await covered.createIndex({ key: COVERING, name: 'covering' });
    await read.createIndex({ key: { form: 1, 'data.activityDate': 1 } });
    const docs = Array.from({ length: DOCS }, (_, i) => activity(i));
    for (let i = 0; i < docs.length; i += 5000) {
      await covered.insertMany(docs.slice(i, i + 5000));
      await read.insertMany(docs.slice(i, i + 5000));
    }
    const times = { covered: [] as number[], read: [] as number[] };
    let rows = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, collection] of [['covered', covered], ['read', read]] as const) {
        const started = performance.now();
        rows = (await collection.aggregate(PIPELINE)).length;
        times[name].push(performance.now() - started);
      }
    }
    const [c, r] = [median(times.covered), median(times.read)];
    console.log(`\nCovered aggregation: ${DOCS} activities on disk, half in the matched month, median of ${ROUNDS} alternating rounds`);
    console.log(`groups ${rows}  from index keys ${c.toFixed(0)} ms  reading documents ${r.toFixed(0)} ms  read ÷ covered ${(r / c).toFixed(1)}`);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
