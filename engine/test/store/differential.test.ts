/**
 * Randomized check of the embedded store's index planning: with random documents, random
 * equality/$in/range filters and random updates and deletes, a collection with indexes answers
 * exactly like plain mingo over the same documents in memory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aggregator, Query, update } from 'mingo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedCollection } from '../../src/store/embedded/collection.js';
import { openEmbeddedStore } from '../../src/store/embedded/index.js';
import { plan } from '../../src/store/embedded/planner.js';
import { projector } from '../../src/store/embedded/mingo.js';
import { updatedDocument } from '../../src/store/embedded/updates.js';
import type { Doc, Store } from '../../src/store/types.js';
import { seededRandom as random } from '../../bench/seeded-random.js';


const VALUES: unknown[] = ['a', 'b', 'c', 1, 2, 2.5, 0, true, false, null, new Date(Date.UTC(2024, 0, 1)), new Date(Date.UTC(2024, 0, 2)), '1', ''];

describe('index planning matches plain mingo (randomized)', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-diff-'));
    store = await openEmbeddedStore({ dir });
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('agrees on 600 random queries (equalities, $in and ranges) across inserts, updates and deletes', async () => {
    const rnd = random(20240601);
    const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)];
    const value = (): unknown => {
      const r = rnd();
      if (r < 0.1) return undefined; // leave the field out
      if (r < 0.25) return [pick(VALUES), pick(VALUES)];
      if (r < 0.3) return [];
      return pick(VALUES);
    };
    const makeDoc = (i: number): Doc => {
      const doc: Doc = { _id: `id${i}` };
      for (const field of ['a', 'b', 'd']) {
        const v = value();
        if (v !== undefined) doc[field] = v;
      }
      // `s` holds single values only (until an update below gives one document an array).
      if (rnd() < 0.9) doc.s = pick(VALUES);
      const nested = rnd();
      if (nested < 0.4) doc.n = { c: value() ?? null };
      else if (nested < 0.7) doc.n = [{ c: pick(VALUES) }, { c: pick(VALUES) }, { other: 1 }];
      return doc;
    };

    const c = store.collection('diff');
    await c.createIndex({ key: { a: 1 } });
    await c.createIndex({ key: { 'n.c': 1 } });
    await c.createIndex({ key: { b: 1, d: -1 } });
    await c.createIndex({ key: { d: 1 }, sparse: true });
    await c.createIndex({ key: { b: 1, s: 1 } });
    const docs = Array.from({ length: 250 }, (_, i) => makeDoc(i));
    await c.insertMany(docs);

    const condition = (): unknown => {
      const r = rnd();
      if (r < 0.45) return pick(VALUES);
      if (r < 0.6) return { $in: [pick(VALUES), pick(VALUES), pick(VALUES)] };
      if (r < 0.67) return { $eq: pick(VALUES) };
      if (r < 0.72) return { $in: [] };
      // Ranges (one or two bounds, any types): planned on an index field after its equality prefix.
      const range: Doc = { [pick(['$gt', '$gte'])]: pick(VALUES) };
      if (rnd() < 0.6) range[pick(['$lt', '$lte'])] = pick(VALUES);
      return rnd() < 0.3 ? { [pick(['$lt', '$lte'])]: pick(VALUES) } : range;
    };
    const filter = (): Doc => {
      const f: Doc = {};
      for (const field of ['a', 'b', 'd', 'n.c', 's']) if (rnd() < 0.45) f[field] = condition();
      if (rnd() < 0.1) f.$and = [{ a: condition() }];
      return f;
    };
    const check = async (round: string): Promise<void> => {
      const memory = (await c.find({})).sort((x, y) => (x._id < y._id ? -1 : 1));
      for (let i = 0; i < 200; i++) {
        const f = filter();
        const query = new Query(f, { scriptEnabled: false });
        const expected = memory.filter((doc) => query.test(doc)).map((d) => d._id);
        const actual = (await c.find(f)).map((d) => d._id).sort();
        expect(actual, `${round}: ${JSON.stringify(f)}`).toEqual([...expected].sort());
      }
    };

    await check('inserted');
    for (let i = 0; i < 80; i++) {
      const target = `id${Math.floor(rnd() * 250)}`;
      await c.updateOne({ _id: target }, { $set: { a: pick(VALUES), 'n.c': pick(VALUES) }, $unset: rnd() < 0.3 ? { d: '' } : { zz: '' } });
    }
    await c.updateMany({ b: pick(VALUES) }, { $set: { b: pick(VALUES), d: [pick(VALUES), pick(VALUES)] } });
    // Now `s` holds an array somewhere: ranges on it must be planned for several values.
    await c.updateMany({ _id: { $in: ['id1', 'id2', 'id3'] } }, { $set: { s: ['', 'c'] } });
    await check('updated');
    await c.deleteMany({ a: { $in: [pick(VALUES), pick(VALUES)] } });
    await c.insertMany(Array.from({ length: 40 }, (_, i) => makeDoc(1000 + i)));
    await check('deleted and re-inserted');
  });
});

describe('top-level updates match mingo (randomized)', () => {
  it('agrees with mingo on 2,000 random $set / $unset / $inc updates, including no-ops and refusals', () => {
    const rnd = random(20261201);
    const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)];
    const FIELDS = ['a', 'b', 'n', 'list'];
    const values: unknown[] = [...VALUES, 3, -1, [1, 2], { x: 1 }, { x: [1, { y: 'z' }] }];
    for (let round = 0; round < 2000; round++) {
      const doc: Doc = { _id: 'd' };
      for (const field of FIELDS) if (rnd() < 0.7) doc[field] = structuredClone(pick(values));
      const change: Doc = {};
      for (const operator of ['$set', '$unset', '$inc']) {
        if (rnd() < 0.5) continue;
        change[operator] = {};
        for (const field of FIELDS) {
          if (rnd() < 0.4) change[operator][field] = operator === '$unset' ? '' : operator === '$inc' ? pick([0, 1, -2, 2.5]) : structuredClone(pick(values));
        }
      }
      const label = `${JSON.stringify(doc)} ${JSON.stringify(change)}`;
      const expected = structuredClone(doc);
      let expectedError = false;
      let changed = false;
      try {
        changed = Object.keys(change).length > 0 && update(expected, change).length > 0;
      } catch {
        expectedError = true;
      }
      let actual: Doc | null = null;
      let actualError = false;
      try {
        actual = updatedDocument(structuredClone(doc), change, {});
      } catch {
        actualError = true;
      }
      expect(actualError, label).toBe(expectedError);
      if (expectedError) continue;
      expect(actual === null, label).toBe(!changed);
      if (actual) expect(JSON.stringify(actual), label).toBe(JSON.stringify(expected));
    }
  });
});

describe('top-level projections match mingo (randomized)', () => {
  it('agrees with mingo on 1,000 random inclusion and exclusion projections', () => {
    const rnd = random(20261202);
    const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)];
    const FIELDS = ['_id', 'a', 'b', 'n', 'list'];
    for (let round = 0; round < 1000; round++) {
      const docs: Doc[] = Array.from({ length: 3 }, (_, i) => {
        const doc: Doc = rnd() < 0.9 ? { _id: `d${i}` } : {};
        for (const field of FIELDS.slice(1)) if (rnd() < 0.6) doc[field] = pick([...VALUES, { x: 1 }, [1, 2]]);
        return doc;
      });
      const projection: Doc = {};
      for (const field of FIELDS) if (rnd() < 0.4) projection[field] = pick([0, 1, true, false]);
      if (Object.keys(projection).length === 0) continue;
      const label = `${JSON.stringify(docs)} ${JSON.stringify(projection)}`;
      let expected: Doc[];
      try {
        expected = new Aggregator([{ $project: projection }], { idKey: '_id' }).run(structuredClone(docs));
      } catch {
        expect(() => projector(projection), label).toThrow();
        continue;
      }
      expect(projector(projection)(structuredClone(docs)), label).toStrictEqual(expected);
    }
  });
});

describe('sorted pages and counts from index keys match plain mingo (randomized)', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-diff-sorted-'));
    store = await openEmbeddedStore({ dir });
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('agrees on 400 random sorted, skipped and limited finds and counts (ranges, patterns), before and after arrays appear', async () => {
    const rnd = random(20261203);
    const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)];
    const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n));
    // Per sort field, the values it takes: one family each (plus null and missing), so the keys can
    // order them, except `w`, whose mixed types must leave the order to mingo.
    const FIELD_VALUES: Record<string, unknown[]> = {
      v: [0, 1, 2, 2.5, -3, 10, null],
      s: ['', 'a', 'b', 'B', 'ab', 'z', null],
      t: [day(0), day(1), day(2), day(40), null],
      w: [1, 'a', true, day(3), null],
    };
    const KEYS: unknown[] = ['a', 1];
    const makeDoc = (i: number): Doc => {
      const doc: Doc = { _id: `id${String(i).padStart(5, '0')}` };
      const r = rnd();
      if (r < 0.9) doc.k = pick(KEYS);
      else if (r < 0.95) doc.k = r < 0.93 ? [] : null;
      for (const [field, values] of Object.entries(FIELD_VALUES)) if (rnd() < 0.9) doc[field] = pick(values);
      return doc;
    };
    const c = store.collection('sorted');
    await c.createIndex({ key: { k: 1, v: 1 } });
    await c.createIndex({ key: { k: 1, s: 1 } });
    await c.createIndex({ key: { t: 1 } });
    await c.createIndex({ key: { k: 1, w: 1 } });
    await c.createIndex({ key: { v: 1, k: 1 } });
    // Enough documents that a plan's candidates pass the in-memory threshold and the keys are walked.
    await c.insertMany(Array.from({ length: 3000 }, (_, i) => makeDoc(i)));

    const condition = (field: string): unknown => {
      const values = field === 'k' ? [...KEYS, null] : FIELD_VALUES[field];
      const r = rnd();
      // Patterns, tested on the index keys' strings before mingo sees the documents.
      if (r < 0.15) return pick([/^a/i, /b/, { $regex: '^A', $options: 'i' }, { $regex: 'z$' }, { $regex: '^$' }, /1/]);
      if (r < 0.5) return pick(values);
      if (r < 0.8) return { $in: [pick(values), pick(values)] };
      return { [pick(['$gt', '$gte', '$lt', '$lte'])]: pick(values) };
    };
    const filter = (): Doc => {
      const f: Doc = {};
      if (rnd() < 0.7) f.k = condition('k');
      for (const field of ['v', 's', 't', 'w']) if (rnd() < 0.15) f[field] = condition(field);
      if (rnd() < 0.15) f.$and = [{ k: pick(KEYS) }];
      if (rnd() < 0.1) f.$or = [{ v: condition('v') }];
      return f;
    };
    const check = async (round: string): Promise<void> => {
      const memory = await c.find({});
      for (let i = 0; i < 200; i++) {
        const f = filter();
        const field = pick(['v', 's', 't', 'w']);
        const direction = pick([1, -1] as const);
        const sort: Record<string, 1 | -1> = rnd() < 0.6 ? { [field]: direction, _id: pick([1, -1] as const) } : { [field]: direction };
        const skip = rnd() < 0.3 ? Math.floor(rnd() * 50) : 0;
        const limit = 1 + Math.floor(rnd() * 20);
        const label = `${round}: ${JSON.stringify(f)} sort ${JSON.stringify(sort)} skip ${skip} limit ${limit}`;
        const expected = new Aggregator([{ $match: f }, { $sort: sort }, { $skip: skip }, { $limit: limit }], { idKey: '_id', scriptEnabled: false })
          .run(memory).map((d) => d._id);
        const actual = (await c.find(f, { sort, skip, limit })).map((d) => d._id);
        expect(actual, label).toEqual(expected);
        const query = new Query(f, { scriptEnabled: false });
        expect(await c.countDocuments(f), label).toBe(memory.filter((d) => query.test(d)).length);
      }
    };
    await check('single values');
    // Arrays (several values, one value, none) on the sort fields: the keys can no longer order them.
    await c.updateMany({ _id: { $in: ['id00001', 'id00002', 'id00003'] } }, { $set: { v: [2, -5], s: ['b'], t: [] } });
    await c.updateMany({ _id: { $in: ['id00004', 'id00005'] } }, { $set: { k: ['a', 'b'] } });
    await check('with arrays');
  });
});

describe('$or unions and $elemMatch through multikey indexes match plain mingo (randomized)', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-diff-or-'));
    store = await openEmbeddedStore({ dir });
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('agrees on 300 random finds, sorted pages and counts with $or, nested $and/$or and $elemMatch, across updates', { timeout: 180_000 }, async () => {
    const rnd = random(20261204);
    const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)];
    const USERS: unknown[] = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5', null, 1];
    const ROLES: unknown[] = ['W', 'S', 'A', null];
    const OFFICES: unknown[] = ['north', 'south', 'east', null];
    const element = (): unknown => {
      const r = rnd();
      if (r < 0.05) return pick(USERS); // a scalar among the subdocuments
      if (r < 0.1) return { role: pick(ROLES) }; // no userId
      if (r < 0.15) return { role: pick(ROLES), userId: [pick(USERS), pick(USERS)] };
      if (r < 0.18) return [{ role: pick(ROLES), userId: pick(USERS) }]; // a nested array
      return { role: pick(ROLES), userId: pick(USERS) };
    };
    // Arrays of subdocuments mostly; also missing, empty, null, a scalar and a lone subdocument.
    const people = (): unknown => {
      const r = rnd();
      if (r < 0.08) return undefined;
      if (r < 0.14) return [];
      if (r < 0.18) return null;
      if (r < 0.21) return pick(USERS);
      if (r < 0.25) return { role: pick(ROLES), userId: pick(USERS) };
      return Array.from({ length: 1 + Math.floor(rnd() * 3) }, element);
    };
    const makeDoc = (i: number): Doc => {
      const doc: Doc = { _id: `id${String(i).padStart(5, '0')}`, kind: rnd() < 0.9 ? 'case' : 'other', status: pick(['new', 'open', 'closed']) };
      const p = people();
      if (p !== undefined) doc.people = p;
      if (rnd() < 0.9) doc.office = pick(OFFICES);
      if (rnd() < 0.8) doc.createdBy = pick(USERS);
      doc.updatedAt = new Date(Date.UTC(2024, 0, 1) + Math.floor(rnd() * 500) * 3_600_000);
      return doc;
    };
    const c = store.collection('access');
    await c.createIndex({ key: { 'people.userId': 1 } });
    await c.createIndex({ key: { 'people.role': 1, 'people.userId': 1 } });
    await c.createIndex({ key: { kind: 1, status: 1 } });
    await c.createIndex({ key: { kind: 1, office: 1 } });
    await c.createIndex({ key: { createdBy: 1 } });
    await c.createIndex({ key: { kind: 1, updatedAt: 1 } });
    // Enough documents that some unions pass the in-memory threshold and the sort index is walked.
    await c.insertMany(Array.from({ length: 2000 }, (_, i) => makeDoc(i)));

    const users = (): unknown => (rnd() < 0.6 ? pick(USERS) : { $in: [pick(USERS), pick(USERS), pick(USERS)] });
    const clause = (depth: number): Doc => {
      const r = rnd();
      if (r < 0.3) return { kind: 'case', people: { $elemMatch: { role: pick(ROLES), userId: users() } } };
      if (r < 0.4) return { people: { $elemMatch: { userId: users() } } };
      if (r < 0.5) return { 'people.userId': users() };
      if (r < 0.62) return { kind: 'case', office: rnd() < 0.7 ? pick(OFFICES) : { $in: [pick(OFFICES), pick(OFFICES)] } };
      if (r < 0.72) return { kind: 'case', createdBy: pick(USERS) };
      if (r < 0.76) return { _id: { $in: [`id0${Math.floor(rnd() * 2000)}`, `id${String(Math.floor(rnd() * 2000)).padStart(5, '0')}`] } };
      if (r < 0.8) return { office: { $ne: pick(OFFICES) } }; // no index narrows it: the $or is a scan
      if (depth < 2 && r < 0.9) return { $and: [{ kind: pick(['case', 'other']) }, { $or: [clause(depth + 1), clause(depth + 1)] }] };
      if (depth < 2) return { $or: [clause(depth + 1), clause(depth + 1)] };
      return { status: pick(['new', 'open']) };
    };
    const filter = (): Doc => {
      const access = { $or: Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => clause(0)) };
      const r = rnd();
      if (r < 0.3) return access;
      const search: Doc[] = [{ kind: 'case' }];
      if (rnd() < 0.6) search.push({ status: rnd() < 0.5 ? pick(['new', 'open', 'closed']) : { $in: ['new', 'open'] } });
      if (r < 0.5) return { kind: 'case', ...access };
      return { $and: [...search, access] };
    };
    // How the filters were planned: the check must cover unions, not only scans.
    const kinds = new Map<string, number>();
    const check = async (round: string): Promise<void> => {
      const memory = await c.find({});
      for (let i = 0; i < 150; i++) {
        const f = filter();
        const kind = plan(f, (c as EmbeddedCollection).indexes.forReads).kind;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        const query = new Query(f, { scriptEnabled: false });
        const expected = memory.filter((d) => query.test(d)).map((d) => d._id).sort();
        expect((await c.find(f)).map((d) => d._id).sort(), `${round}: ${JSON.stringify(f)}`).toEqual(expected);
        expect(await c.countDocuments(f), `${round} count: ${JSON.stringify(f)}`).toBe(expected.length);
        const sort: Record<string, 1 | -1> = { updatedAt: pick([1, -1] as const), _id: pick([1, -1] as const) };
        const skip = rnd() < 0.3 ? Math.floor(rnd() * 30) : 0;
        const limit = 1 + Math.floor(rnd() * 20);
        const page = new Aggregator([{ $match: f }, { $sort: sort }, { $skip: skip }, { $limit: limit }], { idKey: '_id', scriptEnabled: false })
          .run(memory).map((d) => d._id);
        expect((await c.find(f, { sort, skip, limit })).map((d) => d._id), `${round} page: ${JSON.stringify(f)} ${JSON.stringify(sort)} ${skip}/${limit}`).toEqual(page);
      }
    };
    await check('inserted');
    // People change, leave and arrive: the multikey entries must follow.
    for (let i = 0; i < 100; i++) {
      const target = `id${String(Math.floor(rnd() * 2000)).padStart(5, '0')}`;
      const next = people();
      await c.updateOne({ _id: target }, next === undefined ? { $unset: { people: '' } } : { $set: { people: next, office: pick(OFFICES) } });
    }
    await c.deleteMany({ people: { $elemMatch: { role: 'S', userId: 'u3' } } });
    await check('updated');
    expect(kinds.get('union')).toBeGreaterThan(40);
    expect(kinds.get('scan')).toBeGreaterThan(10);
  });
});
