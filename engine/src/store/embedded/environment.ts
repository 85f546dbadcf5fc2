/**
 * The LMDB environment behind the embedded store: one environment under `<dir>/db`, a named
 * sub-database per collection (`c:<name>`, keyed by `_id`), one per secondary index, and `meta`
 * for index definitions. Every write runs in one LMDB transaction and resolves only once that
 * transaction is committed and synced to disk.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { StoreClosedError } from '../errors.js';

/** LMDB needs the number of named databases up front: collections + indexes + meta. */
const MAX_DATABASES = 1024;
const COLLECTION_PREFIX = 'c:';

export type DocsDatabase = Database<Record<string, any>, string>;
/** Index entries: `true` in a regular index, the document's `_id` in a unique one. */
export type IndexDatabase = Database<true | string, (string | Buffer)[]>;
export type MetaDatabase = Database<any, (string | Buffer)[]>;

/** Sorts after every key component the store writes; closes "all keys with this prefix" ranges. */
export const KEY_END = Buffer.from([0xff]);

/**
 * Values are MessagePack maps, not msgpackr records: documents of many shapes overflow the
 * shared record structures (32 per database), after which every value carries its own
 * definitions, is twice the size and decodes at half the speed. Maps read and write about twice
 * as fast, and values written as records by earlier versions still decode.
 */
const VALUE_ENCODING = { encoder: { useRecords: false } };

export class Environment {
  private readonly root: RootDatabase;
  readonly meta: MetaDatabase;
  /** Handles by database name: opened once, outside write transactions. */
  private readonly opened = new Map<string, Database<any, any>>();
  private closed = false;

  constructor(dir: string) {
    const path = join(dir, 'db');
    mkdirSync(path, { recursive: true, mode: 0o700 });
    this.root = open({
      path,
      maxDbs: MAX_DATABASES,
      // Commit and sync in one step: a write's promise resolves only once LMDB has fsynced it.
      // (The default overlapping sync resolves at commit and flushes afterwards.)
      overlappingSync: false,
      ...VALUE_ENCODING,
    });
    this.meta = this.root.openDB({ name: 'meta', ...VALUE_ENCODING });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  /** Opens (creating when missing) the documents database of a collection. */
  openCollection(name: string): DocsDatabase {
    return this.open(COLLECTION_PREFIX + name) as DocsDatabase;
  }

  openIndex(dbName: string): IndexDatabase {
    return this.open(dbName) as IndexDatabase;
  }

  private open(dbName: string): Database<any, any> {
    this.assertOpen();
    let db = this.opened.get(dbName);
    if (!db) {
      db = this.root.openDB<any, any>({ name: dbName, ...VALUE_ENCODING });
      this.opened.set(dbName, db);
    }
    return db;
  }

  /** Names of the collections that have a documents database. */
  collectionNames(): string[] {
    const names: string[] = [];
    // LMDB keeps the names of named databases as the keys of its main database.
    for (const key of this.root.getKeys()) {
      if (typeof key === 'string' && key.startsWith(COLLECTION_PREFIX)) names.push(key.slice(COLLECTION_PREFIX.length));
    }
    return names;
  }

  /**
   * Runs `action` inside a write transaction. lmdb-js batches the transactions queued
   * together into one commit (one fsync for many writers); each action runs in its own nested
   * transaction, so an action that throws leaves nothing behind and does not disturb the
   * others. Resolves with the action's result once the commit is durable.
   */
  async write<R>(action: () => R): Promise<R> {
    this.assertOpen();
    return (await this.root.childTransaction(action)) as R;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.root.close();
  }
}
