/**
 * Covered aggregation (covered-fields.ts, covered-documents.ts, EmbeddedCollection.aggregate):
 * which pipelines an index covers, the inverse of the key components, and a randomized
 * differential check that pipelines answered from index keys give exactly (field order, missing
 * vs null) what the same pipelines give over the documents themselves.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedCollection } from '../../src/store/embedded/collection.js';
import { NOT_EXACT, componentValue, coveredDocument } from '../../src/store/embedded/covered-documents.js';
import { joinedFields, sourceFields } from '../../src/store/embedded/covered-fields.js';
import { openEmbeddedStore } from '../../src/store/embedded/index.js';
import { canonical, indexEntries, keyComponent } from '../../src/store/embedded/keys.js';
import type { Doc, Pipeline, Store } from '../../src/store/types.js';

/** Small deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A value with its field order and types made visible (toStrictEqual ignores key order). */
function shape(value: unknown): unknown {
  if (value instanceof Date) return { date: value.getTime() };
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') return Object.entries(value).map(([k, v]) => [k, shape(v)]);
  if (Object.is(value, -0)) return { negativeZero: true };
  return value === undefined ? { undefined: true } : value;
}

const sorted = (fields: Set<string> | null): string[] | null => (fields ? [...fields].sort() : null);

describe('fields a pipeline reads from its source documents', () => {
  it('collects $match, $sort, $lookup, $unwind and expression paths up to the stage that replaces the documents', () => {
    expect(sorted(sourceFields([
      { $match: { form: 'f', 'data.day': { $gte: '2024' }, $or: [{ a: 1 }, { $expr: { $gt: ['$b', '$$NOW'] } }] } },
      { $lookup: { from: 'cases', localField: 'caseId', foreignField: '_id', as: 'case' } },
      { $unwind: '$case' },
      { $match: { 'case.data.agency': 'x' } },
      { $sort: { 'data.day': 1 } },
      { $addFields: { minutes: { $ifNull: ['$data.minutes', 0] } } },
      { $group: { _id: { who: '$createdBy', agency: '$case.data.agency' }, total: { $sum: '$minutes' }, n: { $sum: 1 } } },
      { $project: { whole: '$$ROOT' } },
    ]))).toEqual(['a', 'b', 'caseId', 'createdBy', 'data.day', 'data.minutes', 'form']);
    expect(sorted(sourceFields([{ $match: { a: 1 } }, { $count: 'n' }]))).toEqual(['a']);
    expect(sorted(sourceFields([{ $match: { a: 1 } }, { $project: { _id: 0, a: 1, c: { $concat: ['$d', '-'] } } }]))).toEqual(['a', 'd']);
    expect(sorted(sourceFields([{ $match: { a: 1 } }, { $project: { _id: 1, a: 1, c: '$d' } }]))).toEqual(['_id', 'a', 'd']);
    expect(sorted(sourceFields([{ $replaceRoot: { newRoot: { x: '$a.b' } } }]))).toEqual(['a.b']);
    expect(sorted(sourceFields([{ $group: { _id: '$_id' } }]))).toEqual(['_id']);
  });

  it('is null when the pipeline may need more than named fields', () => {
    const notCovered: Pipeline[] = [
      [{ $match: { a: 1 } }], // the documents themselves are the output
      [{ $match: { a: 1 } }, { $sort: { a: 1 } }, { $limit: 3 }],
      [{ $group: { _id: null, all: { $push: '$$ROOT' } } }],
      [{ $group: { _id: null, all: { $push: '$$CURRENT.a' } } }],
      [{ $facet: { x: [{ $count: 'n' }] } }],
      [{ $lookup: { from: 'c', let: { a: '$a' }, pipeline: [], as: 'j' } }, { $count: 'n' }],
      [{ $project: { a: 0 } }],
      [{ $match: { a: 1 } }, { $project: { _id: 0 } }], // excludes _id only: every other field stays
      [{ $project: { a: { b: 1 } } }],
      [{ $addFields: { data: { extra: 1 } } }, { $group: { _id: '$data.x' } }],
      [{ $addFields: { 'x.y': 1 } }, { $group: { _id: '$x' } }], // whole subdocument, partly computed
      [{ $group: { _id: { $getField: 'a' } } }],
      [{ $match: { $where: 'true' } }, { $count: 'n' }],
      [{ $unset: 'a' }, { $count: 'n' }],
      [{ $sortByCount: '$a' }],
    ];
    for (const pipeline of notCovered) expect(sourceFields(pipeline), JSON.stringify(pipeline)).toBeNull();
  });

  it('does not count paths under a joined or computed field as source fields', () => {
    expect(sorted(sourceFields([
      { $lookup: { from: 'u', localField: 'by', foreignField: '_id', as: 'user' } },
      { $addFields: { day: { $substr: ['$at', 0, 10] } } },
      { $group: { _id: { n: '$user.name', d: '$day' } } },
    ]))).toEqual(['at', 'by']);
  });
});

