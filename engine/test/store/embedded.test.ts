/** The contract suite against the embedded store (LMDB + mingo) on a real temp dir, plus what only it can show. */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { open } from 'lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/store/embedded/index.js';
import { FileTooLargeError, StoreClosedError } from '../../src/store/errors.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { contractSuite } from './contract.js';

const dirs = new Map<Store, string>();

contractSuite('embedded', {
  async fresh() {
    const dir = await mkdtemp(join(tmpdir(), 'store-contract-'));
    const store = await openEmbeddedStore({ dir });
    dirs.set(store, dir);
    return store;
  },
  async reopen(store) {
    const dir = dirs.get(store)!;
    const again = await openEmbeddedStore({ dir });
    dirs.set(again, dir);
    return again;
  },
  async dispose(store) {
    await store.close();
    await rm(dirs.get(store)!, { recursive: true, force: true });
    dirs.delete(store);
  },
});

async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

describe('embedded store on disk', () => {
  let dir: string;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('openStore picks the embedded store without a MongoDB URI', async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-open-'));
    store = await openStore({ dataDir: dir });
    expect(store.kind).toBe('embedded');
  });

  it('names stored files by id only and leaves nothing of a refused file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-files-'));
    store = await openEmbeddedStore({ dir });
    const stored = await store.files.put(Readable.from([Buffer.from('x')]), { filename: '../../../escape.txt', contentType: 'text/plain' });
    await expect(store.files.put(Readable.from([Buffer.alloc(2048)]), { filename: 'big', contentType: 'x', maxBytes: 1024 }))
      .rejects.toBeInstanceOf(FileTooLargeError);
    const files = (await listTree(join(dir, 'files')));
    expect(files).toEqual([join(stored._id.slice(-2), stored._id)]);
    expect(await listTree(join(dir, '..')).then((all) => all.some((f) => f.endsWith('escape.txt')))).toBe(false);
  });

  it('reads documents an earlier version wrote as msgpackr records, and updates them', async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-records-'));
    // What earlier versions wrote: lmdb's default encoding, records with shared structures,
    // and more shapes than the 32 shared ones (the rest carry their own definitions).
    const shapes = Array.from({ length: 80 }, (_, i) => ({ _id: `d${String(i).padStart(3, '0')}`, kind: 'old', [`field${i}`]: { n: i, at: new Date(Date.UTC(2026, 0, 1 + i)) }, tags: ['a', i] }));
    const old = open({ path: join(dir, 'db'), maxDbs: 8 });
    const docs = old.openDB({ name: 'c:things' });
    await docs.transaction(() => { for (const doc of shapes) docs.put(doc._id, doc); });
    await old.close();

    store = await openEmbeddedStore({ dir });
    const things = store.collection('things');
    expect(await things.find({}, { sort: { _id: 1 } })).toEqual(shapes);
    await things.updateOne({ _id: 'd005' }, { $set: { kind: 'new' } });
    await store.close();
    store = await openEmbeddedStore({ dir });
    expect(await store.collection('things').findOne({ _id: 'd005' })).toEqual({ ...shapes[5], kind: 'new' });
    expect(await store.collection('things').countDocuments({ kind: 'old' })).toBe(79);
  });

  it('lets one store at a time use a data directory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-lock-'));
    store = await openEmbeddedStore({ dir });
    await expect(openEmbeddedStore({ dir })).rejects.toThrow(/already in use/);
    await store.close();
    store = await openEmbeddedStore({ dir });
    await store.close();
    // a lock left by a process that is gone is taken over
    await writeFile(join(dir, 'store.lock'), '999999999');
    store = await openEmbeddedStore({ dir });
    expect(store.kind).toBe('embedded');
  });

  it('an index created during concurrent writes and reads stays exact', async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-race-'));
    store = await openEmbeddedStore({ dir });
    const c = store.collection('race');
    await c.insertMany(Array.from({ length: 200 }, (_, i) => ({ _id: `a${i}`, v: i % 5 })));
    const writes = Array.from({ length: 200 }, (_, i) => c.insertOne({ _id: `b${i}`, v: i % 5 }));
    const moves = Array.from({ length: 50 }, (_, i) => c.updateOne({ _id: `a${i}` }, { $set: { v: 9 } }));
    const index = c.createIndex({ key: { v: 1 } });
    const reads = Array.from({ length: 20 }, async () => {
      // a read during the build may scan or use the index, but must see committed data only
      const found = await c.find({ v: 3 });
      for (const doc of found) expect(doc.v).toBe(3);
    });
    const more = Array.from({ length: 200 }, (_, i) => c.insertOne({ _id: `c${i}`, v: i % 5 }));
    await Promise.all([...writes, ...moves, index, ...reads, ...more]);
    const all = await c.find({});
    for (const v of [0, 1, 2, 3, 4, 9]) {
      const expected = all.filter((d) => d.v === v).map((d) => d._id).sort();
      expect((await c.find({ v })).map((d) => d._id).sort(), `v=${v}`).toEqual(expected);
    }
    expect(all).toHaveLength(600);
  });

  it('refuses use after close', async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-closed-'));
    const closed = await openEmbeddedStore({ dir });
    await closed.collection('a').insertOne({ v: 1 });
    const handle = closed.collection('a');
    await closed.close();
    await expect(handle.find({})).rejects.toBeInstanceOf(StoreClosedError);
    await expect(handle.insertOne({ v: 2 })).rejects.toBeInstanceOf(StoreClosedError);
    expect(() => closed.collection('b')).toThrow(StoreClosedError);
  });
});
