/**
 * The MongoDB store: the official driver against a real MongoDB (a replica set in production).
 * Writes default to `w: majority, journal: true` unless the URI sets a write concern.
 */
import { MongoClient, type MongoClientOptions } from 'mongodb';
import { createFileArea, FILES_COLLECTION } from '../file-area.js';
import { assertCollectionName } from '../hygiene.js';
import { InvalidQueryError } from '../errors.js';
import type { BatchWrite, BatchWriteResult, Collection, Doc, StoredFile, Store } from '../types.js';
import { MongoCollection } from './collection.js';
import { toStoreError } from './errors.js';
import { GridFsBlobs } from './files.js';

export interface MongoStoreOptions {
  uri: string;
  /** Database name; defaults to the one in the URI's path (the driver's default otherwise). */
  dbName?: string;
}

export async function openMongoStore(options: MongoStoreOptions): Promise<Store> {
  const clientOptions: MongoClientOptions = {};
  if (!/[?&](w|journal|wtimeoutms)=/i.test(options.uri)) {
    clientOptions.writeConcern = { w: 'majority', journal: true };
  }
  const client = new MongoClient(options.uri, clientOptions);
  try {
    await client.connect();
  } catch (error) {
    throw toStoreError(error, '');
  }
  const db = client.db(options.dbName);

  const collections = new Map<string, MongoCollection>();
  const collection = (name: string): MongoCollection => {
    assertCollectionName(name);
    let found = collections.get(name);
    if (!found) {
      found = new MongoCollection(name, db.collection(name));
      collections.set(name, found);
    }
    return found;
  };
  const blobs = new GridFsBlobs(db);
  const files = createFileArea(collection(FILES_COLLECTION) as unknown as Collection<StoredFile>, blobs);

  return {
    kind: 'mongodb',
    files,
    collection<T extends Doc = Doc>(name: string): Collection<T> {
      return collection(name) as unknown as Collection<T>;
    },
    async writeAtomically(writes: BatchWrite[]): Promise<BatchWriteResult[]> {
      if (!Array.isArray(writes)) throw new InvalidQueryError('writeAtomically takes an array of writes');
      const actions = writes.map((write, i) => collection(write?.collection).prepareBatchWrite(write, i));
      if (actions.length === 0) return [];
      const session = client.startSession();
      try {
        let results: BatchWriteResult[] = [];
        // withTransaction retries transient transaction errors and aborts on anything thrown.
        await session.withTransaction(async () => {
          results = [];
          for (const action of actions) results.push(await action(session));
        });
        return results;
      } catch (error) {
        throw toStoreError(error, '');
      } finally {
        await session.endSession();
      }
    },
    async dropDatabase(): Promise<void> {
      try {
        await db.dropDatabase();
      } catch (error) {
        throw toStoreError(error, '');
      }
    },
    async close(): Promise<void> {
      await client.close();
    },
  };
}
