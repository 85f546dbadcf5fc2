/**
 * One collection of the embedded store. Reads plan (planner.ts), fetch candidates from LMDB and
 * re-test them with mingo; writes do the same inside one write transaction, then write the
 * documents and their index entries together, so the filter of an update is evaluated against
 * the latest committed state (optimistic concurrency on a version field just works).
 */
import { compareKeys } from 'lmdb';
import { DuplicateKeyError, InvalidQueryError, WriteConflictError } from '../errors.js';
import { assertCount, assertSafeFilter, assertSafePipeline, cleanDocument, cleanUpdate, droppableIndexName, indexName, isPlainObject } from '../hygiene.js';
import { newId } from '../ids.js';
import type {
  BatchWrite, BatchWriteResult, Collection, DeleteResult, Doc, Filter, FindOneAndUpdateOptions, FindOptions, IndexInfo, IndexSpec, InsertManyResult,
  InsertOneResult, Pipeline, Projection, SortSpec, Update, UpdateOptions, UpdateResult,
} from '../types.js';
import { forMingo, referencedCollections } from './aggregate.js';
import type { DocsDatabase, Environment } from './environment.js';
import { CollectionIndexes, type IndexDefinition, type LiveIndex, type PreparedEntries } from './indexes.js';
import { runCompiledPipeline, type StreamedSource } from './compiled-pipeline.js';
import { coveredBuilder, type CoveredShape } from './covered-documents.js';
import { sourceFields } from './covered-fields.js';
import { compileFilter, projector, runPipeline, type CompiledFilter } from './mingo.js';
import { answeredByRange, plan, type KeyRange, type Plan } from './planner.js';
import { sortWalk, sortedIds } from './sorted-walk.js';
import { updatedDocument, upsertDocument } from './updates.js';

/**
 * The string ids the documents hold at `path` (elements of an array there too), or null when
 * some value is neither (a document, an array on the way): then the join needs every document.
 * A missing or null value joins nothing, since every stored document has a string `_id`.
 */
function localIds(docs: Doc[], path: string): Set<string> | null {
  const parts = path.split('.');
  const ids = new Set<string>();
  const add = (item: unknown): boolean => {
    if (typeof item === 'string') ids.add(item);
    else if (item !== null && item !== undefined && typeof item === 'object') return false;
    return true;
  };
  for (let d = 0; d < docs.length; d++) {
    let value: unknown = docs[d];
    for (let i = 0; i < parts.length; i++) {
      if (Array.isArray(value)) return null;
      value = value !== null && typeof value === 'object' ? (value as Doc)[parts[i]] : undefined;
    }
    if (typeof value === 'string') ids.add(value);
    else if (Array.isArray(value)) {
      for (const item of value) if (!add(item)) return null;
    } else if (!add(value)) return null;
  }
  return ids;
}

/** The documents of a covered aggregation, and the order they were read in (null: not read yet). */
interface CoveredSource extends StreamedSource {
  order: 'index' | 'scan' | null;
}

/** How the store hands a collection the documents of another (for $lookup). */
export type CollectionLookup = (name: string) => EmbeddedCollection;

interface Modification {
  multi: boolean;
  upsert: boolean;
  sort?: SortSpec;
}

interface ModificationResult extends UpdateResult {
  before: Doc | null;
  after: Doc | null;
}

function checkSort(sort: unknown): asserts sort is SortSpec | undefined {
  if (sort === undefined) return;
  if (!isPlainObject(sort) || !Object.values(sort).every((d) => d === 1 || d === -1)) {
    throw new InvalidQueryError('sort must map field paths to 1 or -1');
  }
  assertSafeFilter(sort, 'sort');
}

/** Checks a projection up front (findOneAndUpdate applies it after its write); null when there is none. */
function checkedProjector(projection: unknown): ((docs: Doc[]) => Doc[]) | null {
  if (projection === undefined) return null;
  assertSafeFilter(projection, 'projection');
  return hasKeys(projection as Projection) ? projector(projection as Projection) : null;
}

/** Up to this many candidates, a sorted find decodes and sorts them all rather than walking a sort index. */
const FEW_CANDIDATES = 1000;

