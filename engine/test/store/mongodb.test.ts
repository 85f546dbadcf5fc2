/**
 * The contract suite against a real MongoDB. No MongoDB server can be installed on the build
 * machines, so this leg runs only where MONGODB_URI points at one, and says so when it does not.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describe } from 'vitest';
import { openMongoStore } from '../../src/store/mongodb/index.js';
import type { Store } from '../../src/store/types.js';
import { contractSuite } from './contract.js';

const uri = process.env.MONGODB_URI;
if (!uri) console.log('MongoDB contract leg NOT RUN: set MONGODB_URI to run it');

const names = new Map<Store, string>();

describe.skipIf(!uri)('mongodb adapter', () => {
  contractSuite('mongodb', {
    async fresh() {
      const dbName = `store_contract_${randomBytes(6).toString('hex')}`;
      const store = await openMongoStore({ uri: uri!, dbName });
      names.set(store, dbName);
      return store;
    },
    async reopen(store) {
      const dbName = names.get(store)!;
      const again = await openMongoStore({ uri: uri!, dbName });
      names.set(again, dbName);
      return again;
    },
    async dispose(store) {
      const dbName = names.get(store)!;
      await store.close().catch(() => undefined);
      const client = await MongoClient.connect(uri!);
      await client.db(dbName).dropDatabase();
      await client.close();
      names.delete(store);
    },
  });
});