describe('fields the stages after a join read of the joined documents', () => {
  it('names them, or is null when the stages may read the whole joined document (or output it)', () => {
    expect(sorted(joinedFields([{ $match: { 'c.kind': 'x', g: 1 } }, { $group: { _id: '$c.data.team', n: { $sum: '$n' } } }], 'c'))).toEqual(['data.team', 'kind']);
    expect(sorted(joinedFields([{ $group: { _id: '$g' } }], 'c'))).toEqual([]);
    expect(joinedFields([{ $project: { c: 1 } }], 'c')).toBeNull();
    expect(joinedFields([{ $group: { _id: '$c' } }], 'c')).toBeNull();
    expect(joinedFields([{ $match: { 'c.kind': 'x' } }], 'c')).toBeNull();
  });
});

describe('key components back to values', () => {
  const exact: unknown[] = ['', 'text', 'ünïcode ✓', 0, 1, -1, 2.5, 1e21, -1e-7, Number.MAX_VALUE, Infinity, -Infinity, NaN, true, false,
    new Date(0), new Date(Date.UTC(2026, 5, 30, 12, 30)), new Date(-86_400_000)];
  it('inverts the exact forms', () => {
    for (const value of exact) expect(shape(componentValue(keyComponent(canonical(value), 1))), String(value)).toEqual(shape(value));
  });

  it('has no inverse for null, missing, long or unpaired-surrogate strings, arrays, documents, binaries', () => {
    const inexact: unknown[] = [null, undefined, 'x'.repeat(2000), '\ud800', [], [1], { a: 1 }, Buffer.from('ab'), /re/];
    for (const value of inexact) expect(componentValue(keyComponent(canonical(value), 1)), String(value)).toBe(NOT_EXACT);
    const [empty] = indexEntries({ a: [] }, [['a']], false);
    expect(componentValue(empty.components[0])).toBe(NOT_EXACT);
  });

  it('builds nested documents for dotted paths, or none when a wanted component is not exact', () => {
    const fieldParts = [['form'], ['data', 'day'], ['data', 'youth', 'agency'], ['n']];
    const key = ['sactivity', 's2026-06-01', 'sNorth', 'z', 'id1'];
    expect(coveredDocument({ fieldParts, wanted: [0, 1, 2] }, key)).toEqual({ _id: 'id1', form: 'activity', data: { day: '2026-06-01', youth: { agency: 'North' } } });
    expect(coveredDocument({ fieldParts, wanted: [1, 3] }, key)).toBeNull();
    expect(coveredDocument({ fieldParts: [['a'], ['a', 'b']], wanted: [0, 1] }, ['s1', 's2', 'id'])).toBeNull();
    expect(coveredDocument({ fieldParts: [['a', 'b'], ['a']], wanted: [0, 1] }, ['s1', 's2', 'id'])).toBeNull();
    expect(coveredDocument({ fieldParts: [['_id', 'b'], ['a']], wanted: [0, 1] }, ['s1', 's2', 'id'])).toBeNull();
  });

  it('orders the fields as the wanted ones first name them, nested ones too', () => {
    const fieldParts = [['data', 'x'], ['top'], ['data', 'youth', 'b'], ['data', 'youth', 'a'], ['data', 'w'], ['first']];
    const key = ['n1', 'b1', 'sB', 'sA', 'd86400000', 'sF', 'id2'];
    const doc = coveredDocument({ fieldParts, wanted: [5, 0, 1, 2, 3, 4] }, key)!;
    expect(doc).toStrictEqual({ _id: 'id2', first: 'F', data: { x: 1, youth: { b: 'B', a: 'A' }, w: new Date(86400000) }, top: true });
    expect(JSON.stringify(doc)).toBe('{"_id":"id2","first":"F","data":{"x":1,"youth":{"b":"B","a":"A"},"w":"1970-01-02T00:00:00.000Z"},"top":true}');
  });
});

