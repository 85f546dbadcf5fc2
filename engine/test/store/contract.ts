/**
 * The storage contract: one suite every adapter must pass, so the engine sees MongoDB
 * semantics whichever store is configured. `contractSuite(name, harness)` registers the tests.
 */
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateKeyError, FileNotFoundError, FileTooLargeError, InvalidQueryError, WriteConflictError } from '../../src/store/errors.js';
import type { Collection, Doc, Store } from '../../src/store/types.js';

export interface StoreHarness {
  /** A new, empty store. */
  fresh(): Promise<Store>;
  /** Opens the data of `store` again after it was closed (a restart). */
  reopen(store: Store): Promise<Store>;
  /** Removes whatever `fresh` created. */
  dispose(store: Store): Promise<void>;
}

const HEX_ID = /^[0-9a-f]{24}$/;

const byId = (a: Doc, b: Doc): number => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);
const ids = (docs: Doc[]): string[] => docs.map((d) => d._id).sort();

/** Small fixed data set used by the query and aggregation tests. */
function people(): Doc[] {
  return [
    { _id: 'p1', name: 'Ada', age: 36, city: 'Lyon', tags: ['math', 'code'], address: { zip: '69001', street: 'Rue A' },
      scores: [{ subject: 'math', score: 95 }, { subject: 'art', score: 60 }], joined: new Date('2020-01-15T10:00:00Z'), team: 't1' },
    { _id: 'p2', name: 'Bob', age: 25, city: 'Paris', tags: ['art'], address: { zip: '75001', street: 'Rue B' },
      scores: [{ subject: 'math', score: 40 }, { subject: 'art', score: 90 }], joined: new Date('2021-06-01T08:30:00Z'), team: 't2' },
    { _id: 'p3', name: 'Cleo', age: 41, city: 'Lyon', tags: [], address: { zip: '69002' },
      scores: [], joined: new Date('2019-11-30T23:00:00Z'), team: 't1', manager: true },
    { _id: 'p4', name: 'Dan', age: 25, city: 'Nice', tags: ['code', 'music', 'art'], address: null,
      scores: [{ subject: 'music', score: 75 }], joined: new Date('2022-02-28T12:00:00Z'), team: 't3', nickname: null },
    { _id: 'p5', name: 'eve', age: 58, city: 'Paris', tags: ['math'], address: { zip: '75002', street: 'Rue E' },
      scores: [{ subject: 'math', score: 88 }], joined: new Date('2018-05-05T05:05:05Z'), team: 't2' },
  ];
}

