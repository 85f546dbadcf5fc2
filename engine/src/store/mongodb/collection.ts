/**
 * One collection over the official driver. Inputs pass the same checks as in the embedded
 * store; `_id`s are generated here as 24-hex strings (never ObjectIds), upserts included.
 */
import { MongoBulkWriteError, type ClientSession, type Collection as DriverCollection, type Document } from 'mongodb';
import { InvalidQueryError, WriteConflictError } from '../errors.js';
import { assertCount, assertId, assertSafeFilter, assertSafePipeline, cleanDocument, cleanUpdate, droppableIndexName, indexName, isPlainObject } from '../hygiene.js';
import { newId } from '../ids.js';
import type {
  BatchWrite, BatchWriteResult, Collection, DeleteResult, Doc, Filter, FindOneAndUpdateOptions, FindOptions, IndexInfo, IndexSpec, InsertManyResult,
  InsertOneResult, Pipeline, Update, UpdateOptions, UpdateResult,
} from '../types.js';
import { toStoreError, translating } from './errors.js';

/** True when the filter fixes `_id` by equality, so an upsert takes its `_id` from the filter. */
function pinsId(filter: Filter): boolean {
  const id = filter._id;
  if (id === undefined) return false;
  if (isPlainObject(id)) return '$eq' in id || !Object.keys(id).some((k) => k.startsWith('$'));
  return !(id instanceof RegExp);
}

/**
 * Adds a generated string `_id` for the document an upsert may insert (the server would make an
 * ObjectId); an `_id` the filter pins must be a valid string id, as for inserts.
 */
function withUpsertId(filter: Filter, update: Update): Update {
  if (pinsId(filter)) {
    assertId(isPlainObject(filter._id) && '$eq' in filter._id ? filter._id.$eq : filter._id);
    return update;
  }
  if (update.$set?._id !== undefined || update.$setOnInsert?._id !== undefined) return update;
  return { ...update, $setOnInsert: { ...update.$setOnInsert, _id: newId() } };
}

/** The server's "no such collection" (26, NamespaceNotFound) or "no such index" (27, IndexNotFound). */
function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 26 || code === 27;
}

/** Index of the first document an ordered insertMany refused, or -1 when unknown. */
function firstFailedIndex(error: unknown): number {
  if (!(error instanceof MongoBulkWriteError)) return -1;
  const errors: { index: number }[] = [error.writeErrors].flat() as { index: number }[];
  const indexes = errors.map((e) => e?.index).filter((i): i is number => Number.isInteger(i));
  return indexes.length > 0 ? Math.min(...indexes) : -1;
}

function idString(id: unknown): string | null {
  return id === null || id === undefined ? null : String(id);
}

export class MongoCollection<T extends Doc = Doc> implements Collection<T> {
  constructor(
    readonly name: string,
    private readonly driver: DriverCollection<Document>,
  ) {}

  private run<R>(call: () => Promise<R>): Promise<R> {
    return translating(this.name, call);
  }

  private prepareInsert(doc: T): Doc {
    const clean = cleanDocument(doc);
    return clean._id === undefined ? { _id: newId(), ...clean } : clean;
  }

  async insertOne(doc: T): Promise<InsertOneResult> {
    const prepared = this.prepareInsert(doc);
    await this.run(() => this.driver.insertOne(prepared));
    return { insertedId: prepared._id };
  }

  /**
   * All or nothing, as in the embedded store: MongoDB keeps the documents inserted before a
   * failure, so they are deleted again before the error is thrown (without a transaction a
   * concurrent reader may briefly see them).
   */
  async insertMany(docs: T[]): Promise<InsertManyResult> {
    if (!Array.isArray(docs)) throw new InvalidQueryError('insertMany takes an array of documents');
    const prepared = docs.map((doc) => this.prepareInsert(doc));
    if (prepared.length === 0) return { insertedIds: [], insertedCount: 0 };
    try {
      await this.driver.insertMany(prepared, { ordered: true });
    } catch (error) {
      // Ordered: exactly the documents before the first failed one were inserted. (Not the
      // driver's insertedIds, which may name the failed document, whose _id can be another's.)
      const failedAt = firstFailedIndex(error);
      if (failedAt > 0) {
        const inserted = prepared.slice(0, failedAt).map((doc) => doc._id);
        await this.run(() => this.driver.deleteMany({ _id: { $in: inserted } }));
      }
      throw toStoreError(error, this.name);
    }
    return { insertedIds: prepared.map((doc) => doc._id), insertedCount: prepared.length };
  }

  async find(filter: Filter = {}, options: FindOptions = {}): Promise<T[]> {
    assertSafeFilter(filter);
    assertCount(options.skip, 'skip');
    assertCount(options.limit, 'limit');
    if (options.sort) assertSafeFilter(options.sort, 'sort');
    if (options.projection) assertSafeFilter(options.projection, 'projection');
    const { sort, skip, limit, projection } = options;
    return (await this.run(() => this.driver.find(filter, { sort, skip, limit, projection }).toArray())) as unknown as T[];
  }