const GROUPS = ['g1', 'g2', 'g3', 'g4'];
const LONG = 'L'.repeat(400);

describe('covered aggregation answers like reading the documents (randomized)', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-covered-'));
    store = await openEmbeddedStore({ dir });
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('agrees on 400 random pipelines over covered and uncovered fields, with updates in between', async () => {
    const rnd = random(20261201);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
    const day = (): Date => new Date(Date.UTC(2026, 0, 1 + Math.floor(rnd() * 20)));
    const scalar = (): unknown => pick<unknown>(['a', 'b', LONG, LONG + 'x', 0, -0, 1, 2.5, -3, true, false, null, day(), '']);
    const maybe = (make: () => unknown): unknown => (rnd() < 0.1 ? undefined : make());
    const makeDoc = (i: number): Doc => {
      const doc: Doc = { _id: `d${String(i).padStart(4, '0')}` };
      const set = (path: string, value: unknown) => {
        if (value === undefined) return;
        const parts = path.split('.');
        let node = doc as Record<string, unknown>;
        for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
        node[parts[parts.length - 1]] = value;
      };
      const values: [string, unknown][] = [
        ['g', rnd() < 0.95 ? pick(GROUPS) : maybe(scalar)],
        ['x.day', rnd() < 0.9 ? day() : maybe(scalar)],
        ['x.who', maybe(() => pick(['ann', 'bob', 'cy', LONG, null]))],
        ['n', maybe(scalar)],
        ['b', maybe(() => pick([true, false, null]))],
        ['ref', maybe(() => `r${Math.floor(rnd() * 6)}`)],
        // `arr` sometimes holds an array (one element too): an index on it never covers it.
        ['arr', maybe(() => (rnd() < 0.3 ? [scalar()] : scalar()))],
        ['other', scalar()],
      ];
      // Fields in a random order: answers must not depend on it (covered documents have the index's order).
      values.sort(() => rnd() - 0.5);
      for (const [path, value] of values) set(path, value);
      return doc;
    };

    const covered = store.collection('covered') as unknown as EmbeddedCollection;
    const plain = store.collection('plain');
    const refs = store.collection('refs');
    await refs.insertMany(Array.from({ length: 5 }, (_, i) => ({ _id: `r${i}`, label: `ref ${i}`, kind: pick(['k1', 'k2']) })));
    await covered.createIndex({ key: { g: 1, 'x.day': 1, 'x.who': 1, n: 1, b: 1, ref: 1, arr: 1 } });
    const docs = Array.from({ length: 300 }, (_, i) => makeDoc(i));
    await covered.insertMany(docs);
    await plain.insertMany(docs);

    const coveredFields = ['g', 'x.day', 'x.who', 'n', 'b', 'ref'];
    const fields = [...coveredFields, 'arr', 'other', '_id'];
    const field = (): string => (rnd() < 0.85 ? pick(coveredFields) : pick(fields));
    const leading = (): Doc => {
      const match: Doc = {};
      const r = rnd();
      match.g = r < 0.6 ? pick(GROUPS) : r < 0.8 ? { $in: [pick(GROUPS), pick(GROUPS)] } : { $gte: pick(GROUPS) };
      if (rnd() < 0.7) {
        const from = day();
        match['x.day'] = rnd() < 0.5 ? { $gte: from, $lte: new Date(from.getTime() + 5 * 86_400_000) } : { $lt: from };
      }
      if (rnd() < 0.3) match[pick(['n', 'b', 'x.who'])] = rnd() < 0.5 ? scalar() : { $ne: scalar() };
      return match;
    };
    const expression = (): unknown => {
      const f = `$${field()}`;
      return pick<unknown>([f, { $ifNull: [f, 'none'] }, { $type: f }, { $cond: [{ $eq: [f, true] }, 1, 0] }]);
    };
    const pipeline = (): Pipeline => {
      const stages: Pipeline = [{ $match: leading() }];
      if (rnd() < 0.3) stages.push({ $match: { [field()]: rnd() < 0.5 ? scalar() : { $exists: rnd() < 0.5 } } });
      const joined = rnd() < 0.3;
      if (joined) {
        stages.push({ $lookup: { from: 'refs', localField: 'ref', foreignField: '_id', as: 'joined' } });
        if (rnd() < 0.7) stages.push({ $unwind: '$joined' });
      }
      if (rnd() < 0.2) stages.push({ $sort: { [field()]: pick([1, -1]), _id: 1 } }, { $limit: 1 + Math.floor(rnd() * 40) });
      if (rnd() < 0.2) stages.push({ $addFields: { computed: expression() } });
      const r = rnd();
      if (r < 0.25) {
        // Sums and counts only: streamed from the keys in index order, groups put in scan order.
        stages.push({ $group: { _id: rnd() < 0.7 ? { k: `$${field()}`, ...(joined ? { j: '$joined.kind' } : {}) } : `$${field()}`, count: { $sum: 1 }, total: { $sum: { $ifNull: [`$${field()}`, 0] } } } });
      } else if (r < 0.5) {
        stages.push({
          $group: {
            _id: { k: `$${field()}`, ...(joined ? { j: '$joined.kind' } : {}) },
            count: { $sum: 1 },
            total: { $sum: { $ifNull: [`$${field()}`, 0] } },
            first: { $first: expression() },
            all: { $push: `$${field()}` },
            max: { $max: `$${field()}` },
          },
        });
      } else if (r < 0.8) {
        stages.push({ $project: { ...(rnd() < 0.5 ? { _id: 0 } : {}), [field()]: 1, [field()]: 1, e: expression(), ...(joined ? { j: '$joined.label' } : {}) } });
      } else if (r < 0.9) {
        stages.push({ $count: 'n' });
      } else {
        stages.push({ $replaceRoot: { newRoot: { v: expression() } } });
      }
      return stages;
    };

    let answered = 0;
    for (let round = 0; round < 400; round++) {
      if (round === 200) {
        // Give `n` an array in one document: from then on the index does not cover `n`.
        const update = { $set: { n: [5] } };
        await covered.updateOne({ _id: 'd0007' }, update);
        await plain.updateOne({ _id: 'd0007' }, update);
      }
      if (round === 300) {
        // Two values of `arr` in one document: from then on the index has two entries for it, so
        // covered documents are found once each among several entries (uncovered `arr` aside).
        const update = { $set: { arr: ['a', 'b'] } };
        await covered.updateOne({ _id: 'd0011' }, update);
        await plain.updateOne({ _id: 'd0011' }, update);
        expect(covered.indexes.forReads[0].definition.multikey).toContain(true);
      }
      if (round % 50 === 25) {
        const update = { $set: { 'x.who': pick(['ann', 'dee', null]), n: round === 75 ? -0 : round } };
        const filter = { g: pick(GROUPS) };
        await covered.updateMany(filter, update);
        await plain.updateMany(filter, update);
      }
      const p = pipeline();
      const fromKeys = covered.coveredReads.fromKeys;
      const [got, want] = await Promise.all([covered.aggregate(p), plain.aggregate(p)]);
      expect(shape(got), JSON.stringify(p)).toEqual(shape(want));
      if (covered.coveredReads.fromKeys > fromKeys) answered++;
    }
    // Both paths were exercised: many pipelines read keys, and keys without an exact value fell back.
    expect(answered).toBeGreaterThan(100);
    expect(covered.coveredReads.fromDocuments).toBeGreaterThan(0);
    expect(covered.coveredReads.streamed).toBeGreaterThan(10);
  });

  it('joins on _id from the keys of an index holding the joined fields read, like reading the joined documents (300 random pipelines)', async () => {
    const rnd = random(20261202);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
    const scalar = (): unknown => pick<unknown>(['a', 'b', LONG, 0, 1, 2.5, true, false, null, new Date(Date.UTC(2026, 0, 2)), '']);
    const person = (i: number): Doc => {
      const doc: Doc = { _id: `p${i}`, info: { team: rnd() < 0.9 ? pick(['red', 'blue']) : scalar() } };
      if (rnd() < 0.9) doc.kind = pick(['k1', 'k2', 'k3']);
      else delete doc.info.team;
      if (rnd() < 0.9) doc.level = rnd() < 0.8 ? pick([1, 2, 3]) : scalar();
      if (rnd() < 0.8) doc.other = scalar();
      return rnd() < 0.3 ? Object.fromEntries(Object.entries(doc).reverse()) : doc;
    };
    const people = store.collection('people') as unknown as EmbeddedCollection;
    const plainPeople = store.collection('plainPeople');
    await people.createIndex({ key: { kind: 1, 'info.team': 1, level: 1 } });
    // A sparse index holding the fields too is never read for a join: it leaves documents out.
    await people.createIndex({ key: { kind: 1, 'info.team': 1 }, sparse: true });
    const persons = Array.from({ length: 60 }, (_, i) => person(i));
    await people.insertMany(persons);
    await plainPeople.insertMany(persons);
    const visits = store.collection('visits');
    await visits.insertMany(Array.from({ length: 300 }, (_, i) => {
      const r = rnd();
      const ref = r < 0.85 ? `p${Math.floor(rnd() * 66)}` : r < 0.9 ? null : r < 0.95 ? [`p${Math.floor(rnd() * 60)}`, `p${Math.floor(rnd() * 60)}`] : undefined;
      return { _id: `v${String(i).padStart(3, '0')}`, g: pick(GROUPS), n: Math.floor(rnd() * 5), ...(ref === undefined ? {} : { ref }) };
    }));
    const JOINED_FIELDS = ['kind', 'info.team', 'level', 'level', 'other', '_id'];
    const pipeline = (from: string, choices: () => number): Pipeline => {
      const r = (n: number) => choices() < n;
      const stages: Pipeline = [{ $match: r(0.7) ? { g: { $in: [GROUPS[0], GROUPS[1], GROUPS[2]] } } : {} }];
      stages.push({ $lookup: { from, localField: 'ref', foreignField: '_id', as: 'who' } });
      stages.push(r(0.8) ? { $unwind: '$who' } : { $unwind: { path: '$who', preserveNullAndEmptyArrays: true } });
      if (r(0.5)) stages.push({ $match: { $or: [{ 'who.kind': 'k1' }, { 'who.info.team': r(0.5) ? 'red' : { $in: ['blue', null] } }] } });
      if (r(0.2)) stages.push({ $match: { 'who.level': { $gte: 2 } } });
      const a = `$who.${JOINED_FIELDS[Math.floor(choices() * JOINED_FIELDS.length)]}`;
      const b = `$who.${JOINED_FIELDS[Math.floor(choices() * JOINED_FIELDS.length)]}`;
      const shape = choices();
      if (shape < 0.25) stages.push({ $group: { _id: { a, g: '$g' }, count: { $sum: 1 }, total: { $sum: { $ifNull: [b, 0] } } } });
      else if (shape < 0.5) stages.push({ $group: { _id: { a, g: '$g' }, count: { $sum: 1 }, total: { $sum: { $ifNull: [b, 0] } }, all: { $push: b } } });
      else if (shape < 0.85) stages.push({ $project: { _id: 1, g: 1, a, b: { $ifNull: [b, 'none'] } } });
      else stages.push({ $project: { who: 1 } }); // the whole joined document: never covered
      return stages;
    };
    let answered = 0;
    for (let round = 0; round < 300; round++) {
      if (round === 150) {
        // A one-element array in `level`: from then on the index does not cover it.
        await people.updateOne({ _id: 'p3' }, { $set: { level: [2] } });
        await plainPeople.updateOne({ _id: 'p3' }, { $set: { level: [2] } });
      }
      const seed = Math.floor(rnd() * 1e9);
      const fromKeys = people.coveredReads.fromKeys;
      const got = await visits.aggregate(pipeline('people', random(seed)));
      const want = await visits.aggregate(pipeline('plainPeople', random(seed)));
      expect(shape(got), JSON.stringify(pipeline('people', random(seed)))).toEqual(shape(want));
      if (people.coveredReads.fromKeys > fromKeys) answered++;
    }
    // Many joins read keys, and some keys without an exact value (null, a long string) read their document.
    expect(answered).toBeGreaterThan(80);
    expect(people.coveredReads.fromDocuments).toBeGreaterThan(0);
  });

  it('reads -0 back as 0, as a key shows it', async () => {
    const c = store.collection('zero');
    await c.insertOne({ _id: 'z', n: -0 });
    const doc = await c.findOne({ _id: 'z' });
    expect(Object.is(doc?.n, 0)).toBe(true);
    expect(componentValue(canonical(-0))).toBe(0);
  });

  it('reads the keys of a covering index that leads with the same fields as the planned one', async () => {
    const c = store.collection('leading') as unknown as EmbeddedCollection;
    await c.createIndex({ key: { g: 1, day: 1 } });
    await c.insertMany([{ _id: 'a', g: 'x', day: 1, v: 'p' }, { _id: 'b', g: 'x', day: 2, v: 'q' }, { _id: 'c', g: 'x', day: 3, v: 'r' }, { _id: 'd', g: 'y', day: 2, v: 's' }]);
    const p = [{ $match: { g: 'x', day: { $gte: 2 } } }, { $group: { _id: '$v', n: { $sum: 1 } } }];
    const before = await c.aggregate(p);
    expect(c.coveredReads.fromKeys).toBe(0);
    await c.createIndex({ key: { g: 1, day: 1, v: 1 } });
    expect(await c.aggregate(p)).toEqual(before);
    expect(before).toEqual([{ _id: 'q', n: 1 }, { _id: 'r', n: 1 }]);
    expect(c.coveredReads).toEqual({ fromKeys: 2, fromDocuments: 0, streamed: 1 });
  });

  it('takes a key within the range as matching when the keys answer the filter, and tests what they cannot tell', async () => {
    const c = store.collection('answered') as unknown as EmbeddedCollection;
    await c.createIndex({ key: { g: 1, day: 1, v: 1 } });
    await c.insertMany([
      { _id: 'a', g: 'x', day: 1, v: 'p' }, { _id: 'b', g: 'x', day: 2, v: 'q' }, { _id: 'c', g: 'x', day: 3, v: 'r' },
      { _id: 'd', g: 'y', day: 2, v: 's' }, { _id: 'e', g: 'x', day: '2', v: 't' }, { _id: 'f', g: 'x', v: 'u' },
      { _id: 'g', g: 'x', day: new Date(2), v: 'w' },
    ]);
    const values = async (match: Doc) => (await c.aggregate([{ $match: match }, { $project: { _id: 0, v: 1 } }])).map((d) => d.v);
    // A string, a missing field, a date: none meets number bounds (the keys cannot tell; their documents are tested).
    expect(await values({ g: 'x', day: { $gte: 2 } })).toEqual(['q', 'r']);
    expect(await values({ g: 'x', $and: [{ day: { $gte: 1 } }, { day: { $lte: 2 } }] })).toEqual(['p', 'q']);
    // A bound inside an `$or`, or a condition on another field: the keys do not answer them, the filter is tested.
    expect(await values({ g: 'x', day: { $gte: 2 }, $or: [{ day: { $lt: 3 } }] })).toEqual(['q']);
    expect(await values({ g: 'x', day: { $gte: 1 }, v: { $ne: 'q' } })).toEqual(['p', 'r']);
    expect(await values({ g: { $in: ['x', 'y'] }, day: { $gt: 1, $lt: 3 } })).toEqual(['q', 's']);
  });

  it('reads null from the keys of a field no document lacked, covers an $or through each clause\'s index, and reads the documents once a field went missing (300 random pipelines)', async () => {
    const rnd = random(20261202);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
    const day = (): Date | null => (rnd() < 0.3 ? null : new Date(Date.UTC(2026, 0, 1 + Math.floor(rnd() * 20))));
    // Every document holds every field (often null), as records written from one schema do; `m` is sometimes missing.
    const makeDoc = (i: number): Doc => ({
      _id: `n${String(i).padStart(4, '0')}`,
      g: pick(['a', 'b', 'c']), h: pick(['p', 'q', null]), day: day(), done: day(),
      who: pick(['ann', 'bob', null, null]), x: { v: pick([1, 2, null]) },
      ...(rnd() < 0.8 ? { m: pick(['k', null]) } : {}),
    });
    const covered = store.collection('null-covered') as unknown as EmbeddedCollection;
    const plain = store.collection('null-plain');
    // The planner may pick the narrow index for a clause: the covered read then takes the wide one leading alike.
    await covered.createIndex({ key: { g: 1, day: 1 } });
    await covered.createIndex({ key: { g: 1, day: 1, who: 1, done: 1, 'x.v': 1, h: 1, m: 1 } });
    await covered.createIndex({ key: { h: 1, done: 1, g: 1, day: 1, who: 1, 'x.v': 1, m: 1 } });
    const docs = Array.from({ length: 240 }, (_, i) => makeDoc(i));
    await covered.insertMany(docs);
    await plain.insertMany(docs);
    const wide = covered.indexes.forReads.find((index) => index.fields.length > 2)!;
    expect(wide.definition.missing).toEqual([false, false, false, false, false, false, true]);

    const fields = ['g', 'h', 'day', 'done', 'who', 'x.v'];
    const clause = (): Doc => {
      const from = new Date(Date.UTC(2026, 0, 1 + Math.floor(rnd() * 15)));
      return rnd() < 0.5
        ? { g: pick(['a', 'b', 'c']), ...(rnd() < 0.7 ? { day: rnd() < 0.5 ? { $gte: from } : { $lte: from } } : {}) }
        : { h: pick(['p', 'q', null]), ...(rnd() < 0.7 ? { done: { $gte: from } } : {}) };
    };
    const expression = (): unknown => {
      const f = `$${pick(fields)}`;
      return pick<unknown>([f, { $ifNull: [f, 'none'] }, { $type: f }, { $cond: [{ $eq: [f, null] }, 1, 0] }, { $ne: [f, null] }]);
    };
    const pipeline = (): Pipeline => {
      const r = rnd();
      const match: Doc = r < 0.6 ? { $or: [clause(), clause()] } : r < 0.8 ? { $or: [clause()] } : clause();
      if (rnd() < 0.3) match[pick(fields)] = rnd() < 0.5 ? null : { $ne: null };
      const stages: Pipeline = [{ $match: match }];
      const s = rnd();
      if (s < 0.4) stages.push({ $project: { _id: rnd() < 0.5 ? 0 : 1, [pick(fields)]: 1, [pick(fields)]: 1, e: expression(), ...(rnd() < 0.3 ? { m: 1 } : {}) } });
      else if (s < 0.7) stages.push({ $group: { _id: { k: `$${pick(fields)}` }, n: { $sum: 1 }, nulls: { $sum: { $cond: [{ $eq: [`$${pick(fields)}`, null] }, 1, 0] } } } });
      else if (s < 0.85) stages.push({ $group: { _id: `$${pick(fields)}`, all: { $push: `$${pick(fields)}` }, first: { $first: expression() } } });
      else stages.push({ $count: 'n' });
      return stages;
    };

    let unionsFromKeys = 0;
    let fellBack = 0;
    for (let round = 0; round < 300; round++) {
      if (round === 150) {
        // One document loses `who`: from then on a null `who` in a key may be a missing one.
        await covered.updateOne({ _id: 'n0003' }, { $unset: { who: '' } });
        await plain.updateOne({ _id: 'n0003' }, { $unset: { who: '' } });
        expect(wide.definition.missing?.[2]).toBe(true);
      }
      const p = pipeline();
      const before = { ...covered.coveredReads };
      const [got, want] = await Promise.all([covered.aggregate(p), plain.aggregate(p)]);
      expect(shape(got), JSON.stringify(p)).toEqual(shape(want));
      const match = (p[0] as { $match: Doc }).$match;
      if (covered.coveredReads.fromKeys > before.fromKeys && Array.isArray(match.$or) && match.$or.length === 2) unionsFromKeys++;
      if (round >= 150 && covered.coveredReads.fromDocuments > before.fromDocuments) fellBack++;
    }
    expect(unionsFromKeys).toBeGreaterThan(50);
    expect(fellBack).toBeGreaterThan(10);
  });

  it('streams a covered match through a covered join into sums and counts in index order, with the groups in scan order', async () => {
    const rnd = random(20261205);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
    const cases = Array.from({ length: 40 }, (_, i) => ({ _id: `c${String(i).padStart(2, '0')}`, caseType: pick(['assignment', 'referral']), data: { agency: pick(['A', 'B', null]) } }));
    // Ids in another order than the index's (form, day, ...), hours as fractions now and then.
    const activities = Array.from({ length: 400 }, (_, i) => ({
      _id: `a${String((i * 7919) % 400).padStart(3, '0')}`, form: pick(['activity', 'note']), day: `2026-12-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`,
      by: pick(['u1', 'u2', 'u3']), type: pick(['call', 'visit', null]), minutes: pick([15, 30, 60, null]), hours: pick([1, 2, 0.5]),
      caseId: rnd() < 0.95 ? pick(cases)._id : 'gone',
    }));
    const indexed = store.collection('streamActivities') as unknown as EmbeddedCollection;
    const indexedCases = store.collection('streamCases') as unknown as EmbeddedCollection;
    const plain = store.collection('streamPlainActivities');
    const plainCases = store.collection('streamPlainCases');
    await indexed.createIndex({ key: { form: 1, day: 1, by: 1, type: 1, minutes: 1, hours: 1, caseId: 1 } });
    await indexedCases.createIndex({ key: { caseType: 1, 'data.agency': 1 } });
    await indexed.insertMany(activities);
    await plain.insertMany(activities);
    await indexedCases.insertMany(cases);
    await plainCases.insertMany(cases);
    const pipeline = (from: string, sum: string): Pipeline => [
      { $match: { form: 'activity', day: { $gte: '2026-12-05', $lte: '2026-12-25' } } },
      { $lookup: { from, localField: 'caseId', foreignField: '_id', as: 'case' } },
      { $unwind: '$case' },
      { $match: { $or: [{ 'case.caseType': 'assignment' }, { 'case.data.agency': 'A' }] } },
      { $group: { _id: { by: '$by', type: '$type' }, n: { $sum: 1 }, total: { $sum: { $ifNull: [sum, 0] } } } },
    ];
    const before = indexed.coveredReads.streamed;
    const minutes = await indexed.aggregate(pipeline('streamCases', '$minutes'));
    expect(indexed.coveredReads.streamed).toBe(before + 1);
    // Every case from the keys of its index (a null agency does not show exactly: that case is read).
    expect(indexedCases.coveredReads.fromKeys + indexedCases.coveredReads.fromDocuments).toBe(cases.length);
    expect(indexedCases.coveredReads.fromKeys).toBeGreaterThan(cases.length / 2);
    expect(shape(minutes)).toEqual(shape(await plain.aggregate(pipeline('streamPlainCases', '$minutes'))));
    expect(minutes.length).toBeGreaterThan(5);
    // A sum of fractions depends on the order it is added in: that run is redone in scan order.
    const hours = await indexed.aggregate(pipeline('streamCases', '$hours'));
    expect(indexed.coveredReads.streamed).toBe(before + 1);
    expect(shape(hours)).toEqual(shape(await plain.aggregate(pipeline('streamPlainCases', '$hours'))));
  });

  it('covers nothing once a read field held a one-element array', async () => {
    const c = store.collection('arrays') as unknown as EmbeddedCollection;
    await c.createIndex({ key: { g: 1, v: 1 } });
    await c.insertMany([{ _id: 'a', g: 'x', v: 1 }, { _id: 'b', g: 'x', v: 2 }]);
    const p = [{ $match: { g: 'x' } }, { $group: { _id: null, v: { $push: '$v' } } }];
    expect(await c.aggregate(p)).toEqual([{ _id: null, v: [1, 2] }]);
    expect(c.coveredReads.fromKeys).toBe(2);
    await c.updateOne({ _id: 'b' }, { $set: { v: [2] } });
    expect(await c.aggregate(p)).toEqual([{ _id: null, v: [1, [2]] }]);
    expect(c.coveredReads).toEqual({ fromKeys: 2, fromDocuments: 0, streamed: 0 });
  });
});