/** A covered join reads a whole index when it needs at least one document in this many (a key read costs about half a document read). */
const IDS_PER_INDEX_SCAN = 2;

/** A sorted walk that refused this many documents narrows to the plan's candidates. */
const REFUSALS_BEFORE_NARROWING = 64;

/** Documents in `_id` order; their `_id`s are strings, which compareKeys orders as `<` does. */
const compareIds = (a: Doc, b: Doc): number => ((a._id as string) < (b._id as string) ? -1 : a._id === b._id ? 0 : 1);

function isSortedById(docs: Doc[]): boolean {
  for (let i = 1; i < docs.length; i++) if (compareIds(docs[i - 1], docs[i]) > 0) return false;
  return true;
}

function isSorted(ids: string[]): boolean {
  for (let i = 1; i < ids.length; i++) if (compareKeys(ids[i - 1], ids[i]) > 0) return false;
  return true;
}

/**
 * How to build a pipeline's source documents from a regular index's keys, given the fields the
 * pipeline reads (covered-fields.ts), or null when it may read a field the index does not hold
 * exactly: one it lacks, or one that ever held an array there (its keys then show elements).
 */
function coveredShape(index: LiveIndex, fields: Set<string>): CoveredShape | null {
  const { unique, arrays, multikey } = index.definition;
  if (unique || !arrays || !multikey) return null;
  const wanted: number[] = [];
  for (const field of fields) {
    if (field === '_id') continue; // the last key element
    const position = index.fields.indexOf(field);
    if (position < 0 || arrays[position] !== false || multikey[position] !== false) return null;
    wanted.push(position);
  }
  return { fieldParts: index.fieldParts, wanted, ...(index.definition.missing ? { nulls: index.definition.missing.map((lacked) => !lacked) } : {}) };
}

/** Whether an index has one entry per document: none of its fields ever held several values. */
function oneEntryEach(index: LiveIndex): boolean {
  return index.definition.multikey?.every((several) => !several) === true;
}

/** How many key fields an index plan narrows on: its pinned prefix, and the ranged field after it. */
function narrowedFields(chosen: Extract<Plan, { kind: 'index' }>): number {
  return (chosen.prefixes[0]?.length ?? 0) + (chosen.range ? 1 : 0);
}

/** Whether a plan through another index reads as many entries: the same leading fields narrowed, as many prefixes. */
function sameNarrowing(planned: IndexPlan, other: IndexPlan): boolean {
  const leading = planned.index.fields.slice(0, narrowedFields(planned));
  return narrowedFields(other) === leading.length && leading.every((field, i) => other.index.fields[i] === field) && other.prefixes.length === planned.prefixes.length;
}

type IndexPlan = Extract<Plan, { kind: 'index' }>;

/** One index plan of a covered read, and how its keys give the documents. */
interface CoveredPart {
  chosen: IndexPlan;
  shape: CoveredShape;
}

function hasKeys(value: object | undefined): boolean {
  return value !== undefined && Object.keys(value).length > 0;
}

export class EmbeddedCollection<T extends Doc = Doc> implements Collection<T> {
  private readonly docs: DocsDatabase;
  readonly indexes: CollectionIndexes;
  /** Candidates of index range plans already read (see rangeIds). */
  private readonly rangeCandidates = new WeakMap<Plan, string[]>();
  /**
   * Source documents of covered aggregations: built from index keys, or read (a key not exact);
   * and the aggregations that streamed them in index order, never in the scan's.
   */
  readonly coveredReads = { fromKeys: 0, fromDocuments: 0, streamed: 0 };

  constructor(
    readonly name: string,
    private readonly env: Environment,
    private readonly lookup: CollectionLookup,
  ) {
    this.docs = env.openCollection(name);
    this.indexes = new CollectionIndexes(name, env, this.docs);
  }

  // ---- reading ---------------------------------------------------------------------------

