/**
 * The storage port: a subset of the MongoDB driver's collection API that every
 * adapter (embedded, mongodb) implements with MongoDB semantics. Filters, update
 * documents and aggregation pipelines are written in MongoDB syntax.
 */
import type { Readable } from 'node:stream';

export type Doc = Record<string, any>;
export type Filter = Record<string, any>;
export type Update = Record<string, any>;
export type Pipeline = Record<string, any>[];
export type SortSpec = Record<string, 1 | -1>;
export type Projection = Record<string, 0 | 1 | boolean | Record<string, any>>;

export interface FindOptions {
  sort?: SortSpec;
  skip?: number;
  limit?: number;
  projection?: Projection;
}

export interface UpdateOptions {
  upsert?: boolean;
}

export interface FindOneAndUpdateOptions extends UpdateOptions {
  /** 'after' returns the document as updated; 'before' (the driver's default) as it was. */
  returnDocument?: 'before' | 'after';
  sort?: SortSpec;
  projection?: Projection;
}

export interface IndexSpec {
  /** Field paths in order, with direction; e.g. { kind: 1, key: 1, version: -1 }. */
  key: Record<string, 1 | -1>;
  unique?: boolean;
  /** Leave out documents that lack the indexed field(s) (MongoDB's `sparse`). */
  sparse?: boolean;
  name?: string;
}

/** A secondary index as the store keeps it (listIndexes). */
export interface IndexInfo {
  name: string;
  key: Record<string, 1 | -1>;
  unique: boolean;
  sparse: boolean;
}

export interface InsertOneResult { insertedId: string }
export interface InsertManyResult { insertedIds: string[]; insertedCount: number }
export interface UpdateResult { matchedCount: number; modifiedCount: number; upsertedId: string | null }
export interface DeleteResult { deletedCount: number }

export interface Collection<T extends Doc = Doc> {
  readonly name: string;
  insertOne(doc: T): Promise<InsertOneResult>;
  insertMany(docs: T[]): Promise<InsertManyResult>;
  findOne(filter?: Filter, options?: Omit<FindOptions, 'limit'>): Promise<T | null>;
  find(filter?: Filter, options?: FindOptions): Promise<T[]>;
  countDocuments(filter?: Filter): Promise<number>;
  updateOne(filter: Filter, update: Update, options?: UpdateOptions): Promise<UpdateResult>;
  updateMany(filter: Filter, update: Update, options?: UpdateOptions): Promise<UpdateResult>;
  findOneAndUpdate(filter: Filter, update: Update, options?: FindOneAndUpdateOptions): Promise<T | null>;
  deleteOne(filter: Filter): Promise<DeleteResult>;
  deleteMany(filter: Filter): Promise<DeleteResult>;
  createIndex(spec: IndexSpec): Promise<string>;
  /** Drops the secondary index of that name; false when there is none. */
  dropIndex(name: string): Promise<boolean>;
  /** The secondary indexes, in the order they were created (the one on _id is not listed). */
  listIndexes(): Promise<IndexInfo[]>;
  aggregate<R extends Doc = Doc>(pipeline: Pipeline): Promise<R[]>;
}

/** Metadata of a stored file; the content lives in the adapter's file area. */
export interface StoredFile {
  _id: string;
  filename: string;
  contentType: string;
  length: number;
  uploadedAt: Date;
  metadata: Doc;
}

export interface PutFileOptions {
  filename: string;
  contentType: string;
  metadata?: Doc;
  /** Refuse (FileTooLargeError) and keep nothing once the stream passes this many bytes. */
  maxBytes?: number;
}

export interface FileArea {
  /** Streams `content` into the file area; never holds the whole file in memory. */
  put(content: Readable, options: PutFileOptions): Promise<StoredFile>;
  info(id: string): Promise<StoredFile | null>;
  find(filter: Filter): Promise<StoredFile[]>;
  open(id: string): Promise<Readable>;
  delete(id: string): Promise<void>;
}

/** One write of an atomic batch (`Store.writeAtomically`), named by its collection. */
export type BatchWrite =
  | { collection: string; insertOne: { document: Doc } }
  | {
    collection: string;
    updateOne: {
      filter: Filter;
      update: Update;
      upsert?: boolean;
      /** When nothing matches, the whole batch is refused (WriteConflictError) and nothing is stored. */
      mustMatch?: boolean;
    };
  };

/** What each write of a batch did, in the batch's order. */
export interface BatchWriteResult {
  insertedId?: string;
  matchedCount?: number;
  modifiedCount?: number;
  upsertedId?: string | null;
}

export interface Store {
  readonly kind: 'embedded' | 'mongodb';
  collection<T extends Doc = Doc>(name: string): Collection<T>;
  /**
   * Runs writes across collections as one all-or-nothing unit: either every write is stored
   * (and durable) or none is. A duplicate key refuses the batch (DuplicateKeyError), and so
   * does a `mustMatch` update that matches nothing (WriteConflictError naming its position),
   * which makes optimistic concurrency over several records one step. On MongoDB this is a
   * multi-document transaction (a replica set is required).
   */
  writeAtomically(writes: BatchWrite[]): Promise<BatchWriteResult[]>;
  readonly files: FileArea;
  /** Drops every collection and file; used by tests and the data generator only. */
  dropDatabase(): Promise<void>;
  close(): Promise<void>;
}
