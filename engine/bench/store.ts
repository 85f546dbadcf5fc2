/**
 * Benchmark of the embedded store against plain mingo over in-memory arrays (the ceiling: no
 * disk, no durability). Prints one table per data size; never asserts anything.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aggregator, Query } from 'mingo';
import { openEmbeddedStore } from '../src/store/embedded/index.js';
import type { Collection, Doc, Pipeline } from '../src/store/types.js';
import { median } from './figures.js';

const SIZES = [10_000, 100_000];
const SEQUENTIAL_INSERTS = 300;
const WRITERS = 64;
const INSERTS_PER_WRITER = 50;
const CONCURRENT_ROUNDS = 5;
const FIND_SECONDS = 1;
const TARGET_CONCURRENT_INSERTS = 20_000;
const STATUSES = ['open', 'review', 'approved', 'closed', 'draft'];

function makeDoc(i: number): Doc {
  return {
    key: `k${i}`,
    group: `g${i % 100}`,
    status: STATUSES[i % STATUSES.length],
    amount: (i * 37) % 1000,
    createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
    tags: [`t${i % 7}`, `t${i % 11}`],
    payload: 'x'.repeat(100),
  };
}

const PIPELINE: Pipeline = [
  { $match: { status: { $in: ['open', 'review'] } } },
  { $group: { _id: '$group', total: { $sum: '$amount' }, n: { $sum: 1 } } },
  { $sort: { total: -1 } },
];

/** Runs `op` until `seconds` pass (at least `min` times); returns operations per second. */
async function rate(seconds: number, min: number, op: (i: number) => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  let count = 0;
  while (count < min || performance.now() - start < seconds * 1000) {
    await op(count++);
  }
  return count / ((performance.now() - start) / 1000);
}

async function timed(op: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await op();
  return performance.now() - start;
}

interface Row {
  measure: string;
  embedded: string;
  mingo: string;
  ratio: string;
  target: string;
}

const fmt = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));

function printTable(title: string, rows: Row[]): void {
  const headers: Row = { measure: 'measure', embedded: 'embedded', mingo: 'plain mingo', ratio: 'embedded/mingo', target: 'target' };
  const keys = Object.keys(headers) as (keyof Row)[];
  const widths = keys.map((k) => Math.max(headers[k].length, ...rows.map((r) => r[k].length)));
  const line = (r: Row): string => keys.map((k, i) => (i === 0 ? r[k].padEnd(widths[i]) : r[k].padStart(widths[i]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

async function load(collection: Collection, size: number): Promise<void> {
  for (let start = 0; start < size; start += 1000) {
    await collection.insertMany(Array.from({ length: Math.min(1000, size - start) }, (_, i) => makeDoc(start + i)));
  }
}

async function benchSize(size: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-store-'));
  const store = await openEmbeddedStore({ dir });
  try {
    const collection = store.collection('bench');
    await collection.createIndex({ key: { key: 1 }, unique: true });
    await collection.createIndex({ key: { status: 1 } });
    const loadMs = await timed(() => load(collection, size));
    const memory: Doc[] = await collection.find({});

    // inserts, one at a time, each awaited (one commit and fsync per insert)
    let next = size;
    const sequential = await rate(0, SEQUENTIAL_INSERTS, () => collection.insertOne(makeDoc(next++)));
    const memorySequential = await rate(0, SEQUENTIAL_INSERTS, () => memory.push(makeDoc(next++)));

    // inserts from 64 concurrent writers, whose transactions share commits (median of a few rounds)
    const rounds: number[] = [];
    for (let round = 0; round < CONCURRENT_ROUNDS; round++) {
      const ms = await timed(() => Promise.all(Array.from({ length: WRITERS }, async () => {
        for (let i = 0; i < INSERTS_PER_WRITER; i++) await collection.insertOne(makeDoc(next++));
      })));
      rounds.push((WRITERS * INSERTS_PER_WRITER) / (ms / 1000));
    }
    const concurrent = median(rounds);
    const memoryConcurrentMs = await timed(() => {
      for (let i = 0; i < WRITERS * INSERTS_PER_WRITER; i++) memory.push(makeDoc(next++));
    });
    const memoryConcurrent = (WRITERS * INSERTS_PER_WRITER) / (memoryConcurrentMs / 1000);

    // finds by an indexed field (mingo scans the array until the first match)
    const randomKey = (i: number): string => `k${(i * 7919) % size}`;
    const finds = await rate(FIND_SECONDS, 100, (i) => collection.findOne({ key: randomKey(i) }));
    const memoryFinds = await rate(FIND_SECONDS, 5, (i) => new Query({ key: randomKey(i) }, { scriptEnabled: false }).find(memory).next());

    // one aggregation: $match + $group + $sort
    const aggregateMs = await timed(() => collection.aggregate(PIPELINE));
    const memoryAggregateMs = await timed(() => new Aggregator(PIPELINE, { scriptEnabled: false }).run(memory));

    const ratio = (a: number, b: number): string => `${(a / b).toFixed(a / b < 0.1 ? 4 : 2)}x`;
    printTable(`embedded store vs plain mingo, ${size.toLocaleString('en-US')} documents (loaded in ${fmt(loadMs)} ms, 2 indexes)`, [
      { measure: 'inserts/s, one at a time', embedded: fmt(sequential), mingo: fmt(memorySequential), ratio: ratio(sequential, memorySequential), target: '-' },
      { measure: `inserts/s, ${WRITERS} concurrent writers (median of ${CONCURRENT_ROUNDS})`, embedded: fmt(concurrent), mingo: fmt(memoryConcurrent), ratio: ratio(concurrent, memoryConcurrent),
        target: `>= ${fmt(TARGET_CONCURRENT_INSERTS)} ${concurrent >= TARGET_CONCURRENT_INSERTS ? 'met' : 'NOT MET'}` },
      { measure: 'indexed findOne/s', embedded: fmt(finds), mingo: fmt(memoryFinds), ratio: ratio(finds, memoryFinds),
        target: size >= 100_000 ? `>= 0.5x ${finds >= memoryFinds / 2 ? 'met' : 'NOT MET'}` : '-' },
      { measure: 'aggregate ms ($match+$group+$sort)', embedded: fmt(aggregateMs), mingo: fmt(memoryAggregateMs), ratio: ratio(aggregateMs, memoryAggregateMs), target: '-' },
    ]);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchStore(): Promise<void> {
  console.log('Store benchmark: embedded (LMDB + mingo, every write fsynced) vs plain mingo on in-memory arrays');
  for (const size of SIZES) await benchSize(size);
}