  /**
   * Documents matching `filter`, in `_id` order, stopping after `limit` when given. Inside a
   * write transaction this reads the transaction's own state.
   */
  private matching(filter: Filter, compiled: CompiledFilter, indexes: LiveIndex[], limit?: number, chosen = this.plan(filter, indexes)): Doc[] {
    const out: Doc[] = [];
    const accept = (doc: Doc | undefined): boolean => {
      if (doc && compiled.test(doc)) out.push(doc);
      return limit !== undefined && out.length >= limit;
    };
    if (chosen.kind === 'scan') {
      for (const { key, value } of this.docs.getRange()) {
        if (typeof key === 'string' && accept(value)) break;
      }
      return out;
    }
    for (const id of this.candidateIds(chosen)) if (accept(this.docs.get(id))) break;
    return out;
  }

  /** The plan for a filter, comparing candidate plans by the entries they would read. */
  private plan(filter: Filter, indexes: LiveIndex[]): Plan {
    return plan(filter, indexes, (chosen) => this.entries(chosen));
  }

  /** The entries (ids) a plan names, lazily; of an index range, the ids meeting its bounds. */
  private *entries(chosen: Exclude<Plan, { kind: 'scan' }>): Generator<unknown> {
    if (chosen.kind === 'ids') yield* chosen.ids;
    else if (chosen.kind === 'union') for (const part of chosen.plans) yield* this.entries(part);
    else if (!chosen.range) yield* this.indexes.entryKeys(chosen.index, chosen.prefixes);
    else if (this.rangeCandidates.has(chosen)) yield* this.rangeCandidates.get(chosen)!;
    else {
      // The ids whose keys meet the bounds, as read; with one bound, once all are read they are the
      // plan's candidates, kept for when the plan is chosen (see rangeIds).
      const { position, all, bounds, windows } = chosen.range;
      const ids = new Set<string>();
      for (const key of this.indexes.entryKeys(chosen.index, chosen.prefixes, windows) as Iterable<string[]>) {
        const id = key[key.length - 1];
        if (bounds(key[position]) === all && !ids.has(id)) yield ids.add(id);
      }
      if (all === 1) this.rangeCandidates.set(chosen, [...ids]);
    }
  }

  /** The distinct ids of an index range plan, in no order (kept with the plan once read). */
  private rangeIds(chosen: Extract<Plan, { kind: 'index' }>, range: KeyRange): readonly string[] {
    let ids = this.rangeCandidates.get(chosen);
    if (!ids) {
      ids = [...new Set(chosen.prefixes.flatMap((prefix) => this.indexes.idsInRange(chosen.index, prefix, range)))];
      this.rangeCandidates.set(chosen, ids);
    }
    return ids;
  }

  /** The ids a plan other than a scan names, in the documents' key order (a scan's order) unless `ordered` is false. */
  private candidateIds(chosen: Exclude<Plan, { kind: 'scan' }>, ordered = true): string[] {
    let ids: string[];
    if (chosen.kind === 'ids') ids = chosen.ids;
    else if (chosen.kind === 'union') ids = [...new Set(chosen.plans.flatMap((part) => this.candidateIds(part, false)))];
    else if (chosen.range) ids = [...this.rangeIds(chosen, chosen.range)];
    else ids = [...new Set(chosen.prefixes.flatMap((prefix) => this.indexes.idsWithPrefix(chosen.index, prefix)))];
    // One prefix of a regular index already is in that order.
    if (ordered && !isSorted(ids)) ids.sort(compareKeys);
    return ids;
  }

  /**
   * Whether a plan names at most FEW_CANDIDATES documents: an index range's are counted after its
   * bounds are tested on the keys, other plans' entries are counted (a union's clauses may overlap:
   * then it only seems to name more).
   */
  private fewCandidates(chosen: Exclude<Plan, { kind: 'scan' }>): boolean {
    if (chosen.kind === 'ids') return true;
    if (chosen.kind === 'index' && chosen.range) return this.candidateIds(chosen, false).length <= FEW_CANDIDATES;
    let seen = 0;
    for (const _ of this.entries(chosen)) if (++seen > FEW_CANDIDATES) return false;
    return true;
  }

