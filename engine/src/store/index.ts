/**
 * Opens the store the configuration asks for: MongoDB when a URI is given, else the embedded
 * store in `dataDir`. Everything else in the engine uses only the port (types.ts).
 */
import { openEmbeddedStore } from './embedded/index.js';
import { openMongoStore } from './mongodb/index.js';
import type { Store } from './types.js';

export interface StoreConfig {
  /** MONGODB_URI: use the MongoDB store. */
  mongodbUri?: string;
  /** Database name for MongoDB; defaults to the URI's. */
  mongodbDbName?: string;
  /** Data directory of the embedded store (the caller decides the default). */
  dataDir: string;
}

export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.mongodbUri) return openMongoStore({ uri: config.mongodbUri, dbName: config.mongodbDbName });
  return openEmbeddedStore({ dir: config.dataDir });
}

export { openEmbeddedStore } from './embedded/index.js';
export { openMongoStore } from './mongodb/index.js';
export * from './errors.js';
export type * from './types.js';
