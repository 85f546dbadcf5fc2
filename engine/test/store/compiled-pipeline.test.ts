/**
 * The compiled pipeline (compiled-pipeline.ts, compiled-expression.ts) against mingo's Aggregator:
 * random documents (missing fields, nulls, arrays, nested objects, mixed types) through random
 * pipelines of the compiled stages and expressions, and of some left to mingo, must give exactly
 * mingo's documents (field order, missing vs null) or, where mingo refuses, an InvalidQueryError.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aggregator } from 'mingo';
import { describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/store/embedded/index.js';
import { InvalidQueryError } from '../../src/store/errors.js';
import { compileExpression } from '../../src/store/embedded/compiled-expression.js';
import { runCompiledPipeline, type JoinSources, type StreamedSource } from '../../src/store/embedded/compiled-pipeline.js';
import type { Doc, Pipeline } from '../../src/store/types.js';
import { seededRandom as random } from '../../bench/seeded-random.js';


const isObject = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

const MINGO_OPTIONS = { scriptEnabled: false, idKey: '_id', useStrictMode: true, failOnError: true };

/** A value with its field order made visible (toStrictEqual ignores key order). */
function shape(value: unknown): unknown {
  if (value instanceof Date) return { date: value.getTime() };
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') return Object.entries(value).map(([k, v]) => [k, shape(v)]);
  return value === undefined ? { undefined: true } : value;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

type Outcome = { docs: Doc[] } | { error: unknown };

function viaMingo(docs: Doc[], pipeline: Pipeline, joined: Record<string, Doc[]>): Outcome {
  try {
    const collections = structuredClone(joined);
    const agg = new Aggregator(pipeline, { ...MINGO_OPTIONS, collectionResolver: (name: string) => collections[name] });
    return { docs: agg.run(structuredClone(docs)) as Doc[] };
  } catch (error) {
    return { error };
  }
}

/** How the compiled pipeline gets its input: an array, one it may write into (as the store's own aggregate lets it), or streamed. */
type InputMode = 'array' | 'own input' | 'streamed';

/** How many runs over a streamed source did not need it in scan order. */
const streamedRuns = { streamed: 0, inScanOrder: 0 };

/**
 * The documents given one at a time in reverse (not the scan's order), or all at once in the
 * scan's order (the documents' own, as the generator's ids sort).
 */
function streamed(docs: Doc[]): StreamedSource {
  return {
    size: () => docs.length,
    forEach: (visit) => {
      for (let i = docs.length - 1; i >= 0; i--) visit(docs[i]);
    },
    ordered: () => {
      streamedRuns.inScanOrder++;
      return docs;
    },
  };
}

function compiled(docs: Doc[], pipeline: Pipeline, joined: Record<string, Doc[]>, mode: InputMode): Outcome {
  const collections = deepFreeze(structuredClone(joined));
  const sources: JoinSources = { all: (name) => collections[name], byId: (name) => collections[name], everyCovered: (name) => collections[name] };
  try {
    if (mode !== 'streamed') return { docs: runCompiledPipeline(structuredClone(docs), pipeline, sources, mode === 'own input') };
    const before = streamedRuns.inScanOrder;
    const out = runCompiledPipeline(streamed(structuredClone(docs)), pipeline, sources, true);
    if (streamedRuns.inScanOrder === before) streamedRuns.streamed++;
    return { docs: out };
  } catch (error) {
    return { error };
  }
}

function expectSame(docs: Doc[], pipeline: Pipeline, joined: Record<string, Doc[]>, label: string): 'rows' | 'error' {
  const expected = viaMingo(docs, pipeline, joined);
  for (const mode of ['array', 'own input', 'streamed'] as const) {
    const actual = compiled(docs, pipeline, joined, mode);
    const context = `${label}${mode === 'array' ? '' : ` (${mode})`}: ${JSON.stringify(pipeline)}`;
    if ('error' in expected) {
      expect('error' in actual ? actual.error : actual.docs, context).toBeInstanceOf(InvalidQueryError);
      continue;
    }
    if ('error' in actual) throw new Error(`${context}\nthrew ${String(actual.error)}`);
    expect(shape(actual.docs), context).toEqual(shape(expected.docs));
    expect(actual.docs, context).toStrictEqual(expected.docs);
  }
  return 'error' in expected ? 'error' : 'rows';
}

const D1 = new Date(Date.UTC(2026, 0, 1));
const D2 = new Date(Date.UTC(2026, 5, 30, 12));
const SCALARS: unknown[] = ['a', 'b', 'B', '', '10', 0, 1, 2.5, -3, 10, true, false, null, D1, D2];
const IDS = ['u1', 'u2', 'u3', 'nobody'];

function generator(rnd: () => number) {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const chance = (p: number) => rnd() < p;
  const scalar = () => pick(SCALARS);
  const value = (): unknown => {
    const r = rnd();
    if (r < 0.55) return scalar();
    if (r < 0.7) return [scalar(), scalar()];
    if (r < 0.75) return [];
    if (r < 0.85) return { x: scalar(), y: chance(0.5) ? [scalar(), scalar()] : scalar() };
    return [{ x: scalar() }, { x: scalar(), y: scalar() }, { other: 1 }];
  };
  const doc = (i: number): Doc => {
    // Ids that sort as the documents come: the scan's order.
    const d: Doc = { _id: `d${String(i).padStart(3, '0')}` };
    for (const field of ['a', 'b', 'n', 'arr']) {
      if (chance(0.8)) d[field] = field === 'n' && chance(0.7) ? { x: scalar(), y: value() } : value();
    }
    if (chance(0.85)) d.num = chance(0.8) ? pick([0, 1, 2, 3.5, -1, 7, 100, 2.5, -2.5, 1.45, 0.5]) : pick([null, '3', true]);
    if (chance(0.85)) d.s = chance(0.85) ? pick(['x', 'y', 'Zed', '', 'alpha']) : pick([null, 1]);
    if (chance(0.85)) d.day = pick<unknown>(['2026-10-01', '2026-02-28', '2026-02-31', '2026-12-31', '2026-13-01', '2026-1-05', '2026-10-01Z', '', null, 20261001, D1]);
    if (chance(0.8)) d.ref = chance(0.8) ? pick(IDS) : chance(0.5) ? [pick(IDS), pick(IDS)] : pick([null, 5]);
    // Field order varies between documents, and inside them (equal objects group together).
    // A small object, equal in many documents but written in either field order.
    if (chance(0.7)) d.o = chance(0.5) ? { p: pick([1, 2]), q: pick(['a', 'b']) } : { q: pick(['a', 'b']), p: pick([1, 2]) };
    if (isObject(d.n) && chance(0.4)) d.n = Object.fromEntries(Object.entries(d.n).reverse());
    return chance(0.3) ? Object.fromEntries(Object.entries(d).reverse()) : d;
  };

  const PATHS = ['$o', '$a', '$b', '$n', '$n.x', '$n.y', '$arr', '$arr.x', '$arr.y', '$num', '$s', '$ref', '$missing', '$n.missing', '$$ROOT.a', '$$CURRENT.n.x', '$arr.0', '$arr.0.x', '$_id'];
  const numeric = (depth: number): unknown => {
    const r = rnd();
    if (r < 0.35 || depth <= 0) return pick(['$num', '$num', '$n.x', '$missing']);
    if (r < 0.6) return pick([0, 1, 2, -4, 0.5, 86400000]);
    const op = pick(['$add', '$subtract', '$multiply', '$divide', '$add']);
    const args = [numeric(depth - 1), numeric(depth - 1)];
    if (op === '$add' && chance(0.3)) args.push(numeric(depth - 1));
    return { [op]: op === '$divide' && chance(0.7) ? [args[0], pick([2, 4, 86400000])] : args };
  };
  const text = (depth: number): unknown => {
    const r = rnd();
    if (r < 0.4 || depth <= 0) return pick(['$s', '$s', '$missing', '$a']);
    if (r < 0.65) return pick(['x', '', ', ', 'Reason: ']);
    if (r < 0.85) return { $ifNull: [text(depth - 1), pick(['(none)', ''])] };
    return { $concat: [text(depth - 1), text(depth - 1)] };
  };
  const expr = (depth: number): unknown => {
    const r = rnd();
    if (depth <= 0 || r < 0.22) return pick(PATHS);
    if (r < 0.3) return chance(0.5) ? scalar() : { $literal: pick([...SCALARS, '$notAPath', { a: 1 }]) };
    const e = () => expr(depth - 1);
    switch (pick(['date', 'round', 'cond', 'condObj', 'ifNull', 'switch', 'cmp', 'cmp', 'logic', 'not', 'in', 'concat', 'arith', 'elemAt', 'size', 'let', 'object', 'array', 'fallback'])) {
      case 'date': {
        const asDate = (value: unknown) => ({ $dateFromString: { dateString: value, format: pick(['%Y-%m-%d', '%Y-%m-%d', '%d/%m/%Y']) } });
        return chance(0.5) ? asDate(pick(['$day', '$s', '$missing'])) : { $divide: [{ $subtract: [asDate('$day'), asDate(pick(['$day', '2026-01-15']))] }, 86400000] };
      }
      case 'round':
        return { $round: pick([[numeric(depth - 1)], [numeric(depth - 1), 0], [numeric(depth - 1), 1], [numeric(depth - 1), null]]) };
      case 'cond':
        return { $cond: [e(), e(), e()] };
      case 'condObj':
        return { $cond: { if: e(), then: e(), else: e() } };
      case 'ifNull':
        return { $ifNull: chance(0.8) ? [e(), e()] : [e(), e(), e()] };
      case 'switch':
        return { $switch: { branches: [{ case: e(), then: e() }, { case: e(), then: e() }], ...(chance(0.8) ? { default: e() } : {}) } };
      case 'cmp':
        return { [pick(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$cmp'])]: [e(), chance(0.5) ? scalar() : e()] };
      case 'logic':
        return { [pick(['$and', '$or'])]: chance(0.1) ? [] : [e(), e()] };
      case 'not':
        return { $not: chance(0.5) ? [e()] : e() };
      case 'in':
        return { $in: [e(), pick([[scalar(), scalar(), null], '$arr', '$arr.x', '$a', ['a', 'b']])] };
      case 'concat':
        return text(depth);
      case 'arith':
        return numeric(depth);
      case 'elemAt':
        return { $arrayElemAt: [pick(['$arr', '$a', '$arr.x', '$missing', [1, 2, 3]]), pick([0, 1, -1, -4, 5, '$num'])] };
      case 'size':
        return { $size: pick(['$arr', '$a', '$missing', ['$a', '$b']]) };
      case 'let':
        return { $let: { vars: { v: e(), w: pick(['$n', '$arr']) }, in: pick(['$$v', '$$w.x', { $ifNull: ['$$v', '$$w'] }, { $concat: ['$$v', '-'] }, { $let: { vars: { v: '$s' }, in: ['$$v', '$$w'] } }]) } };
      case 'object':
        return { p: e(), q: e() };
      case 'array':
        return [e(), e()];
      default:
        // Operators left to mingo, with compiled ones inside.
        return pick([{ $toString: e() }, { $round: [numeric(depth - 1), 0] }, { $abs: numeric(depth - 1) }, { $type: e() }, { $max: [e(), e()] }, { $concatArrays: [pick(['$arr', [1]]), [e()]] }, { $mergeObjects: ['$n', { m: e() }] }, { $$NOWISH: 1 }]);
    }
  };

  const filter = (): Doc => pick<() => Doc>([
    () => ({ a: scalar() }),
    () => ({ num: { [pick(['$gt', '$gte', '$lt', '$lte'])]: pick([0, 1, 3]) } }),
    () => ({ 'n.x': { $in: [scalar(), scalar()] } }),
    () => ({ $expr: expr(2) }),
    () => ({ s: { $exists: chance(0.5) } }),
  ])();
  const accumulator = (): unknown => {
    const op = pick(['$sum', '$sum', '$avg', '$min', '$max', '$first', '$last', '$push', '$addToSet', '$count']);
    if (op === '$count') return { $count: {} };
    if (op === '$sum' && chance(0.4)) return { $sum: pick([1, 2, 0.1]) };
    return { [op]: chance(0.5) ? pick(PATHS) : expr(2) };
  };
  const stage = (): Doc => pick<() => Doc>([
    () => ({ $match: filter() }),
    () => ({ [pick(['$addFields', '$set'])]: { f: expr(3), [pick(['a', 'g', 'num'])]: expr(2) } }),
    () => ({ $project: { [pick(['a', 'b', 'n', 's'])]: 1, f: expr(3), ...(chance(0.3) ? { _id: 0 } : chance(0.2) ? { _id: expr(1) } : {}), ...(chance(0.2) ? { list: [expr(1), '$missing'] } : {}), ...(chance(0.2) ? { arr: true } : {}) } }),
    () => ({ $project: chance(0.5) ? { a: 0, n: 0 } : { _id: 0 } }),
    () => ({ $project: { 'n.x': 1, f: expr(1) } }),
    () => ({ $unset: chance(0.5) ? 'a' : ['a', '_id'] }),
    () => ({ $unwind: pick(['$arr', '$a', '$n.y', '$ref', '$missing', '$s']) }),
    () => ({ $unwind: { path: pick(['$arr', '$a', '$n.y']), ...(chance(0.6) ? { preserveNullAndEmptyArrays: true } : {}), ...(chance(0.5) ? { includeArrayIndex: 'i' } : {}) } }),
    () => ({ $sort: chance(0.5) ? { [pick(['a', 'num', 'n.x', 's', 'arr.x', 'b'])]: pick([1, -1]) } : { [pick(['a', 'num', 's'])]: pick([1, -1]), _id: pick([1, -1]) } }),
    () => ({ $group: { _id: pick<unknown>([null, '$a', '$s', '$n', '$o', '$o', { k: '$a', m: '$n.x' }, expr(2), { $literal: 'all' }]), c: accumulator(), t: accumulator() } }),
    () => ({ $skip: pick([0, 1, 3]) }),
    () => ({ $limit: pick([1, 2, 5]) }),
    () => ({ $replaceRoot: { newRoot: pick<unknown>(['$n', { $mergeObjects: ['$n', { id: '$_id' }] }, { r: '$a', q: expr(1) }]) } }),
    () => ({ $lookup: { from: 'users', localField: pick(['ref', 'n.x', 'missing']), foreignField: '_id', as: pick(['user', 'a']) } }),
    () => ({ $facet: { all: [{ $match: filter() }] } }),
  ])();
  return { doc, stage, expr, pick };
}

const USERS: Doc[] = [
  { _id: 'u1', firstName: 'Ana', lastName: 'Diaz', tags: ['x'] },
  { _id: 'u2', firstName: 'Bo', lastName: 'Chen', nested: { level: 1 } },
  { _id: 'u3', lastName: 'Okafor' },
];

describe('compiled pipeline agrees with mingo (randomized)', () => {
  it('answers 3,000 random pipelines exactly like mingo: documents in order, field order, missing vs null, refusals', () => {
    const rnd = random(20261201);
    const gen = generator(rnd);
    const tally = { rows: 0, error: 0 };
    for (let round = 0; round < 3000; round++) {
      const docs = Array.from({ length: 1 + Math.floor(rnd() * 25) }, (_, i) => gen.doc(i));
      const pipeline = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => gen.stage());
      if (rnd() < 0.3) {
        // A join with the $unwind of what it joined (compiled as one stage).
        const as = gen.pick(['user', 'a']);
        const unwind = gen.pick<unknown>([`$${as}`, { path: `$${as}`, preserveNullAndEmptyArrays: true }, { path: `$${as}`, includeArrayIndex: 'i' }]);
        pipeline.splice(Math.floor(rnd() * pipeline.length), 0, { $lookup: { from: 'users', localField: gen.pick(['ref', 'ref', 'n.x']), foreignField: '_id', as } }, { $unwind: unwind });
      }
      tally[expectSame(docs, pipeline, { users: USERS }, `round ${round}`)]++;
    }
    // Most pipelines give documents; some are refused by mingo (and must be by the compiled one).
    expect(tally.rows).toBeGreaterThan(2000);
    expect(tally.error).toBeGreaterThan(10);
  });

  it('answers 1,500 random runs of one-document-at-a-time stages (after a join, into a $group) like mingo', () => {
    const rnd = random(20261203);
    const gen = generator(rnd);
    const perDocument = (): Doc => gen.pick<() => Doc>([
      () => ({ $match: gen.pick<Doc>([{ a: gen.pick(SCALARS) }, { num: { $gte: 1 } }, { $or: [{ s: 'x' }, { 'n.x': { $in: ['a', 1] } }] }, { 'user.lastName': { $gt: 'C' } }, {}]) }),
      () => ({ $addFields: { f: gen.expr(2) } }),
      () => ({ $project: { a: 1, n: 1, num: 1, s: 1, ref: 1, user: 1, f: gen.expr(1) } }),
      () => ({ $unset: 'b' }),
      () => ({ $unwind: gen.pick<unknown>(['$arr', '$a', { path: '$n.y', preserveNullAndEmptyArrays: true }]) }),
    ])();
    for (let round = 0; round < 1500; round++) {
      const docs = Array.from({ length: 1 + Math.floor(rnd() * 25) }, (_, i) => gen.doc(i));
      const pipeline: Pipeline = [];
      if (rnd() < 0.6) {
        // Now and then the local field lies under `as` (a join writing in place must not change what it reads).
        // (Chosen by round, so the random sequence is the one this test has always drawn.)
        const as = round % 7 === 3 ? 'ref' : 'user';
        pipeline.push({ $lookup: { from: 'users', localField: 'ref', foreignField: '_id', as } });
        pipeline.push({ $unwind: rnd() < 0.7 ? `$${as}` : { path: `$${as}`, preserveNullAndEmptyArrays: true } });
      }
      for (let k = Math.floor(rnd() * 5); k > 0; k--) pipeline.push(perDocument());
      if (rnd() < 0.8) pipeline.push({ $group: { _id: gen.pick<unknown>(['$a', '$user.lastName', { k: '$s', u: '$user._id' }, null]), c: { $sum: 1 }, all: { $push: gen.pick(['$_id', '$f', '$num']) } } });
      if (rnd() < 0.3) pipeline.push({ $sort: { _id: 1 } });
      expectSame(docs, pipeline, { users: USERS }, `streamed ${round}`);
    }
  });

  it('answers 1,500 random runs into a $group of sums and counts over a streamed source like mingo over the scan', () => {
    const rnd = random(20261204);
    const gen = generator(rnd);
    const before = { ...streamedRuns };
    const perDocument = (): Doc => gen.pick<() => Doc>([
      () => ({ $match: gen.pick<Doc>([{ a: gen.pick(SCALARS) }, { num: { $gte: 1 } }, { 'user.lastName': { $gt: 'C' } }, {}]) }),
      () => ({ $addFields: { f: gen.expr(2) } }),
      () => ({ $unwind: gen.pick<unknown>(['$arr', { path: '$n.y', preserveNullAndEmptyArrays: true }]) }),
    ])();
    // Integer sums are the same in any order; fractions, object keys and -0 are not: those runs go in scan order.
    const sum = () => gen.pick<unknown>([{ $sum: 1 }, { $sum: 0.1 }, { $count: {} }, { $sum: '$i' }, { $sum: '$num' }, { $sum: { $multiply: ['$i', -1] } }]);
    for (let round = 0; round < 1500; round++) {
      const docs = Array.from({ length: 1 + Math.floor(rnd() * 25) }, (_, i) => ({ ...gen.doc(i), i: Math.floor(rnd() * 5) }));
      const pipeline: Pipeline = [];
      if (rnd() < 0.5) {
        pipeline.push({ $lookup: { from: 'users', localField: 'ref', foreignField: '_id', as: 'user' } });
        pipeline.push({ $unwind: rnd() < 0.7 ? '$user' : { path: '$user', preserveNullAndEmptyArrays: true } });
        // A match on the joined fields only (when nothing later reads them, a semi-join).
        if (rnd() < 0.6) {
          pipeline.push({ $match: gen.pick<Doc>([{ 'user.lastName': 'Chen' }, { 'user.lastName': { $in: ['Diaz', 'Okafor'] } }, { 'user.firstName': { $exists: false } },
            { 'user.firstName': null }, { $or: [{ 'user.firstName': 'Ana' }, { 'user.nested.level': 1 }] }, { user: { $exists: true } }]) });
        }
      }
      for (let k = Math.floor(rnd() * 3); k > 0; k--) pipeline.push(perDocument());
      const key = gen.pick<unknown>(['$a', '$s', '$i', '$user.lastName', { k: '$s', u: '$user._id' }, { k: '$s', n: { $multiply: [{ $subtract: ['$i', 2] }, 0] } }, null, '$o', { $multiply: ['$i', -1] }]);
      pipeline.push({ $group: { _id: key, c: sum(), t: sum() } });
      if (rnd() < 0.3) pipeline.push({ $sort: { c: -1 } });
      expectSame(docs, pipeline, { users: USERS }, `order-free ${round}`);
    }
    // Both kinds of run happened: streamed through, and redone in scan order.
    expect(streamedRuns.streamed - before.streamed).toBeGreaterThan(300);
    expect(streamedRuns.inScanOrder - before.inScanOrder).toBeGreaterThan(300);
  });

  it('sorts 600 random sets of plain keys (ties, mixed types, equal dates, several keys and directions) like mingo', () => {
    const rnd = random(20261215);
    const gen = generator(rnd);
    // Plain sort keys only (the ranked sort): each column with few distinct values, so rows tie often.
    const PLAIN: unknown[] = ['a', 'b', 'B', '', '10', 0, -0, 1, 2.5, -3, 10, true, false, null, D1, D2];
    for (let round = 0; round < 600; round++) {
      const values = PLAIN.filter(() => rnd() < 0.4);
      const docs = Array.from({ length: 1 + Math.floor(rnd() * 60) }, (_, i) => {
        const doc: Doc = { _id: `d${String(i).padStart(2, '0')}`, i };
        for (const field of ['p', 'q', 'r']) {
          const value = values.length > 0 && rnd() < 0.9 ? gen.pick(values) : undefined;
          // A date equal to another but not the same object.
          if (value !== undefined) doc[field] = value instanceof Date ? new Date(value.getTime()) : value;
        }
        return doc;
      });
      const keys = ['p', 'q', 'r', '_id'].filter(() => rnd() < 0.6);
      const sort = Object.fromEntries((keys.length > 0 ? keys : ['q']).map((key) => [key, gen.pick([1, -1])]));
      expectSame(docs, [{ $sort: sort }], {}, `sort ${round}`);
    }
  });

  it('never changes its input documents: every compiled stage over frozen documents answers like mingo', () => {
    const rnd = random(4242);
    const gen = generator(rnd);
    const unwinds = ['$arr', '$n.y', { path: '$n.y', preserveNullAndEmptyArrays: true, includeArrayIndex: 'i' }, { path: '$arr', preserveNullAndEmptyArrays: true }];
    for (let round = 0; round < 300; round++) {
      // `n` an object or missing, so every $unwind path runs through objects only (compiled, not mingo's).
      // (No stage copies `n` elsewhere: mingo's $unwind deletes `n.y` in place, which would show there.)
      const docs = Array.from({ length: 12 }, (_, i) => {
        const doc = gen.doc(i);
        if (doc.n !== undefined && !isObject(doc.n)) doc.n = { x: doc.n, y: doc.a ?? null };
        return doc;
      });
      const pipeline: Pipeline = [
        { $addFields: { f: gen.pick<unknown>([{ $ifNull: ['$s', '$a'] }, '$n.x', { $cond: [{ $gt: ['$num', 1] }, '$n.x', '$arr'] }, { p: '$n.x', q: ['$arr'] }]) } },
        { $unwind: gen.pick(unwinds) },
        { $lookup: { from: 'users', localField: 'ref', foreignField: '_id', as: 'user' } },
        { $unwind: { path: '$user', preserveNullAndEmptyArrays: true } },
        gen.pick([{ $project: { n: 1, a: 1, f: 1, user: 1 } }, { $unset: ['a', 'b'] }, { $set: { g: '$n.x' } }, { $replaceRoot: { newRoot: { d: '$$ROOT', x: '$n.x' } } }]),
        { $sort: { a: 1, _id: -1 } },
        { $group: { _id: '$a', all: { $push: '$$ROOT' }, n: { $first: '$n' } } },
      ];
      const frozen = deepFreeze(structuredClone(docs));
      const users = deepFreeze(structuredClone(USERS));
      const out = runCompiledPipeline(frozen, pipeline, { all: () => users, byId: () => users, everyCovered: () => null });
      const expected = new Aggregator(pipeline, { ...MINGO_OPTIONS, collectionResolver: () => structuredClone(USERS) }).run(structuredClone(docs));
      expect(shape(out), JSON.stringify(pipeline)).toEqual(shape(expected));
      expect(frozen).toStrictEqual(docs);
    }
  });

  it('evaluates 5,000 random expressions exactly like mingo (or refuses them alike)', () => {
    const rnd = random(777);
    const gen = generator(rnd);
    for (let round = 0; round < 5000; round++) {
      const docs = Array.from({ length: 3 }, (_, i) => gen.doc(i));
      expectSame(docs, [{ $project: { _id: 0, v: gen.expr(4) } }], {}, `expression ${round}`);
    }
  });
});

describe('compiled pipeline: fallbacks and refusals', () => {
  const docs: Doc[] = [
    { _id: '1', a: 2, tags: ['x', 'y'], ref: 'u1' },
    { _id: '2', a: 'text', tags: [], ref: ['u2', 'nobody'] },
  ];
  const sources: JoinSources = { all: () => deepFreeze(structuredClone(USERS)), byId: () => deepFreeze(structuredClone(USERS)), everyCovered: () => null };

  it('runs an operator it does not compile through mingo, inside compiled ones and with $let variables', () => {
    const out = runCompiledPipeline(docs, [{ $project: { _id: 0, v: { $let: { vars: { t: '$tags' }, in: { $ifNull: [{ $toUpper: { $arrayElemAt: ['$$t', 0] } }, 'none'] } } } } }], sources);
    expect(out).toEqual([{ v: 'X' }, { v: 'none' }]);
  });

  it('hands the rest of the pipeline to mingo from a stage it does not compile ($facet), then compiles again after it', () => {
    const out = runCompiledPipeline(docs, [
      { $facet: { both: [{ $project: { _id: 1 } }] } },
      { $unwind: '$both' },
      { $lookup: { from: 'users', localField: 'both._id', foreignField: '_id', as: 'none' } },
      { $project: { id: '$both._id', n: { $size: '$none' } } },
    ], sources);
    expect(out).toEqual([{ id: '1', n: 0 }, { id: '2', n: 0 }]);
  });

  it('joins on _id without changing the joined documents, and the results are the caller’s own copies', () => {
    const users = deepFreeze(structuredClone(USERS));
    const own: JoinSources = { all: () => users, byId: () => users, everyCovered: () => null };
    const out = runCompiledPipeline(docs, [
      { $lookup: { from: 'users', localField: 'ref', foreignField: '_id', as: 'user' } },
      { $unwind: { path: '$user', includeArrayIndex: 'at' } },
      { $addFields: { who: '$user.lastName' } },
    ], own);
    expect(out.map((d) => [d._id, d.who, d.at])).toEqual([['1', 'Diaz', 0], ['2', 'Chen', 0], ['2', undefined, 1]]);
    expect(out[0].user).toEqual(USERS[0]);
    expect(out[0].user).not.toBe(users[0]);
    (out[0].user as Doc).lastName = 'changed';
    expect(users[0].lastName).toBe('Diaz');
  });

  it('results of primitive values only are the caller\'s own too: distinct objects, not the joined documents', () => {
    const users = deepFreeze(structuredClone(USERS));
    const own: JoinSources = { all: () => users, byId: () => users, everyCovered: () => null };
    // Each row is the joined user document itself (the same one for two inputs naming it).
    const rows = runCompiledPipeline([{ _id: 'a', ref: 'u3' }, { _id: 'b', ref: 'u3' }], [
      { $lookup: { from: 'users', localField: 'ref', foreignField: '_id', as: 'user' } },
      { $unwind: '$user' },
      { $replaceRoot: { newRoot: '$user' } },
    ], own);
    expect(rows).toEqual([USERS[2], USERS[2]]);
    expect(rows[0]).not.toBe(users[2]);
    expect(rows[0]).not.toBe(rows[1]);
    rows[0].lastName = 'changed';
    expect(rows[1].lastName).toBe('Okafor');
  });

  it('an $unwind that keeps a document with an empty array removes the field from that document only, not from an equal value elsewhere in it', () => {
    // MongoDB: "each output document is the input document with the value of the array field
    // replaced by the element", and with preserveNullAndEmptyArrays an empty array's document is
    // output without the field. Documents are values: `f` holds a copy of `n`, so removing
    // `n.y` leaves `f.y` alone. mingo gets this wrong (its $project puts the very same object at
    // `f` and `n`, and its $unwind deletes `n.y` in place, so `f.y` goes too); the randomized
    // tests' sequences do not draw this pipeline.
    const pipeline: Pipeline = [
      { $project: { n: 1, f: ['$n', '$arr'] } },
      { $unwind: { path: '$f', preserveNullAndEmptyArrays: true } },
      { $unwind: { path: '$n.y', preserveNullAndEmptyArrays: true } },
    ];
    for (const owned of [false, true]) {
      const out = runCompiledPipeline([{ _id: 'd', n: { x: 1, y: [] } }], pipeline, sources, owned);
      expect(shape(out)).toEqual(shape([
        { f: { x: 1, y: [] }, n: { x: 1 }, _id: 'd' },
        { f: null, n: { x: 1 }, _id: 'd' },
      ]));
    }
  });

  it('refuses a malformed stage or expression with InvalidQueryError naming it, also when mingo decides', () => {
    const refused = (pipeline: Pipeline) => () => runCompiledPipeline(docs, pipeline, sources);
    expect(refused([{ $group: { total: { $sum: 1 } } }])).toThrow(/invalid pipeline: .*_id/);
    expect(refused([{ $project: { v: { $concat: ['$a', 'x'] } } }])).toThrow(InvalidQueryError);
    expect(refused([{ $project: { v: { $noSuchOperator: 1 } } }])).toThrow(InvalidQueryError);
    expect(refused([{ $addFields: { v: { $divide: ['$a', 0] } } }])).toThrow(/divide/);
    expect(refused([{ $replaceRoot: { newRoot: '$a' } }])).toThrow(InvalidQueryError);
    expect(refused([{ $match: { a: { $bogus: 1 } } }])).toThrow(InvalidQueryError);
    expect(refused([{ $sort: { a: 2 } }])).not.toThrow(); // mingo sorts anything but -1 ascending
  });

  it('a compiled expression reads a variable, or mingo refuses an unknown one', () => {
    expect(compileExpression({ $let: { vars: { x: 2 }, in: { $multiply: ['$$x', '$a'] } } })({ a: 4 }, {})).toBe(8);
    expect(() => compileExpression('$$unknown')({}, {})).toThrow(/undefined variable/);
  });
});

describe('embedded store aggregate runs compiled pipelines', () => {
  it('joins on _id through the store (only the named cases read), groups like mingo, and hands out its own copies', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'compiled-pipeline-'));
    const store = await openEmbeddedStore({ dir });
    try {
      const cases: Doc[] = Array.from({ length: 30 }, (_, i) => ({ _id: `c${i}`, number: `N-${i}`, data: { agency: i % 3 ? 'Harbor' : 'Bridgeway', tags: [`t${i % 2}`] } }));
      const records: Doc[] = Array.from({ length: 200 }, (_, i) => ({ _id: `r${String(i).padStart(3, '0')}`, kind: i % 4 ? 'activity' : 'other', caseId: i % 17 === 0 ? 'missing' : `c${i % 30}`, minutes: i % 9 === 0 ? null : i % 50 }));
      await store.collection('cases').insertMany(cases);
      await store.collection('records').insertMany(records);
      const pipeline: Pipeline = [
        { $match: { kind: 'activity' } },
        { $lookup: { from: 'cases', localField: 'caseId', foreignField: '_id', as: 'case' } },
        { $unwind: '$case' },
        { $match: { 'case.data.agency': { $in: ['Harbor', 'Bridgeway'] } } },
        { $group: { _id: { agency: '$case.data.agency', tag: { $arrayElemAt: ['$case.data.tags', 0] } }, n: { $sum: 1 }, minutes: { $sum: { $ifNull: ['$minutes', 0] } }, first: { $first: '$case' } } },
        { $sort: { '_id.agency': 1, '_id.tag': -1 } },
      ];
      const expected = new Aggregator(pipeline, { ...MINGO_OPTIONS, collectionResolver: () => structuredClone(cases) }).run(structuredClone(records));
      const first = await store.collection('records').aggregate(pipeline);
      expect(shape(first)).toEqual(shape(expected));
      expect(first.length).toBe(4);
      // Changing a result changes neither the store nor a later answer.
      ((first[0].first as Doc).data as Doc).agency = 'changed';
      expect(await store.collection('records').aggregate(pipeline)).toStrictEqual(expected);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