  /**
   * The first `count` matching documents in `sort` order, read in that order from an index's keys
   * (sorted-walk.ts), or null when no index serves the sort or the plan's candidates are few
   * enough to sort in memory. Documents are decoded and re-tested in order; once many were
   * refused, the plan's candidates (ids from keys) skip the ones that cannot match.
   */
  private sortedPrefix(filter: Filter, compiled: CompiledFilter, chosen: Plan, sort: SortSpec, count: number): Doc[] | null {
    const walk = sortWalk(filter, this.indexes.forReads, sort);
    if (!walk) return null;
    // Few candidates: sorting them in memory beats reading the whole sort index.
    if (chosen.kind !== 'scan' && this.fewCandidates(chosen)) return null;
    const ordered = sortedIds(walk);
    if (!ordered) return null;
    const out: Doc[] = [];
    let among: Set<string> | null = null;
    let refused = 0;
    for (const id of ordered) {
      if (among && !among.has(id)) continue;
      const doc = this.docs.get(id);
      if (doc && compiled.test(doc)) {
        if (out.push(doc) >= count) break;
      } else if (++refused === REFUSALS_BEFORE_NARROWING && chosen.kind !== 'scan') {
        among = new Set(this.candidateIds(chosen, false));
      }
    }
    return out;
  }

  /**
   * The documents a leading $match selects (same ones as `matching`), built from the keys its
   * index plan reads (each of a union's, for an `$or`) when the index holds every field the
   * pipeline reads: a key with a component that does not show its value exactly is answered by
   * reading its document. They come in the indexes' order, or all at once in `matching`'s. Null
   * when the pipeline is not covered by the plan's indexes.
   */
  private coveredMatching(pipeline: Pipeline, filter: Filter, compiled: CompiledFilter, planned: Plan): CoveredSource | null {
    const parts = this.coveringParts(pipeline, filter, planned);
    if (!parts) return null;
    // When the keys of a single range plan answer the filter, a key within the range needs no
    // test, and the documents need only the fields the later stages read.
    const only = parts.length === 1 ? parts[0].chosen : null;
    const later = only?.range && answeredByRange(filter, only) ? sourceFields(pipeline.slice(1)) : null;
    const answered = later && coveredShape(only!.index, later);
    const forEach = (visit: (doc: Doc) => void): void => {
      this.env.assertOpen();
      // A document may have several entries in an index, or entries in several parts (clauses of an $or).
      const seen = only && oneEntryEach(only.index) ? null : new Set<string>();
      for (const { chosen, shape } of parts) {
        const { range } = chosen;
        const build = coveredBuilder(answered || shape);
        for (const key of this.indexes.entryKeys(chosen.index, chosen.prefixes, range?.windows) as Iterable<unknown[]>) {
          // One entry per document: its fields on the way to the wanted ones hold no array.
          if (range && range.bounds(key[range.position] as string) !== range.all) continue;
          const id = key[key.length - 1] as string;
          if (!firstEntryOf(seen, id)) continue;
          if (answered && range && !range.within(key[range.position] as string)) {
            // The key cannot tell: the document itself is tested.
            const doc = this.docs.get(id);
            if (doc && compiled.test(doc)) visit(doc);
            continue;
          }
          const doc = this.coveredDocument(build, key, id);
          // The covered document holds every field of the filter: it is tested like the real one.
          if (doc && (answered || compiled.test(doc))) visit(doc);
        }
      }
    };
    const source: CoveredSource = {
      size: () => parts.reduce((sum, { chosen }) => sum + this.indexes.countKeys(chosen.index, chosen.prefixes, chosen.range?.windows), 0),
      order: null,
      forEach: (visit) => {
        source.order ??= 'index';
        forEach(visit);
      },
      ordered: () => {
        source.order = 'scan';
        const out: Doc[] = [];
        forEach((doc) => void out.push(doc));
        // A scan's order: the ids' (string _ids compare as their keys do).
        if (!isSortedById(out)) out.sort(compareIds);
        return out;
      },
    };
    return source;
  }