export function contractSuite(name: string, harness: StoreHarness): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await harness.fresh();
    });
    afterEach(async () => {
      await harness.dispose(store);
    });

    async function seeded(collectionName = 'people'): Promise<Collection> {
      const c = store.collection(collectionName);
      await c.insertMany(people());
      return c;
    }

    describe('documents', () => {
      it('generates 24-hex string ids and keeps given ones', async () => {
        const c = store.collection('docs');
        const { insertedId } = await c.insertOne({ a: 1 });
        expect(insertedId).toMatch(HEX_ID);
        expect(await c.findOne({ _id: insertedId })).toEqual({ _id: insertedId, a: 1 });
        expect((await c.insertOne({ _id: 'mine', a: 2 })).insertedId).toBe('mine');
        const many = await c.insertMany([{ a: 3 }, { _id: 'x2', a: 4 }]);
        expect(many.insertedCount).toBe(2);
        expect(many.insertedIds[0]).toMatch(HEX_ID);
        expect(many.insertedIds[1]).toBe('x2');
        expect(await c.countDocuments()).toBe(4);
      });

      it('round-trips types: dates, nested documents, arrays, null, booleans, numbers', async () => {
        const c = store.collection('docs');
        const doc = { _id: 'd', when: new Date('2024-02-29T12:34:56.789Z'), nested: { deep: { list: [1, 'two', { three: 3 }] } },
          none: null, yes: true, pi: 3.14159, negative: -42, empty: {}, emptyList: [] as unknown[] };
        await c.insertOne(doc);
        const back = await c.findOne({ _id: 'd' });
        expect(back).toEqual(doc);
        expect(back!.when).toBeInstanceOf(Date);
      });

      it('stores undefined as null, like the MongoDB driver', async () => {
        const c = store.collection('docs');
        await c.insertOne({ _id: 'u', gone: undefined });
        expect(await c.findOne({ _id: 'u' })).toEqual({ _id: 'u', gone: null });
      });

      it('returns fresh copies and does not keep references to inputs', async () => {
        const c = store.collection('docs');
        const input = { _id: 'c', list: [1], inner: { v: 1 } };
        await c.insertOne(input);
        input.list.push(2);
        input.inner.v = 99;
        const first = await c.findOne({ _id: 'c' });
        expect(first).toEqual({ _id: 'c', list: [1], inner: { v: 1 } });
        first!.list.push(3);
        first!.inner.v = 5;
        expect(await c.findOne({ _id: 'c' })).toEqual({ _id: 'c', list: [1], inner: { v: 1 } });
        const [fromFind] = await c.find({});
        fromFind.inner.v = 7;
        expect((await c.aggregate([{ $match: { _id: 'c' } }]))[0]).toEqual({ _id: 'c', list: [1], inner: { v: 1 } });
      });

      it('refuses a duplicate _id with DuplicateKeyError', async () => {
        const c = store.collection('docs');
        await c.insertOne({ _id: 'same', v: 1 });
        await expect(c.insertOne({ _id: 'same', v: 2 })).rejects.toBeInstanceOf(DuplicateKeyError);
        expect(await c.findOne({ _id: 'same' })).toEqual({ _id: 'same', v: 1 });
      });

      it('refuses $-prefixed and prototype field names', async () => {
        const c = store.collection('docs');
        await expect(c.insertOne({ $bad: 1 })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.insertOne({ ok: { $nested: 1 } })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.insertOne(JSON.parse('{"__proto__": {"polluted": true}}'))).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.insertOne({ inner: JSON.parse('{"constructor": {"prototype": {"x": 1}}}') })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.insertOne({ prototype: 1 })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.insertMany([{ a: 1 }, { $b: 2 }])).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.updateOne({}, { $set: { '__proto__.polluted': true } }, { upsert: true })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.updateOne({}, { $set: { a: { $x: 1 } } }, { upsert: true })).rejects.toBeInstanceOf(InvalidQueryError);
        expect(({} as any).polluted).toBeUndefined();
        expect(await c.countDocuments()).toBe(0);
      });

      it('names the path of a refused value or field name, nested in documents and arrays', async () => {
        const c = store.collection('docs');
        await expect(c.insertOne({ a: { b: [1, { $x: 1 }] } })).rejects.toThrow('field name "a.b.1.$x" must not start with \'$\'');
        await expect(c.insertOne({ a: { when: new Date(Number.NaN) } })).rejects.toThrow('invalid date at "a.when"');
        await expect(c.insertOne({ top: () => 1 })).rejects.toThrow('unsupported value of type function at "top"');
        await expect(c.updateOne({}, { $set: { 'p.q': { r: [new Map()] } } }, { upsert: true })).rejects.toThrow('unsupported value (Map) at "p.q.r.0"');
        await expect(c.updateOne({}, { $push: { list: { $each: [1, { 'x\0': 1 }] } } }, { upsert: true })).rejects.toThrow('field name "list.1.x\\u0000" contains a NUL character');
        await expect(c.find({ 'a.constructor.b': 1 })).rejects.toThrow('filter must not name "a.constructor.b"');
        expect(await c.countDocuments()).toBe(0);
      });

      it('refuses scripts: $where, $function, $accumulator', async () => {
        const c = await seeded();
        await expect(c.find({ $where: 'this.age > 30' })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.countDocuments({ $where: 'true' })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.updateMany({ $where: 'true' }, { $set: { x: 1 } })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.deleteMany({ $where: 'true' })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.aggregate([{ $match: { $where: 'true' } }])).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.aggregate([{ $addFields: { x: { $function: { body: 'function() { return 1 }', args: [], lang: 'js' } } } }]))
          .rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.aggregate([{ $group: { _id: null, x: { $accumulator: {
          init: 'function() { return 0 }', accumulate: 'function(s) { return s }', accumulateArgs: [], merge: 'function(a) { return a }', lang: 'js',
        } } } }])).rejects.toBeInstanceOf(InvalidQueryError);
        expect(await c.countDocuments({ x: 1 })).toBe(0);
        expect(await c.countDocuments()).toBe(5);
      });

      it('refuses unknown operators and malformed requests with InvalidQueryError', async () => {
        const c = await seeded();
        await expect(c.find({ age: { $bogus: 1 } })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.updateOne({ _id: 'p1' }, { name: 'replacement' })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.updateOne({ _id: 'p1' }, { $bogus: { a: 1 } })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.aggregate([{ $bogus: {} }])).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.aggregate([{ $out: 'elsewhere' }])).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.updateOne({ _id: 'p1' }, { $set: { _id: 'changed' } })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(c.find({}, { limit: -1 })).rejects.toBeInstanceOf(InvalidQueryError);
        expect(() => store.collection('bad$name')).toThrow(InvalidQueryError);
        expect(await c.findOne({ _id: 'p1' }, { projection: { name: 1 } })).toEqual({ _id: 'p1', name: 'Ada' });
      });
    });

    describe('queries', () => {
      const cases: [string, Doc, string[]][] = [
        ['equality', { city: 'Lyon' }, ['p1', 'p3']],
        ['$eq', { age: { $eq: 25 } }, ['p2', 'p4']],
        ['$ne', { city: { $ne: 'Lyon' } }, ['p2', 'p4', 'p5']],
        ['$gt', { age: { $gt: 36 } }, ['p3', 'p5']],
        ['$gte', { age: { $gte: 36 } }, ['p1', 'p3', 'p5']],
        ['$lt', { age: { $lt: 36 } }, ['p2', 'p4']],
        ['$lte + $gte range', { age: { $gte: 25, $lte: 36 } }, ['p1', 'p2', 'p4']],
        ['$in', { city: { $in: ['Nice', 'Paris'] } }, ['p2', 'p4', 'p5']],
        ['$nin', { city: { $nin: ['Nice', 'Paris'] } }, ['p1', 'p3']],
        ['$and', { $and: [{ city: 'Paris' }, { age: { $gt: 30 } }] }, ['p5']],
        ['$or', { $or: [{ city: 'Nice' }, { age: { $gt: 50 } }] }, ['p4', 'p5']],
        ['$nor', { $nor: [{ city: 'Lyon' }, { age: 25 }] }, ['p5']],
        ['$not', { age: { $not: { $gt: 30 } } }, ['p2', 'p4']],
        ['$exists true', { manager: { $exists: true } }, ['p3']],
        ['$exists false', { manager: { $exists: false } }, ['p1', 'p2', 'p4', 'p5']],
        ['null matches null and missing', { nickname: null }, ['p1', 'p2', 'p3', 'p4', 'p5']],
        ['$regex', { name: { $regex: '^[a-c]', $options: 'i' } }, ['p1', 'p2', 'p3']],
        ['regex literal', { name: /o$/ }, ['p3']],
        ['dot path', { 'address.zip': '69001' }, ['p1']],
        ['dot path on null parent', { 'address.zip': { $exists: false } }, ['p4']],
        ['array contains', { tags: 'code' }, ['p1', 'p4']],
        ['array $all', { tags: { $all: ['code', 'art'] } }, ['p4']],
        ['array $size', { tags: { $size: 0 } }, ['p3']],
        ['array of documents by dot path', { 'scores.subject': 'music' }, ['p4']],
        ['$elemMatch', { scores: { $elemMatch: { subject: 'math', score: { $gte: 80 } } } }, ['p1', 'p5']],
        ['no $elemMatch: conditions may hit different elements', { 'scores.subject': 'art', 'scores.score': { $gte: 90 } }, ['p1', 'p2']],
        ['array index path', { 'tags.0': 'math' }, ['p1', 'p5']],
        ['date comparison', { joined: { $lt: new Date('2020-01-01T00:00:00Z') } }, ['p3', 'p5']],
        ['date equality', { joined: new Date('2021-06-01T08:30:00Z') }, ['p2']],
        ['$expr', { $expr: { $gt: ['$age', 40] } }, ['p3', 'p5']],
        ['$type', { address: { $type: 'null' } }, ['p4']],
        ['empty filter', {}, ['p1', 'p2', 'p3', 'p4', 'p5']],
      ];
      for (const [label, filter, expected] of cases) {
        it(label, async () => {
          const c = await seeded();
          expect(ids(await c.find(filter))).toEqual(expected);
          expect(await c.countDocuments(filter)).toBe(expected.length);
        });
      }

      it('sorts, skips, limits and projects', async () => {
        const c = await seeded();
        const sorted = await c.find({}, { sort: { age: 1, name: -1 } });
        expect(sorted.map((d) => d._id)).toEqual(['p4', 'p2', 'p1', 'p3', 'p5']);
        const page = await c.find({}, { sort: { age: -1 }, skip: 1, limit: 2 });
        expect(page.map((d) => d._id)).toEqual(['p3', 'p1']);
        expect(await c.find({ city: 'Lyon' }, { sort: { age: 1 }, projection: { name: 1, _id: 0 } })).toEqual([{ name: 'Ada' }, { name: 'Cleo' }]);
        expect(await c.find({ _id: 'p1' }, { projection: { tags: 0, scores: 0, address: 0, joined: 0 } }))
          .toEqual([{ _id: 'p1', name: 'Ada', age: 36, city: 'Lyon', team: 't1' }]);
        expect(await c.find({ _id: 'p1' }, { projection: { 'address.zip': 1 } })).toEqual([{ _id: 'p1', address: { zip: '69001' } }]);
        expect(await c.find({}, { sort: { _id: 1 }, limit: 0 })).toHaveLength(5);
        expect((await c.find({}, { sort: { _id: 1 }, skip: 4 })).map((d) => d._id)).toEqual(['p5']);
        expect(await c.findOne({ city: 'Paris' }, { sort: { age: -1 } })).toMatchObject({ _id: 'p5' });
        expect(await c.findOne({ city: 'Paris' }, { sort: { age: 1 }, skip: 1 })).toMatchObject({ _id: 'p5' });
        expect(await c.findOne({ city: 'Rome' })).toBeNull();
        expect((await c.find({}, { sort: { 'address.zip': -1 } })).map((d) => d._id)).toEqual(['p5', 'p2', 'p3', 'p1', 'p4']);
      });
    });

    describe('updates', () => {
      it('$set (with dot paths), $unset, $inc, $mul, $min, $max, $rename, $currentDate', async () => {
        const c = store.collection('u');
        await c.insertOne({ _id: 'a', n: 10, m: 3, lo: 5, hi: 5, old: 'x', gone: 1, nested: { keep: 1 }, flags: 1 });
        const r = await c.updateOne({ _id: 'a' }, {
          $set: { 'nested.added': 'y', 'fresh.path': true }, $unset: { gone: '' }, $inc: { n: 5 }, $mul: { m: 2 },
          $min: { lo: 2 }, $max: { hi: 9 }, $rename: { old: 'renamed' }, $currentDate: { touched: true }, $bit: { flags: { or: 4 } },
        });
        expect(r).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
        const doc = await c.findOne({ _id: 'a' });
        expect(doc).toMatchObject({ _id: 'a', n: 15, m: 6, lo: 2, hi: 9, renamed: 'x', nested: { keep: 1, added: 'y' }, fresh: { path: true }, flags: 5 });
        expect(doc).not.toHaveProperty('gone');
        expect(doc).not.toHaveProperty('old');
        expect(doc!.touched).toBeInstanceOf(Date);
        expect(Math.abs(doc!.touched.getTime() - Date.now())).toBeLessThan(60_000);
      });

      it('array operators: $push ($each, $slice), $pull (value and condition), $pullAll, $addToSet ($each), $pop', async () => {
        const c = store.collection('u');
        await c.insertOne({ _id: 'a', list: [1, 2], set: ['x'], nums: [1, 5, 8, 12], items: [{ k: 1 }, { k: 2 }, { k: 3 }], drop: [1, 2, 1, 3], q: [1, 2, 3] });
        await c.updateOne({ _id: 'a' }, { $push: { list: 3 } });
        await c.updateOne({ _id: 'a' }, { $push: { list: { $each: [4, 5, 6], $slice: -5 } } });
        await c.updateOne({ _id: 'a' }, { $addToSet: { set: 'x' } });
        await c.updateOne({ _id: 'a' }, { $addToSet: { set: { $each: ['x', 'y', 'z'] } } });
        await c.updateOne({ _id: 'a' }, { $pull: { nums: { $gte: 8 } } });
        await c.updateOne({ _id: 'a' }, { $pull: { items: { k: 2 } } });
        await c.updateOne({ _id: 'a' }, { $pullAll: { drop: [1, 3] } });
        await c.updateOne({ _id: 'a' }, { $pop: { q: -1 } });
        expect(await c.findOne({ _id: 'a' })).toEqual({
          _id: 'a', list: [2, 3, 4, 5, 6], set: ['x', 'y', 'z'], nums: [1, 5], items: [{ k: 1 }, { k: 3 }], drop: [2], q: [2, 3],
        });
      });

      it('positional $ updates the matched array element', async () => {
        const c = store.collection('u');
        await c.insertOne({ _id: 'a', items: [{ k: 1, v: 'a' }, { k: 2, v: 'b' }] });
        await c.updateOne({ _id: 'a', 'items.k': 2 }, { $set: { 'items.$.v': 'B' } });
        expect(await c.findOne({ _id: 'a' })).toEqual({ _id: 'a', items: [{ k: 1, v: 'a' }, { k: 2, v: 'B' }] });
      });

      it('counts matched and modified like MongoDB', async () => {
        const c = await seeded();
        expect(await c.updateOne({ _id: 'p1' }, { $set: { city: 'Lyon' } })).toEqual({ matchedCount: 1, modifiedCount: 0, upsertedId: null });
        expect(await c.updateOne({ _id: 'nope' }, { $set: { city: 'Lyon' } })).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: null });
        expect(await c.updateMany({ city: { $in: ['Lyon', 'Paris'] } }, { $set: { city: 'Lyon' } }))
          .toEqual({ matchedCount: 4, modifiedCount: 2, upsertedId: null });
        expect(await c.countDocuments({ city: 'Lyon' })).toBe(4);
        expect(await c.updateOne({ age: 25 }, { $inc: { age: 1 } })).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
        expect(await c.countDocuments({ age: 26 })).toBe(1);
      });

      it('upserts: seeds from filter equalities, applies $setOnInsert only on insert', async () => {
        const c = store.collection('u');
        const first = await c.updateOne({ kind: 'counter', 'scope.key': 'k1', n: { $gte: 0 } },
          { $inc: { n: 1 }, $setOnInsert: { createdBy: 'me' } }, { upsert: true });
        expect(first.matchedCount).toBe(0);
        expect(first.modifiedCount).toBe(0);
        expect(first.upsertedId).toMatch(HEX_ID);
        expect(await c.findOne({ _id: first.upsertedId })).toEqual({ _id: first.upsertedId, kind: 'counter', scope: { key: 'k1' }, n: 1, createdBy: 'me' });
        const second = await c.updateOne({ kind: 'counter', 'scope.key': 'k1' }, { $inc: { n: 1 }, $setOnInsert: { createdBy: 'other' } }, { upsert: true });
        expect(second).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
        expect(await c.findOne({ _id: first.upsertedId })).toMatchObject({ n: 2, createdBy: 'me' });
        const withId = await c.updateOne({ _id: 'given' }, { $set: { v: 1 } }, { upsert: true });
        expect(withId.upsertedId).toBe('given');
        const many = await c.updateMany({ group: 'g' }, { $set: { flag: true } }, { upsert: true });
        expect(many.upsertedId).toMatch(HEX_ID);
        expect(await c.findOne({ group: 'g' })).toEqual({ _id: many.upsertedId, group: 'g', flag: true });
      });

      it('findOneAndUpdate returns the document before or after, honours sort and projection, and upserts', async () => {
        const c = await seeded();
        const before = await c.findOneAndUpdate({ city: 'Paris' }, { $inc: { age: 1 } }, { sort: { age: -1 } });
        expect(before).toMatchObject({ _id: 'p5', age: 58 });
        const after = await c.findOneAndUpdate({ city: 'Paris' }, { $inc: { age: 1 } }, { sort: { age: -1 }, returnDocument: 'after', projection: { age: 1 } });
        expect(after).toEqual({ _id: 'p5', age: 60 });
        expect(await c.findOneAndUpdate({ city: 'Rome' }, { $set: { x: 1 } })).toBeNull();
        const upserted = await c.findOneAndUpdate({ city: 'Rome' }, { $set: { x: 1 } }, { upsert: true, returnDocument: 'after' });
        expect(upserted).toMatchObject({ city: 'Rome', x: 1 });
        expect(upserted!._id).toMatch(HEX_ID);
        expect(await c.findOneAndUpdate({ city: 'Oslo' }, { $set: { x: 1 } }, { upsert: true, returnDocument: 'before' })).toBeNull();
        expect(await c.countDocuments({ city: 'Oslo' })).toBe(1);
        // a malformed projection is refused before anything is written
        await expect(c.findOneAndUpdate({ _id: 'p1' }, { $set: { x: 2 } }, { projection: { name: 1, age: 0 } })).rejects.toBeInstanceOf(InvalidQueryError);
        expect(await c.findOne({ _id: 'p1' })).not.toHaveProperty('x');
      });

      it('deleteOne and deleteMany', async () => {
        const c = await seeded();
        expect(await c.deleteOne({ city: 'Lyon' })).toEqual({ deletedCount: 1 });
        expect(await c.countDocuments({ city: 'Lyon' })).toBe(1);
        expect(await c.deleteMany({ age: 25 })).toEqual({ deletedCount: 2 });
        expect(await c.deleteOne({ city: 'Rome' })).toEqual({ deletedCount: 0 });
        expect(await c.deleteMany({})).toEqual({ deletedCount: 2 });
        expect(await c.countDocuments()).toBe(0);
      });

      it('optimistic concurrency: of two writers on one version exactly one wins', async () => {
        const c = store.collection('records');
        for (let round = 0; round < 10; round++) {
          const _id = `r${round}`;
          await c.insertOne({ _id, version: 3, status: 'open' });
          const results = await Promise.all(['alice', 'bob'].map((who) =>
            c.updateOne({ _id, version: 3 }, { $set: { status: 'approved', by: who }, $inc: { version: 1 } })));
          expect(results.map((r) => r.modifiedCount).sort()).toEqual([0, 1]);
          const doc = await c.findOne({ _id });
          expect(doc!.version).toBe(4);
          expect(results[['alice', 'bob'].indexOf(doc!.by)].modifiedCount).toBe(1);
        }
      });

      it('serializes concurrent increments', async () => {
        const c = store.collection('counters');
        await c.insertOne({ _id: 'n', value: 0 });
        await Promise.all(Array.from({ length: 50 }, () => c.updateOne({ _id: 'n' }, { $inc: { value: 1 } })));
        expect(await c.findOne({ _id: 'n' })).toEqual({ _id: 'n', value: 50 });
      });
    });

    describe('aggregation', () => {
      it('$match, $group, $sort, $project, $addFields, $limit, $skip, $count', async () => {
        const c = await seeded();
        const byCity = await c.aggregate([
          { $match: { age: { $gte: 25 } } },
          { $group: { _id: '$city', count: { $sum: 1 }, avgAge: { $avg: '$age' }, names: { $push: '$name' }, oldest: { $max: '$age' } } },
          { $addFields: { label: { $concat: ['$_id', ':', { $toString: '$count' }] } } },
          { $sort: { count: -1, _id: 1 } },
          { $project: { _id: 0, city: '$_id', count: 1, avgAge: 1, label: 1, oldest: 1, names: 1 } },
        ]);
        expect(byCity.map((g) => ({ ...g, names: [...g.names].sort() }))).toEqual([
          { city: 'Lyon', count: 2, avgAge: 38.5, label: 'Lyon:2', oldest: 41, names: ['Ada', 'Cleo'] },
          { city: 'Paris', count: 2, avgAge: 41.5, label: 'Paris:2', oldest: 58, names: ['Bob', 'eve'] },
          { city: 'Nice', count: 1, avgAge: 25, label: 'Nice:1', oldest: 25, names: ['Dan'] },
        ]);
        expect(await c.aggregate([{ $sort: { age: -1, _id: 1 } }, { $skip: 1 }, { $limit: 2 }, { $project: { name: 1 } }]))
          .toEqual([{ _id: 'p3', name: 'Cleo' }, { _id: 'p1', name: 'Ada' }]);
        expect(await c.aggregate([{ $match: { city: 'Paris' } }, { $count: 'total' }])).toEqual([{ total: 2 }]);
        expect(await c.aggregate([{ $match: { city: 'Rome' } }, { $count: 'total' }])).toEqual([]);
      });

      it('$unwind', async () => {
        const c = await seeded();
        const tags = await c.aggregate([{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }, { $sort: { _id: 1 } }]);
        expect(tags).toEqual([{ _id: 'art', n: 2 }, { _id: 'code', n: 2 }, { _id: 'math', n: 2 }, { _id: 'music', n: 1 }]);
        const kept = await c.aggregate([{ $match: { _id: 'p3' } }, { $unwind: { path: '$tags', preserveNullAndEmptyArrays: true } }, { $project: { tags: 1 } }]);
        expect(kept).toEqual([{ _id: 'p3' }]);
      });

      it('date operators', async () => {
        const c = await seeded();
        const [row] = await c.aggregate([
          { $match: { _id: 'p2' } },
          { $project: {
            _id: 0,
            year: { $year: '$joined' }, month: { $month: '$joined' }, day: { $dayOfMonth: '$joined' }, hour: { $hour: '$joined' },
            text: { $dateToString: { format: '%Y-%m-%d %H:%M', date: '$joined' } },
            days: { $dateDiff: { startDate: '$joined', endDate: new Date('2021-07-01T08:30:00Z'), unit: 'day' } },
            plus: { $dateAdd: { startDate: '$joined', unit: 'day', amount: 45 } },
            minus: { $dateSubtract: { startDate: '$joined', unit: 'month', amount: 1 } },
          } },
        ]);
        expect(row).toEqual({ year: 2021, month: 6, day: 1, hour: 8, text: '2021-06-01 08:30', days: 30,
          plus: new Date('2021-07-16T08:30:00Z'), minus: new Date('2021-05-01T08:30:00Z') });
      });

      it('conditional operators: $cond, $ifNull, $switch', async () => {
        const c = await seeded();
        const rows = await c.aggregate([
          { $sort: { _id: 1 } },
          { $project: {
            band: { $cond: [{ $gte: ['$age', 40] }, 'senior', 'junior'] },
            band2: { $cond: { if: { $eq: ['$city', 'Paris'] }, then: 'capital', else: 'other' } },
            nick: { $ifNull: ['$nickname', '$name'] },
            size: { $switch: { branches: [
              { case: { $eq: [{ $size: '$tags' }, 0] }, then: 'none' },
              { case: { $lt: [{ $size: '$tags' }, 2] }, then: 'one' },
            ], default: 'many' } },
          } },
        ]);
        expect(rows).toEqual([
          { _id: 'p1', band: 'junior', band2: 'other', nick: 'Ada', size: 'many' },
          { _id: 'p2', band: 'junior', band2: 'capital', nick: 'Bob', size: 'one' },
          { _id: 'p3', band: 'senior', band2: 'other', nick: 'Cleo', size: 'none' },
          { _id: 'p4', band: 'junior', band2: 'other', nick: 'Dan', size: 'many' },
          { _id: 'p5', band: 'senior', band2: 'capital', nick: 'eve', size: 'one' },
        ]);
      });

      it('$lookup joins another collection', async () => {
        const c = await seeded();
        await store.collection('teams').insertMany([{ _id: 't1', title: 'One' }, { _id: 't2', title: 'Two' }]);
        const rows = await c.aggregate([
          { $match: { city: { $in: ['Lyon', 'Nice'] } } },
          { $lookup: { from: 'teams', localField: 'team', foreignField: '_id', as: 'teamDocs' } },
          { $sort: { _id: 1 } },
          { $project: { team: 1, teamDocs: 1 } },
        ]);
        expect(rows).toEqual([
          { _id: 'p1', team: 't1', teamDocs: [{ _id: 't1', title: 'One' }] },
          { _id: 'p3', team: 't1', teamDocs: [{ _id: 't1', title: 'One' }] },
          { _id: 'p4', team: 't3', teamDocs: [] },
        ]);
        rows[0].teamDocs[0].title = 'changed';
        expect(rows[1].teamDocs[0].title).toBe('One');
      });

      it('$lookup on _id after other stages: arrays, missing and null local values, two joins', async () => {
        const c = store.collection('orders');
        await store.collection('items').insertMany([{ _id: 'i1', name: 'One' }, { _id: 'i2', name: 'Two' }, { _id: 'i3', name: 'Three' }]);
        await c.insertMany([
          { _id: 'o1', item: 'i1', extras: ['i2', 'i3'], n: 1 },
          { _id: 'o2', item: null, extras: [], n: 2 },
          { _id: 'o3', extras: ['i9'], n: 3 },
          { _id: 'o4', item: 'i2', extras: 'i1', n: 4 },
        ]);
        const rows = await c.aggregate([
          { $match: { n: { $gte: 1 } } },
          { $sort: { _id: 1 } },
          { $lookup: { from: 'items', localField: 'item', foreignField: '_id', as: 'main' } },
          { $lookup: { from: 'items', localField: 'extras', foreignField: '_id', as: 'more' } },
          { $project: { _id: 1, main: '$main.name', more: '$more.name' } },
        ]);
        expect(rows.map((r) => ({ ...r, more: [...r.more].sort() }))).toEqual([
          { _id: 'o1', main: ['One'], more: ['Three', 'Two'] },
          { _id: 'o2', main: [], more: [] },
          { _id: 'o3', main: [], more: [] },
          { _id: 'o4', main: ['Two'], more: ['One'] },
        ]);
        // Joining on a field a $group made, right after it.
        const grouped = await c.aggregate([
          { $group: { _id: { item: { $ifNull: ['$item', 'none'] } }, n: { $sum: 1 } } },
          { $lookup: { from: 'items', localField: '_id.item', foreignField: '_id', as: 'found' } },
          { $project: { _id: 0, item: '$_id.item', names: '$found.name' } },
          { $sort: { item: 1 } },
        ]);
        expect(grouped).toEqual([{ item: 'i1', names: ['One'] }, { item: 'i2', names: ['Two'] }, { item: 'none', names: [] }]);
      });

      it('$facet with a $lookup inside', async () => {
        const c = await seeded();
        await store.collection('teams').insertMany([{ _id: 't1', title: 'One' }, { _id: 't2', title: 'Two' }]);
        const [result] = await c.aggregate([
          { $facet: {
            total: [{ $count: 'n' }],
            byTeam: [
              { $group: { _id: '$team', n: { $sum: 1 } } },
              { $lookup: { from: 'teams', localField: '_id', foreignField: '_id', as: 'team' } },
              { $project: { n: 1, title: { $ifNull: [{ $arrayElemAt: ['$team.title', 0] }, 'none'] } } },
              { $sort: { _id: 1 } },
            ],
          } },
        ]);
        expect(result).toEqual({
          total: [{ n: 5 }],
          byTeam: [{ _id: 't1', n: 2, title: 'One' }, { _id: 't2', n: 2, title: 'Two' }, { _id: 't3', n: 1, title: 'none' }],
        });
      });
    });

    describe('indexes', () => {
      it('createIndex is idempotent and returns the name', async () => {
        const c = await seeded();
        expect(await c.createIndex({ key: { city: 1, age: -1 } })).toBe('city_1_age_-1');
        expect(await c.createIndex({ key: { city: 1, age: -1 } })).toBe('city_1_age_-1');
        expect(await c.createIndex({ key: { name: 1 }, unique: true, name: 'by_name' })).toBe('by_name');
        expect(await c.createIndex({ key: { name: 1 }, unique: true, name: 'by_name' })).toBe('by_name');
        await expect(c.createIndex({ key: { city: 1 }, name: 'by_name' })).rejects.toBeInstanceOf(InvalidQueryError);
      });

      it('listIndexes names each secondary index with its key and options, in the order created', async () => {
        const c = await seeded();
        expect(await c.listIndexes()).toEqual([]);
        await c.createIndex({ key: { city: 1, age: -1 } });
        await c.createIndex({ key: { name: 1 }, unique: true, name: 'by_name' });
        await c.createIndex({ key: { nickname: 1 }, sparse: true });
        expect(await c.listIndexes()).toEqual([
          { name: 'city_1_age_-1', key: { city: 1, age: -1 }, unique: false, sparse: false },
          { name: 'by_name', key: { name: 1 }, unique: true, sparse: false },
          { name: 'nickname_1', key: { nickname: 1 }, unique: false, sparse: true },
        ]);
        expect(await store.collection('never-written').listIndexes()).toEqual([]);
      });

      it('dropIndex removes the index and what it enforced; queries stay right; false when there is none', async () => {
        const c = await seeded();
        await c.createIndex({ key: { name: 1 }, unique: true, name: 'by_name' });
        await c.createIndex({ key: { city: 1 } });
        // Reads planned while the drop runs still find every document.
        const [dropped, lyon, count] = await Promise.all([c.dropIndex('city_1'), c.find({ city: 'Lyon' }), c.countDocuments({ city: 'Paris' })]);
        expect(dropped).toBe(true);
        expect(ids(lyon)).toEqual(['p1', 'p3']);
        expect(count).toBe(2);
        expect(await c.dropIndex('city_1')).toBe(false);
        expect(await c.dropIndex('by_name')).toBe(true);
        expect(await c.listIndexes()).toEqual([]);
        await c.insertOne({ _id: 'p6', name: 'Ada', city: 'Lyon' });
        expect(ids(await c.find({ name: 'Ada' }))).toEqual(['p1', 'p6']);
        expect(ids(await c.find({ city: 'Lyon' }))).toEqual(['p1', 'p3', 'p6']);
        expect(await store.collection('never-written').dropIndex('x_1')).toBe(false);
      });

      it('an index dropped and created again holds the documents written meanwhile', async () => {
        const c = await seeded();
        await c.createIndex({ key: { city: 1 } });
        await c.dropIndex('city_1');
        await c.updateOne({ _id: 'p2' }, { $set: { city: 'Lyon' } });
        await c.deleteOne({ _id: 'p1' });
        await c.createIndex({ key: { city: 1 } });
        expect(ids(await c.find({ city: 'Lyon' }))).toEqual(['p2', 'p3']);
        expect(ids(await c.find({ city: { $in: ['Paris', 'Nice'] } }))).toEqual(['p4', 'p5']);
        await c.dropIndex('city_1');
        await expect(c.createIndex({ key: { city: 1 }, unique: true })).rejects.toBeInstanceOf(DuplicateKeyError);
      });

      it('dropIndex refuses the index on _id and names that are not index names', async () => {
        const c = await seeded();
        for (const name of ['_id_', '', 42, null, 'x'.repeat(121)]) {
          await expect(c.dropIndex(name as string)).rejects.toBeInstanceOf(InvalidQueryError);
        }
        expect(await c.countDocuments()).toBe(5);
      });

      it('a unique index refuses duplicates and stores nothing of the refused write', async () => {
        const c = store.collection('users');
        await c.createIndex({ key: { email: 1 }, unique: true });
        await c.insertOne({ _id: 'u1', email: 'a@x' });
        const error = await c.insertOne({ _id: 'u2', email: 'a@x' }).catch((e) => e);
        expect(error).toBeInstanceOf(DuplicateKeyError);
        expect(error.index).toBe('email_1');
        expect(error.collection).toBe('users');
        expect(await c.findOne({ _id: 'u2' })).toBeNull();
        // all or nothing: the good documents around the duplicate are not stored either
        await expect(c.insertMany([{ _id: 'u3', email: 'c@x' }, { _id: 'u4', email: 'a@x' }, { _id: 'u5', email: 'e@x' }]))
          .rejects.toBeInstanceOf(DuplicateKeyError);
        await expect(c.insertMany([{ _id: 'u6', email: 'f@x' }, { _id: 'u7', email: 'f@x' }])).rejects.toBeInstanceOf(DuplicateKeyError);
        expect(ids(await c.find({}))).toEqual(['u1']);
        // the index still works after the refusals
        await c.insertOne({ _id: 'u3', email: 'c@x' });
        expect(await c.findOne({ email: 'c@x' })).toEqual({ _id: 'u3', email: 'c@x' });
      });

      it('a unique index holds across updates and upserts', async () => {
        const c = store.collection('users');
        await c.createIndex({ key: { email: 1 }, unique: true });
        await c.insertMany([{ _id: 'u1', email: 'a@x', v: 1 }, { _id: 'u2', email: 'b@x', v: 1 }]);
        await expect(c.updateOne({ _id: 'u2' }, { $set: { email: 'a@x', v: 2 } })).rejects.toBeInstanceOf(DuplicateKeyError);
        expect(await c.findOne({ _id: 'u2' })).toEqual({ _id: 'u2', email: 'b@x', v: 1 });
        await expect(c.findOneAndUpdate({ _id: 'u2' }, { $set: { email: 'a@x' } })).rejects.toBeInstanceOf(DuplicateKeyError);
        await expect(c.updateOne({ email: 'zzz' }, { $set: { email: 'a@x' } }, { upsert: true })).rejects.toBeInstanceOf(DuplicateKeyError);
        expect(await c.countDocuments()).toBe(2);
        // moving a key frees the old value
        await c.updateOne({ _id: 'u1' }, { $set: { email: 'c@x' } });
        await c.updateOne({ _id: 'u2' }, { $set: { email: 'a@x' } });
        expect(await c.findOne({ email: 'a@x' })).toMatchObject({ _id: 'u2' });
        expect(await c.findOne({ email: 'b@x' })).toBeNull();
        // deleting frees it too
        await c.deleteOne({ _id: 'u2' });
        await c.insertOne({ _id: 'u3', email: 'a@x' });
      });

      it('a compound unique index compares whole keys', async () => {
        const c = store.collection('definitions');
        await c.createIndex({ key: { kind: 1, key: 1, version: 1 }, unique: true, name: 'kind_key_version' });
        await c.insertMany([
          { kind: 'form', key: 'intake', version: 1 }, { kind: 'form', key: 'intake', version: 2 },
          { kind: 'process', key: 'intake', version: 1 }, { kind: 'form', key: 'exit', version: 1 },
        ]);
        const error = await c.insertOne({ kind: 'form', key: 'intake', version: 2 }).catch((e) => e);
        expect(error).toBeInstanceOf(DuplicateKeyError);
        expect(error.index).toBe('kind_key_version');
        expect(await c.countDocuments()).toBe(4);
        expect(ids(await c.find({ kind: 'form', key: 'intake' }))).toHaveLength(2);
      });

      it('createIndex over existing duplicates refuses and leaves no index', async () => {
        const c = await seeded();
        await expect(c.createIndex({ key: { city: 1 }, unique: true })).rejects.toBeInstanceOf(DuplicateKeyError);
        await c.insertOne({ _id: 'p6', city: 'Lyon' });
        expect(await c.countDocuments({ city: 'Lyon' })).toBe(3);
      });

      it('a unique index treats missing fields as null unless sparse', async () => {
        const c = store.collection('plain');
        await c.createIndex({ key: { code: 1 }, unique: true });
        await c.insertOne({ _id: 'a' });
        await expect(c.insertOne({ _id: 'b' })).rejects.toBeInstanceOf(DuplicateKeyError);
        const s = store.collection('sparse');
        await s.createIndex({ key: { code: 1 }, unique: true, sparse: true });
        await s.insertMany([{ _id: 'a' }, { _id: 'b' }, { _id: 'c', code: 1 }]);
        await expect(s.insertOne({ _id: 'd', code: 1 })).rejects.toBeInstanceOf(DuplicateKeyError);
        expect(ids(await s.find({ code: null }))).toEqual(['a', 'b']);
        expect(ids(await s.find({ code: 1 }))).toEqual(['c']);
      });

      it('multikey: a unique index on an array field indexes each element', async () => {
        const c = store.collection('multi');
        await c.createIndex({ key: { aliases: 1 }, unique: true });
        await c.insertOne({ _id: 'a', aliases: ['x', 'y'] });
        await expect(c.insertOne({ _id: 'b', aliases: ['z', 'y'] })).rejects.toBeInstanceOf(DuplicateKeyError);
        await c.insertOne({ _id: 'c', aliases: ['z'] });
        expect(ids(await c.find({ aliases: 'y' }))).toEqual(['a']);
        expect(ids(await c.find({ aliases: { $in: ['x', 'z'] } }))).toEqual(['a', 'c']);
      });

      it('concurrent inserts of one unique key: exactly one succeeds', async () => {
        const c = store.collection('users');
        await c.createIndex({ key: { email: 1 }, unique: true });
        const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => c.insertOne({ _id: `u${i}`, email: 'same@x' })));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DuplicateKeyError);
        expect(await c.countDocuments({ email: 'same@x' })).toBe(1);
      });

      it('long values and long ids work in unique and compound indexes', async () => {
        const c = store.collection('long');
        await c.createIndex({ key: { text: 1 }, unique: true });
        await c.createIndex({ key: { a: 1, b: 1, text: 1 } });
        const base = 'é'.repeat(3000) + 'x'.repeat(2000);
        const longId = 'i'.repeat(200);
        await c.insertOne({ _id: longId, text: base + '1', a: base, b: base });
        await c.insertOne({ text: base + '2', a: base, b: base });
        await expect(c.insertOne({ text: base + '1' })).rejects.toBeInstanceOf(DuplicateKeyError);
        expect(ids(await c.find({ text: base + '1' }))).toEqual([longId]);
        expect(await c.countDocuments({ a: base, b: base })).toBe(2);
        expect(await c.countDocuments({ a: base, b: base, text: { $in: [base + '2', base + '3'] } })).toBe(1);
      });

      it('index-backed queries return exactly what a scan returns, before and after writes', async () => {
        const indexed = store.collection('indexed');
        const scanned = store.collection('scanned');
        await indexed.createIndex({ key: { status: 1 } });
        await indexed.createIndex({ key: { kind: 1, status: 1 } });
        await indexed.createIndex({ key: { 'people.userId': 1 } });
        await indexed.createIndex({ key: { n: 1 } });
        await indexed.createIndex({ key: { at: 1 } });
        await indexed.createIndex({ key: { opt: 1 }, sparse: true });
        const statuses = ['open', 'closed', 'draft', null];
        const docs: Doc[] = [];
        for (let i = 0; i < 120; i++) {
          const doc: Doc = { _id: `d${String(i).padStart(3, '0')}`, kind: i % 3 === 0 ? 'a' : 'b', n: i % 7,
            people: [{ userId: `u${i % 5}` }, { userId: `u${(i * 3) % 11}` }], at: new Date(Date.UTC(2024, 0, 1 + (i % 4))) };
          const status = statuses[i % 4];
          if (status !== null) doc.status = status;
          if (i % 6 === 0) doc.opt = i % 12 === 0 ? null : 'set';
          if (i % 10 === 0) doc.n = [i % 7, 100];
          docs.push(doc);
        }
        await indexed.insertMany(docs);
        await scanned.insertMany(docs);
        const filters: Doc[] = [
          { status: 'open' }, { status: null }, { status: { $in: ['open', 'draft'] } }, { status: { $in: [null, 'closed'] } },
          { kind: 'a', status: 'closed' }, { kind: 'b' }, { kind: { $in: ['a', 'b'] }, status: { $in: ['open', null] } },
          { 'people.userId': 'u3' }, { 'people.userId': { $in: ['u1', 'u10'] }, kind: 'a' }, { n: 3 }, { n: 100 },
          { n: { $eq: 0 }, status: { $ne: 'open' } }, { $and: [{ status: 'draft' }, { n: { $gt: 2 } }] },
          { at: new Date(Date.UTC(2024, 0, 2)) }, { at: { $in: [new Date(Date.UTC(2024, 0, 3)), new Date(Date.UTC(2024, 0, 4))] } },
          { opt: null }, { opt: 'set' }, { opt: { $exists: true } }, { status: 'nope' }, { status: { $in: [] } },
          { _id: 'd005', status: 'closed' }, { _id: { $in: ['d001', 'd002', 'zzz'] } },
          { status: 'open', $or: [{ n: 1 }, { kind: 'a' }] },
        ];
        const compare = async (label: string): Promise<void> => {
          for (const filter of filters) {
            const a = (await indexed.find(filter)).sort(byId);
            const b = (await scanned.find(filter)).sort(byId);
            expect(a, `${label}: ${JSON.stringify(filter)}`).toEqual(b);
            expect(await indexed.countDocuments(filter)).toBe(b.length);
            const [agg] = await indexed.aggregate([{ $match: filter }, { $count: 'n' }]);
            expect(agg?.n ?? 0).toBe(b.length);
          }
        };
        await compare('after insert');
        for (const c of [indexed, scanned]) {
          await c.updateMany({ status: 'open' }, { $set: { status: 'closed' } });
          await c.updateMany({ kind: 'a', n: 2 }, { $set: { status: 'open', kind: 'b' }, $push: { people: { userId: 'u3' } } });
          await c.updateMany({ 'people.userId': 'u4' }, { $pull: { people: { userId: 'u4' } }, $unset: { opt: '' } });
          await c.updateOne({ _id: 'd010' }, { $set: { n: 5, at: new Date(Date.UTC(2024, 0, 2)) } });
          await c.deleteMany({ status: 'draft', n: { $lt: 3 } });
          await c.deleteOne({ _id: 'd033' });
          await c.updateOne({ _id: 'new1' }, { $set: { status: 'open', kind: 'a', n: 3 } }, { upsert: true });
        }
        await compare('after updates and deletes');
      });
    });

    describe('atomic batches', () => {
      it('writes across collections together and reports each write', async () => {
        const orders = store.collection('orders');
        const lines = store.collection('lines');
        await orders.insertOne({ _id: 'o1', status: 'open', version: 1 });
        const results = await store.writeAtomically([
          { collection: 'orders', updateOne: { filter: { _id: 'o1', version: 1 }, update: { $set: { status: 'paid' }, $inc: { version: 1 } }, mustMatch: true } },
          { collection: 'lines', insertOne: { document: { _id: 'l1', order: 'o1', qty: 2 } } },
          { collection: 'lines', insertOne: { document: { order: 'o1', qty: 3 } } },
          { collection: 'lines', updateOne: { filter: { _id: 'l9' }, update: { $set: { order: 'o1', qty: 1 } }, upsert: true } },
          { collection: 'lines', updateOne: { filter: { _id: 'nope' }, update: { $set: { qty: 0 } } } },
        ]);
        expect(results[0]).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
        expect(results[1]).toEqual({ insertedId: 'l1' });
        expect(results[2].insertedId).toMatch(HEX_ID);
        expect(results[3]).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: 'l9' });
        expect(results[4]).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: null });
        expect(await orders.findOne({ _id: 'o1' })).toEqual({ _id: 'o1', status: 'paid', version: 2 });
        expect(ids(await lines.find({ order: 'o1' }))).toEqual(['l1', 'l9', results[2].insertedId].sort());
        expect(await store.writeAtomically([])).toEqual([]);
      });

      it('a mustMatch write that matches nothing refuses the whole batch', async () => {
        const orders = store.collection('orders');
        await orders.insertOne({ _id: 'o1', status: 'open', version: 2 });
        const stale = store.writeAtomically([
          { collection: 'lines', insertOne: { document: { _id: 'l1', order: 'o1' } } },
          { collection: 'orders', updateOne: { filter: { _id: 'o1', version: 1 }, update: { $set: { status: 'paid' } }, mustMatch: true } },
        ]);
        await expect(stale).rejects.toBeInstanceOf(WriteConflictError);
        await expect(stale).rejects.toMatchObject({ index: 1, collection: 'orders' });
        expect(await store.collection('lines').countDocuments()).toBe(0);
        expect(await orders.findOne({ _id: 'o1' })).toEqual({ _id: 'o1', status: 'open', version: 2 });
      });

      it('a duplicate key refuses the whole batch; bad input is refused before anything is written', async () => {
        const users = store.collection('users');
        await users.createIndex({ key: { email: 1 }, unique: true });
        await users.insertOne({ _id: 'u1', email: 'a@x' });
        await expect(store.writeAtomically([
          { collection: 'users', updateOne: { filter: { _id: 'u1' }, update: { $set: { name: 'A' } } } },
          { collection: 'users', insertOne: { document: { _id: 'u2', email: 'a@x' } } },
        ])).rejects.toBeInstanceOf(DuplicateKeyError);
        expect(await users.find({})).toEqual([{ _id: 'u1', email: 'a@x' }]);
        await expect(store.writeAtomically([
          { collection: 'users', insertOne: { document: { _id: 'u3', email: 'b@x' } } },
          { collection: 'users', updateOne: { filter: { _id: 'u1' }, update: { $bogus: { name: 'A' } } } },
        ])).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(store.writeAtomically([{ collection: 'bad name!', insertOne: { document: {} } }])).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(store.writeAtomically([{ collection: 'users' } as any])).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(store.writeAtomically([{ collection: 'users', insertOne: { document: { $x: 1 } } }])).rejects.toBeInstanceOf(InvalidQueryError);
        expect(await users.countDocuments()).toBe(1);
      });

      it('two batches guarded by one version: exactly one wins', async () => {
        const orders = store.collection('orders');
        await orders.insertOne({ _id: 'o1', version: 1, by: null });
        const attempt = (by: string) => store.writeAtomically([
          { collection: 'orders', updateOne: { filter: { _id: 'o1', version: 1 }, update: { $set: { by }, $inc: { version: 1 } }, mustMatch: true } },
          { collection: 'audit', insertOne: { document: { order: 'o1', by } } },
        ]).then(() => 'won', (error) => (error instanceof WriteConflictError ? 'lost' : `error: ${error}`));
        const outcomes = await Promise.all([attempt('a'), attempt('b')]);
        expect(outcomes.sort()).toEqual(['lost', 'won']);
        const order = await orders.findOne({ _id: 'o1' });
        expect(order?.version).toBe(2);
        expect((await store.collection('audit').find({})).map((a) => a.by)).toEqual([order?.by]);
      });
    });

    describe('durability', () => {
      it('data and indexes persist across close and reopen', async () => {
        const c = store.collection('persist');
        await c.createIndex({ key: { email: 1 }, unique: true });
        await c.insertMany([{ _id: 'a', email: 'a@x', when: new Date('2024-01-01T00:00:00Z') }, { _id: 'b', email: 'b@x' }]);
        await c.updateOne({ _id: 'b' }, { $set: { email: 'c@x' } });
        await c.deleteOne({ _id: 'zzz' });
        await store.close();
        store = await harness.reopen(store);
        const again = store.collection('persist');
        expect((await again.find({})).sort(byId)).toEqual([{ _id: 'a', email: 'a@x', when: new Date('2024-01-01T00:00:00Z') }, { _id: 'b', email: 'c@x' }]);
        expect(await again.findOne({ email: 'c@x' })).toMatchObject({ _id: 'b' });
        expect(await again.findOne({ email: 'b@x' })).toBeNull();
        await expect(again.insertOne({ email: 'a@x' })).rejects.toBeInstanceOf(DuplicateKeyError);
        expect(await again.createIndex({ key: { email: 1 }, unique: true })).toBe('email_1');
      });

      it('a dropped index stays dropped across close and reopen', async () => {
        const c = store.collection('persist');
        await c.createIndex({ key: { email: 1 }, unique: true });
        await c.createIndex({ key: { city: 1 } });
        await c.insertMany([{ _id: 'a', email: 'a@x', city: 'Lyon' }, { _id: 'b', email: 'b@x', city: 'Lyon' }]);
        expect(await c.dropIndex('email_1')).toBe(true);
        await store.close();
        store = await harness.reopen(store);
        const again = store.collection('persist');
        expect((await again.listIndexes()).map((index) => index.name)).toEqual(['city_1']);
        await again.insertOne({ _id: 'c', email: 'a@x', city: 'Nice' });
        expect(ids(await again.find({ email: 'a@x' }))).toEqual(['a', 'c']);
        expect(ids(await again.find({ city: 'Lyon' }))).toEqual(['a', 'b']);
      });

      it('dropDatabase removes every collection, index and file', async () => {
        const c = await seeded();
        await c.createIndex({ key: { name: 1 }, unique: true });
        const file = await store.files.put(Readable.from([Buffer.from('hello')]), { filename: 'a.txt', contentType: 'text/plain' });
        await store.dropDatabase();
        expect(await c.countDocuments()).toBe(0);
        expect(await store.files.info(file._id)).toBeNull();
        await c.insertMany([{ name: 'same' }, { name: 'same' }]);
        expect(await c.countDocuments({ name: 'same' })).toBe(2);
      });
    });

    describe('files', () => {
      it('put, info, find, open, delete', async () => {
        const content = Buffer.from('x'.repeat(100_000) + 'end');
        const stored = await store.files.put(Readable.from([content.subarray(0, 50_000), content.subarray(50_000)]),
          { filename: 'report.pdf', contentType: 'application/pdf', metadata: { caseId: 'c1', kind: 'scan' } });
        expect(stored._id).toMatch(HEX_ID);
        expect(stored).toMatchObject({ filename: 'report.pdf', contentType: 'application/pdf', length: content.length, metadata: { caseId: 'c1', kind: 'scan' } });
        expect(stored.uploadedAt).toBeInstanceOf(Date);
        expect(await store.files.info(stored._id)).toEqual(stored);
        await store.files.put(Readable.from([Buffer.from('other')]), { filename: 'b.txt', contentType: 'text/plain', metadata: { caseId: 'c2' } });
        expect((await store.files.find({ 'metadata.caseId': 'c1' })).map((f) => f._id)).toEqual([stored._id]);
        expect(await buffer(await store.files.open(stored._id))).toEqual(content);
        await store.files.delete(stored._id);
        expect(await store.files.info(stored._id)).toBeNull();
        await expect(store.files.open(stored._id)).rejects.toBeInstanceOf(FileNotFoundError);
        await store.files.delete(stored._id); // deleting twice is harmless
      });

      it('unknown ids: info is null, open throws', async () => {
        expect(await store.files.info('0123456789abcdef01234567')).toBeNull();
        expect(await store.files.info('../../etc/passwd')).toBeNull();
        await expect(store.files.open('0123456789abcdef01234567')).rejects.toBeInstanceOf(FileNotFoundError);
        await expect(store.files.open('../../etc/passwd')).rejects.toBeInstanceOf(FileNotFoundError);
      });

      it('refuses a file past maxBytes and keeps nothing', async () => {
        async function* chunks(): AsyncGenerator<Buffer> {
          for (let i = 0; i < 10; i++) yield Buffer.alloc(1000, i);
        }
        await expect(store.files.put(Readable.from(chunks()), { filename: 'big.bin', contentType: 'application/octet-stream', maxBytes: 4500 }))
          .rejects.toBeInstanceOf(FileTooLargeError);
        expect(await store.files.find({})).toEqual([]);
        const exact = await store.files.put(Readable.from([Buffer.alloc(4500)]), { filename: 'ok.bin', contentType: 'application/octet-stream', maxBytes: 4500 });
        expect(exact.length).toBe(4500);
        expect(await store.files.find({})).toHaveLength(1);
      });

      it('keeps a hostile filename as metadata only', async () => {
        const name = '../../etc/passwd';
        const stored = await store.files.put(Readable.from([Buffer.from('not a password file')]), { filename: name, contentType: 'text/plain' });
        expect(stored._id).toMatch(HEX_ID);
        expect((await store.files.info(stored._id))!.filename).toBe(name);
        expect((await buffer(await store.files.open(stored._id))).toString()).toBe('not a password file');
        expect(await store.files.find({ filename: name })).toHaveLength(1);
      });
    });
  });
}