  async findOne(filter: Filter = {}, options: Omit<FindOptions, 'limit'> = {}): Promise<T | null> {
    const [doc] = await this.find(filter, { ...options, limit: 1 });
    return doc ?? null;
  }

  async countDocuments(filter: Filter = {}): Promise<number> {
    assertSafeFilter(filter);
    return this.run(() => this.driver.countDocuments(filter));
  }

  async updateOne(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.update(filter, update, options, false);
  }

  /** Not all or nothing on MongoDB: documents updated before a failure (duplicate key) stay updated. */
  async updateMany(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.update(filter, update, options, true);
  }

  private async update(filter: Filter, update: Update, options: UpdateOptions, multi: boolean): Promise<UpdateResult> {
    assertSafeFilter(filter);
    let clean = cleanUpdate(update);
    const upsert = !!options.upsert;
    if (upsert) clean = withUpsertId(filter, clean);
    const result = await this.run(() =>
      multi ? this.driver.updateMany(filter, clean, { upsert }) : this.driver.updateOne(filter, clean, { upsert }),
    );
    return { matchedCount: result.matchedCount, modifiedCount: result.modifiedCount, upsertedId: idString(result.upsertedId) };
  }

  /**
   * One write of an atomic batch: the input is checked now; the returned action writes inside
   * the batch's transaction (`session`).
   */
  prepareBatchWrite(write: BatchWrite, index: number): (session: ClientSession) => Promise<BatchWriteResult> {
    if ('insertOne' in write) {
      if (!isPlainObject(write.insertOne?.document)) throw new InvalidQueryError(`write ${index}: insertOne needs a document`);
      const prepared = this.prepareInsert(write.insertOne.document as T);
      return async (session) => {
        await this.run(() => this.driver.insertOne(prepared, { session }));
        return { insertedId: prepared._id };
      };
    }
    if ('updateOne' in write && isPlainObject(write.updateOne)) {
      const { filter, update, upsert, mustMatch } = write.updateOne;
      assertSafeFilter(filter);
      const clean = upsert ? withUpsertId(filter, cleanUpdate(update)) : cleanUpdate(update);
      return async (session) => {
        const result = await this.run(() => this.driver.updateOne(filter, clean, { upsert: !!upsert, session }));
        const upsertedId = idString(result.upsertedId);
        if (mustMatch && result.matchedCount === 0 && upsertedId === null) throw new WriteConflictError(this.name, index);
        return { matchedCount: result.matchedCount, modifiedCount: result.modifiedCount, upsertedId };
      };
    }
    throw new InvalidQueryError(`write ${index}: expected insertOne or updateOne`);
  }

  async findOneAndUpdate(filter: Filter, update: Update, options: FindOneAndUpdateOptions = {}): Promise<T | null> {
    assertSafeFilter(filter);
    if (options.sort) assertSafeFilter(options.sort, 'sort');
    if (options.projection) assertSafeFilter(options.projection, 'projection');
    let clean = cleanUpdate(update);
    const upsert = !!options.upsert;
    if (upsert) clean = withUpsertId(filter, clean);
    const { returnDocument = 'before', sort, projection } = options;
    return (await this.run(() => this.driver.findOneAndUpdate(filter, clean, { upsert, returnDocument, sort, projection }))) as T | null;
  }

  async deleteOne(filter: Filter): Promise<DeleteResult> {
    assertSafeFilter(filter);
    const { deletedCount } = await this.run(() => this.driver.deleteOne(filter));
    return { deletedCount };
  }

  async deleteMany(filter: Filter): Promise<DeleteResult> {
    assertSafeFilter(filter);
    const { deletedCount } = await this.run(() => this.driver.deleteMany(filter));
    return { deletedCount };
  }

  async createIndex(spec: IndexSpec): Promise<string> {
    const name = indexName(spec);
    return this.run(() => this.driver.createIndex(spec.key, { name, unique: !!spec.unique, sparse: !!spec.sparse }));
  }

  async dropIndex(name: string): Promise<boolean> {
    droppableIndexName(name);
    try {
      await this.driver.dropIndex(name);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw toStoreError(error, this.name);
    }
  }

  async listIndexes(): Promise<IndexInfo[]> {
    let indexes: Document[];
    try {
      indexes = await this.driver.listIndexes().toArray();
    } catch (error) {
      if (isMissing(error)) return [];
      throw toStoreError(error, this.name);
    }
    return indexes
      .filter((index) => index.name !== '_id_')
      .map((index) => ({ name: String(index.name), key: { ...index.key }, unique: !!index.unique, sparse: !!index.sparse }));
  }

  async aggregate<R extends Doc = Doc>(pipeline: Pipeline): Promise<R[]> {
    assertSafePipeline(pipeline);
    return (await this.run(() => this.driver.aggregate(pipeline).toArray())) as R[];
  }
}