  /** The index plans whose keys give the pipeline's documents: the plan's own, or each of a union's. */
  private coveringParts(pipeline: Pipeline, filter: Filter, planned: Plan): CoveredPart[] | null {
    if (planned.kind === 'index') {
      const one = this.coveringPlan(pipeline, filter, planned);
      return one && [one];
    }
    if (planned.kind !== 'union') return null;
    const fields = sourceFields(pipeline);
    if (!fields) return null;
    const shapes = new Map<LiveIndex, CoveredShape>();
    for (const index of this.indexes.forReads) {
      const shape = coveredShape(index, fields);
      if (shape) shapes.set(index, shape);
    }
    if (shapes.size === 0) return null;
    // The union again over the indexes that cover the pipeline, taken when each clause reads
    // through an index leading with the fields the planned one narrows on (as many entries).
    const again = plan(filter, [...shapes.keys()]);
    if (again.kind !== 'union' || again.plans.length !== planned.plans.length) return null;
    const parts: CoveredPart[] = [];
    for (const [i, was] of planned.plans.entries()) {
      const chosen = again.plans[i];
      if (was.kind !== 'index' || chosen.kind !== 'index' || !sameNarrowing(was, chosen)) return null;
      parts.push({ chosen, shape: shapes.get(chosen.index)! });
    }
    return parts;
  }

  /**
   * The plan's index and how it covers the pipeline; when it does not, another index leading with
   * the same fields (it reads as many entries) that does, with its plan for the filter.
   */
  private coveringPlan(pipeline: Pipeline, filter: Filter, planned: Plan): CoveredPart | null {
    if (planned.kind !== 'index') return null;
    const fields = sourceFields(pipeline);
    if (!fields) return null;
    const shape = coveredShape(planned.index, fields);
    if (shape) return { chosen: planned, shape };
    for (const index of this.indexes.forReads) {
      if (index === planned.index) continue;
      const shape = coveredShape(index, fields);
      const chosen = shape && plan(filter, [index]);
      if (chosen?.kind === 'index' && sameNarrowing(planned, chosen)) return { chosen, shape: shape! };
    }
    return null;
  }

  /** Every document, for $lookup and friends. */
  allDocuments(): Doc[] {
    this.env.assertOpen();
    const out: Doc[] = [];
    for (const { key, value } of this.docs.getRange()) if (typeof key === 'string') out.push(value);
    return out;
  }

  async find(filter: Filter = {}, options: FindOptions = {}): Promise<T[]> {
    this.env.assertOpen();
    assertSafeFilter(filter);
    const { sort, skip = 0, limit = 0, projection } = options;
    checkSort(sort);
    assertCount(skip, 'skip');
    assertCount(limit, 'limit');
    const project = checkedProjector(projection);
    const compiled = compileFilter(filter);
    const sorted = hasKeys(sort);
    const chosen = this.plan(filter, this.indexes.forReads);
    let docs = sorted && limit > 0 ? this.sortedPrefix(filter, compiled, chosen, sort!, skip + limit) : null;
    if (!docs) {
      // Without a sort, stop reading once skip + limit documents matched (limit 0: no limit, as in MongoDB).
      docs = this.matching(filter, compiled, this.indexes.forReads, !sorted && limit > 0 ? skip + limit : undefined, chosen);
      if (sorted && docs.length > 1) docs = runPipeline(docs, [{ $sort: sort }]);
    }
    if (skip > 0 || limit > 0) docs = docs.slice(skip, limit > 0 ? skip + limit : undefined);
    return (project ? project(docs) : docs) as T[];
  }

  async findOne(filter: Filter = {}, options: Omit<FindOptions, 'limit'> = {}): Promise<T | null> {
    const [doc] = await this.find(filter, { ...options, limit: 1 });
    return doc ?? null;
  }

  async countDocuments(filter: Filter = {}): Promise<number> {
    this.env.assertOpen();
    assertSafeFilter(filter);
    // Every entry of a documents database is a document.
    if (!hasKeys(filter)) return this.docs.getCount();
    const chosen = this.plan(filter, this.indexes.forReads);
    // The keys alone answer an index-exact filter: no document is read.
    if (chosen.kind === 'index' && chosen.exact) return this.candidateIds(chosen).length;
    return this.matching(filter, compileFilter(filter), this.indexes.forReads, undefined, chosen).length;
  }

