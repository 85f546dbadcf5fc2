/**
 * The embedded store (the default): LMDB on local disk for durability, mingo for MongoDB's
 * query, update and aggregation semantics. One process owns a data directory at a time.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileArea, FILES_COLLECTION } from '../file-area.js';
import { assertCollectionName } from '../hygiene.js';
import { InvalidQueryError } from '../errors.js';
import type { BatchWrite, BatchWriteResult, Collection, Doc, StoredFile, Store } from '../types.js';
import { EmbeddedCollection } from './collection.js';
import { Environment } from './environment.js';
import { DiskBlobs } from './files.js';
import { DirectoryLock } from './lock.js';

export interface EmbeddedStoreOptions {
  /** Data directory; holds `db/` (LMDB) and `files/`. Created when missing. */
  dir: string;
}

export async function openEmbeddedStore(options: EmbeddedStoreOptions): Promise<Store> {
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const lock = await DirectoryLock.acquire(options.dir);
  let env: Environment;
  const blobs = new DiskBlobs(join(options.dir, 'files'));
  try {
    env = new Environment(options.dir);
    await blobs.init();
  } catch (error) {
    await lock.release();
    throw error;
  }

  const collections = new Map<string, EmbeddedCollection>();
  const collection = (name: string): EmbeddedCollection => {
    env.assertOpen();
    assertCollectionName(name);
    let found = collections.get(name);
    if (!found) {
      found = new EmbeddedCollection(name, env, collection);
      collections.set(name, found);
    }
    return found;
  };
  const files = createFileArea(collection(FILES_COLLECTION) as unknown as Collection<StoredFile>, blobs);

  return {
    kind: 'embedded',
    files,
    collection<T extends Doc = Doc>(name: string): Collection<T> {
      return collection(name) as unknown as Collection<T>;
    },
    async writeAtomically(writes: BatchWrite[]): Promise<BatchWriteResult[]> {
      env.assertOpen();
      if (!Array.isArray(writes)) throw new InvalidQueryError('writeAtomically takes an array of writes');
      const actions = writes.map((write, i) => collection(write?.collection).prepareBatchWrite(write, i));
      if (actions.length === 0) return [];
      // One LMDB transaction: a write that throws rolls back every write before it.
      return env.write(() => actions.map((action) => action()));
    },
    async dropDatabase(): Promise<void> {
      env.assertOpen();
      const all = env.collectionNames().map(collection);
      try {
        await env.write(() => {
          for (const c of all) c.clearInTransaction();
        });
      } catch (error) {
        for (const c of all) c.indexes.reload();
        throw error;
      }
      for (const c of all) c.indexes.publishDrop();
      await blobs.clear();
    },
    async close(): Promise<void> {
      if (env.isClosed) return;
      await env.close();
      await lock.release();
    },
  };
}