  async aggregate<R extends Doc = Doc>(pipeline: Pipeline): Promise<R[]> {
    this.env.assertOpen();
    assertSafePipeline(pipeline);
    let source: Doc[] | StreamedSource;
    let covered: CoveredSource | null = null;
    let rest = pipeline;
    const first = pipeline[0];
    if (first && isPlainObject(first.$match)) {
      // A leading $match narrows through the indexes like find, from the index keys alone when they cover the pipeline.
      const compiled = compileFilter(first.$match);
      const chosen = this.plan(first.$match, this.indexes.forReads);
      covered = this.coveredMatching(pipeline, first.$match, compiled, chosen);
      source = covered ?? this.matching(first.$match, compiled, this.indexes.forReads, undefined, chosen);
      rest = pipeline.slice(1);
    } else {
      source = this.allDocuments();
    }
    referencedCollections(pipeline); // checks the collection names
    // Joined collections are loaded whole, once, when a stage needs them; a $lookup on `_id`
    // loads only the documents its input names (see localIds).
    const whole = new Map<string, Doc[]>();
    const all = (name: string): Doc[] => {
      if (!whole.has(name)) whole.set(name, this.lookup(name).allDocuments());
      return whole.get(name)!;
    };
    // Input that may name half the joined collection: its covered documents, all of them, without gathering the ids first.
    const everyCovered = (from: string, fields: Set<string>, asked: number): Doc[] | null => this.lookup(from).coveredById(null, fields, asked);
    const byId = (from: string, docs: Doc[], localField: string, fields?: Set<string> | null): Doc[] => {
      if (whole.has(from)) return all(from);
      const every = fields ? everyCovered(from, fields, docs.length) : null;
      if (every) return every;
      const ids = localIds(docs, localField);
      if (!ids) return all(from);
      return (fields && this.lookup(from).coveredById(ids, fields)) || this.lookup(from).documentsById(ids);
    };
    // The source documents were read or built for this call: the pipeline may write into them.
    const out = runCompiledPipeline(source, forMingo(rest), { all, byId, everyCovered }, true) as R[];
    if (covered?.order === 'index') this.coveredReads.streamed++;
    return out;
  }

  /**
   * The documents with these ids (missing ones left out; every document when `ids` is null)
   * holding at least `fields`, built from the keys of an index that holds those fields (a covered
   * join), when so many are asked for (`asked`, the ids by default) that reading the whole index
   * beats reading each document; a key without an exact value is answered by its document. Null
   * when no such index or too few asked for.
   */
  coveredById(ids: Set<string> | null, fields: Set<string>, asked = ids?.size ?? 0): Doc[] | null {
    this.env.assertOpen();
    if (asked * IDS_PER_INDEX_SCAN < this.docs.getCount()) return null;
    let best: { index: LiveIndex; shape: CoveredShape } | null = null;
    for (const index of this.indexes.forReads) {
      // A sparse index leaves out documents without its fields.
      if (index.definition.sparse || (best && best.index.fields.length <= index.fields.length)) continue;
      const shape = coveredShape(index, fields);
      if (shape) best = { index, shape };
    }
    if (!best) return null;
    const out: Doc[] = [];
    const seen = oneEntryEach(best.index) ? null : new Set<string>();
    const build = coveredBuilder(best.shape);
    for (const key of this.indexes.entryKeys(best.index, [[]]) as Iterable<unknown[]>) {
      const id = key[key.length - 1] as string;
      if ((ids && !ids.has(id)) || !firstEntryOf(seen, id)) continue;
      const doc = this.coveredDocument(build, key, id);
      if (doc) out.push(doc);
    }
    return out;
  }

  /** The document an index key shows: built from the key, or read when the key cannot show a value exactly. */
  private coveredDocument(build: ReturnType<typeof coveredBuilder>, key: readonly unknown[], id: string): Doc | null {
    const built = build(key);
    if (built) {
      this.coveredReads.fromKeys++;
      return built;
    }
    this.coveredReads.fromDocuments++;
    return this.docs.get(id) ?? null;
  }

  /** The documents with these ids (missing ones left out), for a $lookup on `_id`. */
  documentsById(ids: Iterable<string>): Doc[] {
    this.env.assertOpen();
    const out: Doc[] = [];
    for (const id of ids) {
      const doc = this.docs.get(id);
      if (doc) out.push(doc);
    }
    return out;
  }

  // ---- writing ---------------------------------------------------------------------------

  private insertInTransaction(doc: Doc, entries?: PreparedEntries): void {
    if (this.docs.doesExist(doc._id)) throw new DuplicateKeyError(this.name, '_id_', { _id: doc._id });
    this.indexes.update(null, doc, entries);
    this.docs.putSync(doc._id, doc);
  }

  private prepareInsert(doc: T): { doc: Doc; entries: PreparedEntries } {
    const clean = cleanDocument(doc);
    const prepared = clean._id === undefined ? { _id: newId(), ...clean } : clean;
    return { doc: prepared, entries: this.indexes.entriesFor(prepared) };
  }

  async insertOne(doc: T): Promise<InsertOneResult> {
    this.env.assertOpen();
    const prepared = this.prepareInsert(doc);
    await this.env.write(() => this.insertInTransaction(prepared.doc, prepared.entries));
    return { insertedId: prepared.doc._id };
  }

  /** All or nothing: when one document is refused (duplicate key, bad input) none is stored. */
  async insertMany(docs: T[]): Promise<InsertManyResult> {
    this.env.assertOpen();
    if (!Array.isArray(docs)) throw new InvalidQueryError('insertMany takes an array of documents');
    const prepared = docs.map((doc) => this.prepareInsert(doc));
    if (prepared.length > 0) {
      await this.env.write(() => {
        for (const { doc, entries } of prepared) this.insertInTransaction(doc, entries);
      });
    }
    return { insertedIds: prepared.map(({ doc }) => doc._id), insertedCount: prepared.length };
  }

  private modifyInTransaction(filter: Filter, compiled: CompiledFilter, update: Update, how: Modification): ModificationResult {
    let targets = this.matching(filter, compiled, this.indexes.forWrites, how.multi || how.sort ? undefined : 1);
    if (how.sort && targets.length > 1) targets = runPipeline(targets, [{ $sort: how.sort }, { $limit: 1 }]);
    if (!how.multi) targets = targets.slice(0, 1);
    if (targets.length === 0) {
      if (!how.upsert) return { matchedCount: 0, modifiedCount: 0, upsertedId: null, before: null, after: null };
      const doc = upsertDocument(filter, update);
      this.insertInTransaction(doc);
      return { matchedCount: 0, modifiedCount: 0, upsertedId: doc._id, before: null, after: doc };
    }
    let modifiedCount = 0;
    let after: Doc | null = targets[0];
    for (const before of targets) {
      const next = updatedDocument(before, update, filter);
      if (!next) continue;
      this.indexes.update(before, next);
      this.docs.putSync(next._id, next);
      modifiedCount++;
      if (before === targets[0]) after = next;
    }
    return { matchedCount: targets.length, modifiedCount, upsertedId: null, before: targets[0], after };
  }

  /** Checks a modification's input outside the transaction; the returned action runs inside one. */
  private prepareModification(filter: Filter, update: Update, how: Modification): () => ModificationResult {
    this.env.assertOpen();
    assertSafeFilter(filter);
    const clean = cleanUpdate(update);
    checkSort(how.sort);
    const compiled = compileFilter(filter);
    return () => this.modifyInTransaction(filter, compiled, clean, how);
  }

  private async modify(filter: Filter, update: Update, how: Modification): Promise<ModificationResult> {
    return this.env.write(this.prepareModification(filter, update, how));
  }

  /**
   * One write of an atomic batch (the store runs every action of the batch in one
   * transaction): the input is checked now, the returned action writes.
   */
  prepareBatchWrite(write: BatchWrite, index: number): () => BatchWriteResult {
    if ('insertOne' in write) {
      if (!isPlainObject(write.insertOne?.document)) throw new InvalidQueryError(`write ${index}: insertOne needs a document`);
      this.env.assertOpen();
      const { doc, entries } = this.prepareInsert(write.insertOne.document as T);
      return () => {
        this.insertInTransaction(doc, entries);
        return { insertedId: doc._id };
      };
    }
    if ('updateOne' in write && isPlainObject(write.updateOne)) {
      const { filter, update, upsert, mustMatch } = write.updateOne;
      const modify = this.prepareModification(filter, update, { multi: false, upsert: !!upsert });
      return () => {
        const { matchedCount, modifiedCount, upsertedId } = modify();
        if (mustMatch && matchedCount === 0 && upsertedId === null) throw new WriteConflictError(this.name, index);
        return { matchedCount, modifiedCount, upsertedId };
      };
    }
    throw new InvalidQueryError(`write ${index}: expected insertOne or updateOne`);
  }

  async updateOne(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
    const { matchedCount, modifiedCount, upsertedId } = await this.modify(filter, update, { multi: false, upsert: !!options.upsert });
    return { matchedCount, modifiedCount, upsertedId };
  }

  /** All or nothing, like insertMany: a refused document (duplicate key) leaves every document as it was. */
  async updateMany(filter: Filter, update: Update, options: UpdateOptions = {}): Promise<UpdateResult> {
    const { matchedCount, modifiedCount, upsertedId } = await this.modify(filter, update, { multi: true, upsert: !!options.upsert });
    return { matchedCount, modifiedCount, upsertedId };
  }

  async findOneAndUpdate(filter: Filter, update: Update, options: FindOneAndUpdateOptions = {}): Promise<T | null> {
    const project = checkedProjector(options.projection);
    const result = await this.modify(filter, update, { multi: false, upsert: !!options.upsert, sort: options.sort });
    const doc = options.returnDocument === 'after' ? result.after : result.before;
    if (!doc) return null;
    return (project ? project([doc])[0] : doc) as T;
  }

  private async remove(filter: Filter, multi: boolean): Promise<DeleteResult> {
    this.env.assertOpen();
    assertSafeFilter(filter);
    const compiled = compileFilter(filter);
    return this.env.write(() => {
      const targets = this.matching(filter, compiled, this.indexes.forWrites, multi ? undefined : 1);
      for (const doc of targets) {
        this.indexes.update(doc, null);
        this.docs.removeSync(doc._id);
      }
      return { deletedCount: targets.length };
    });
  }

  async deleteOne(filter: Filter): Promise<DeleteResult> {
    return this.remove(filter, false);
  }

  async deleteMany(filter: Filter): Promise<DeleteResult> {
    return this.remove(filter, true);
  }

  /** Idempotent; builds over existing documents (DuplicateKeyError, and no index, when they break `unique`). */
  async createIndex(spec: IndexSpec): Promise<string> {
    this.env.assertOpen();
    const name = indexName(spec);
    const definition: IndexDefinition = {
      name,
      key: { ...spec.key },
      unique: !!spec.unique,
      sparse: !!spec.sparse,
      db: CollectionIndexes.databaseName(this.name, name),
    };
    // Open (create) the sub-database outside the write transaction.
    this.env.openIndex(definition.db);
    try {
      if (await this.env.write(() => this.indexes.buildInTransaction(definition))) this.indexes.publish(name);
    } catch (error) {
      // The build ran but its commit failed: later writes must not take the index as existing.
      this.indexes.discardUnpublished(name);
      throw error;
    }
    return name;
  }

  async dropIndex(name: string): Promise<boolean> {
    this.env.assertOpen();
    droppableIndexName(name);
    if (!this.indexes.find(name)) return false;
    this.indexes.hideFromReads(name);
    try {
      return await this.env.write(() => this.indexes.dropInTransaction(name));
    } catch (error) {
      this.indexes.reload();
      throw error;
    }
  }

  async listIndexes(): Promise<IndexInfo[]> {
    this.env.assertOpen();
    return this.indexes.forWrites.map(({ definition: { name, key, unique, sparse } }) => ({ name, key: { ...key }, unique, sparse }));
  }

  // ---- store-wide ------------------------------------------------------------------------

  /** Empties the collection and forgets its indexes, inside the store's drop transaction. */
  clearInTransaction(): void {
    this.indexes.dropAllInTransaction();
    for (const key of [...this.docs.getKeys()]) this.docs.removeSync(key);
  }
}

/** Whether this is the first entry of the document met (always, without a set: one entry each). */
function firstEntryOf(seen: Set<string> | null, id: string): boolean {
  if (!seen) return true;
  if (seen.has(id)) return false;
  seen.add(id);
  return true;
}
