/**
 * Secondary indexes of one collection: definitions persisted in `meta`, entries in one LMDB
 * sub-database per index. All maintenance happens inside the caller's write transaction, so
 * documents and their index entries commit together.
 *
 * Entry layout (as MongoDB lays out its own): a regular index keys each entry
 * `[component..., _id]` (value `true`); a unique index keys it `[component...]` with the `_id`
 * as value, so checking uniqueness is one lookup rather than a range scan.
 *
 * Two views of the definitions: `forWrites` changes inside the transaction that creates or
 * drops an index (later transactions must maintain it at once), `forReads` only once that
 * transaction is committed (a read must not plan with an index whose entries it cannot see yet).
 */
import { createHash } from 'node:crypto';
import type { RangeOptions } from 'lmdb';
import { DuplicateKeyError, InvalidQueryError } from '../errors.js';
import type { Doc } from '../types.js';
import { KEY_END, type DocsDatabase, type Environment, type IndexDatabase } from './environment.js';
import { entryId, holdsArray, indexEntries, lacksPath, type IndexEntry } from './keys.js';
import type { KeyRange } from './planner.js';

export interface IndexDefinition {
  name: string;
  key: Record<string, 1 | -1>;
  unique: boolean;
  sparse: boolean;
  /** Name of the LMDB sub-database holding the entries. */
  db: string;
  /**
   * Per field: has any document had more than one value there (an array)? Only ever set, never
   * cleared; absent for indexes built before it was kept, which counts as yes. The planner bounds
   * a range on both sides only on a field that never held several values.
   */
  multikey?: boolean[];
  /**
   * Per field: has any document held an array on the field's path (one element, or none, too)?
   * Only ever set; absent (indexes built before it was kept) counts as yes. Keys show the values
   * of a field that never did as they are stored, so a covered aggregation may read them.
   */
  arrays?: boolean[];
  /**
   * Per field: has any document lacked the field's path (a field on the way absent, or not a
   * document)? Only ever set; absent (indexes built before it was kept) counts as yes. Where no
   * document ever did, a null key component is a stored null, so a covered aggregation may read it.
   */
  missing?: boolean[];
}

/** Index entries computed for a set of index definitions. */
export interface PreparedEntries {
  indexes: LiveIndex[];
  entries: IndexEntry[][];
}

export interface LiveIndex {
  definition: IndexDefinition;
  fields: string[];
  fieldParts: string[][];
  db: IndexDatabase;
}

const META_INDEX = 'index';

export function sameIndex(a: Omit<IndexDefinition, 'db'>, b: Omit<IndexDefinition, 'db'>): boolean {
  return a.name === b.name && a.unique === b.unique && a.sparse === b.sparse && JSON.stringify(Object.entries(a.key)) === JSON.stringify(Object.entries(b.key));
}

export class CollectionIndexes {
  forWrites: LiveIndex[] = [];
  forReads: LiveIndex[] = [];

  constructor(
    private readonly collection: string,
    private readonly env: Environment,
    private readonly docs: DocsDatabase,
  ) {
    this.reload();
  }

  /** Reads the committed definitions (at open, and after a failed drop). */
  reload(): void {
    const live: LiveIndex[] = [];
    for (const { value } of this.env.meta.getRange({ start: [META_INDEX, this.collection], end: [META_INDEX, this.collection, KEY_END] })) {
      live.push(this.live(value as IndexDefinition));
    }
    this.forWrites = live;
    this.forReads = [...live];
  }

  private live(definition: IndexDefinition): LiveIndex {
    const fields = Object.keys(definition.key);
    return { definition, fields, fieldParts: fields.map((f) => f.split('.')), db: this.env.openIndex(definition.db) };
  }

  /** Deterministic sub-database name, so a retried or failed build reuses the same one. */
  static databaseName(collection: string, name: string): string {
    return 'i:' + createHash('sha256').update(`${collection}\0${name}`).digest('hex').slice(0, 32);
  }

  find(name: string): LiveIndex | undefined {
    return this.forWrites.find((index) => index.definition.name === name);
  }

  private entries(index: LiveIndex, doc: Doc): IndexEntry[] {
    try {
      return indexEntries(doc, index.fieldParts, index.definition.sparse);
    } catch (error) {
      if (error instanceof RangeError) throw new InvalidQueryError(`cannot index the document in ${index.definition.name}: ${error.message}`);
      throw error;
    }
  }

  /**
   * A document's entries in every index. Computed before a write transaction when possible (it
   * is pure work, and the transaction is the serial part); `update` recomputes them if the
   * indexes changed in between.
   */
  entriesFor(doc: Doc): PreparedEntries {
    const indexes = this.forWrites;
    return { indexes, entries: indexes.map((index) => this.entries(index, doc)) };
  }

  /** Ids of documents with an entry starting with `prefix` (all when the prefix is empty). */
  idsWithPrefix(index: LiveIndex, prefix: string[]): string[] {
    const range = { start: prefix, end: [...prefix, KEY_END] };
    const ids: string[] = [];
    if (!index.definition.unique) {
      for (const key of index.db.getKeys(range)) ids.push(key[key.length - 1] as string);
    } else if (prefix.length === index.fields.length) {
      const id = index.db.get(prefix);
      if (typeof id === 'string') ids.push(id);
    } else {
      for (const { value } of index.db.getRange(range)) if (typeof value === 'string') ids.push(value);
    }
    return ids;
  }

  /** The key ranges under these prefixes (the key windows after each, when given; else all of it). */
  private *ranges(prefixes: string[][], windows?: KeyRange['windows']): Generator<RangeOptions> {
    for (const prefix of prefixes) {
      for (const [from, to] of windows ?? [[[], [KEY_END]]]) yield { start: [...prefix, ...from], end: [...prefix, ...to] };
    }
  }

  /** How many keys entryKeys gives for these prefixes and windows (counted by LMDB, no key decoded). */
  countKeys(index: LiveIndex, prefixes: string[][], windows?: KeyRange['windows']): number {
    let count = 0;
    for (const range of this.ranges(prefixes, windows)) count += index.db.getKeysCount(range);
    return count;
  }

  /** The keys under these prefixes (within the key windows after each, when given), lazily. */
  *entryKeys(index: LiveIndex, prefixes: string[][], windows?: KeyRange['windows']): Generator<unknown> {
    for (const range of this.ranges(prefixes, windows)) yield* index.db.getKeys(range);
  }

  /**
   * Ids of documents with entries under `prefix` that together meet every bound of `range` on
   * the next key field (a regular index only: its keys are `[components..., _id]`).
   */
  idsInRange(index: LiveIndex, prefix: string[], range: KeyRange): string[] {
    const met = new Map<string, number>();
    const windows: [(string | Buffer)[], (string | Buffer)[]][] = range.windows ?? [[[], [KEY_END]]];
    for (const [from, to] of windows) {
      for (const key of index.db.getKeys({ start: [...prefix, ...from], end: [...prefix, ...to] })) {
        const id = key[key.length - 1] as string;
        const mask = range.bounds(key[range.position] as string);
        if (mask !== 0) met.set(id, (met.get(id) ?? 0) | mask);
      }
    }
    return [...met].filter(([, mask]) => mask === range.all).map(([id]) => id);
  }

  private checkUnique(index: LiveIndex, id: string, added: IndexEntry[]): void {
    for (const entry of added) {
      const other = index.db.get(entry.components);
      if (other !== undefined && other !== id) {
        const key = Object.fromEntries(index.fields.map((field, i) => [field, entry.values[i]]));
        throw new DuplicateKeyError(this.collection, index.definition.name, key);
      }
    }
  }

  private putEntry(index: LiveIndex, entry: IndexEntry, id: string): void {
    if (index.definition.unique) index.db.putSync(entry.components, id);
    else index.db.putSync([...entry.components, id], true);
  }

  private removeEntry(index: LiveIndex, entry: IndexEntry, id: string): void {
    if (!index.definition.unique) index.db.removeSync([...entry.components, id]);
    else if (index.db.get(entry.components) === id) index.db.removeSync(entry.components);
  }

  /**
   * Moves a document's index entries from `before` to `after` (either may be null for an
   * insert or a delete), refusing with DuplicateKeyError before writing anything when a unique
   * index would be broken. Must run inside a write transaction.
   */
  update(before: Doc | null, after: Doc | null, prepared?: PreparedEntries): void {
    const id = (after ?? before)!._id as string;
    const indexes = this.forWrites;
    if (indexes.length === 0) return;
    // An update leaves the values it does not touch as they were (the same objects): an index on
    // such fields only keeps its entries.
    const kept = before && after ? indexes.map((index) => index.fieldParts.every(([top]) => before[top] === after[top])) : null;
    const afterEntries = after ? (prepared?.indexes === indexes ? prepared.entries : indexes.map((index, i) => (kept?.[i] ? [] : this.entries(index, after)))) : null;
    const beforeEntries = before ? indexes.map((index, i) => (kept?.[i] ? [] : this.entries(index, before))) : null;
    const changes = indexes.map((index, i) => {
      const old = beforeEntries?.[i] ?? [];
      const next = afterEntries?.[i] ?? [];
      if (old.length === 0 || next.length === 0) return { index, removed: old, added: next };
      const oldIds = new Set(old.map(entryId));
      const nextIds = new Set(next.map(entryId));
      return { index, removed: old.filter((e) => !nextIds.has(entryId(e))), added: next.filter((e) => !oldIds.has(entryId(e))) };
    });
    for (const { index, added } of changes) {
      if (index.definition.unique && added.length > 0) this.checkUnique(index, id, added);
    }
    for (const { index, removed, added } of changes) {
      for (const entry of removed) this.removeEntry(index, entry, id);
      for (const entry of added) this.putEntry(index, entry, id);
    }
    // Kept entries hold the same values as before: their flags are already noted.
    if (afterEntries) indexes.forEach((index, i) => kept?.[i] || this.noteFieldFlags(index, after!, afterEntries[i]));
  }

  /**
   * Marks the fields where these entries (one document's) hold several values, the fields whose
   * path in the document holds an array and those it lacks, recording the change with the write
   * (inside its transaction). A flag set by a write that then fails stays set in memory: that only
   * makes plans more careful.
   */
  private noteFieldFlags(index: LiveIndex, doc: Doc, entries: IndexEntry[]): void {
    const { multikey, arrays, missing } = index.definition;
    let changed = false;
    if (multikey && entries.length > 1) {
      multikey.forEach((flag, field) => {
        if (flag) return;
        const first = entries[0].components[field];
        if (entries.some((entry) => entry.components[field] !== first)) {
          multikey[field] = true;
          changed = true;
        }
      });
    }
    arrays?.forEach((flag, field) => {
      if (flag || !holdsArray(doc, index.fieldParts[field])) return;
      arrays[field] = true;
      changed = true;
    });
    missing?.forEach((flag, field) => {
      if (flag || !lacksPath(doc, index.fieldParts[field])) return;
      missing[field] = true;
      changed = true;
    });
    if (changed) this.env.meta.putSync([META_INDEX, this.collection, index.definition.name], index.definition);
  }

  /**
   * Builds a new index over the existing documents and records its definition; DuplicateKeyError
   * (and nothing kept) when the documents already break a unique index. Runs inside a write
   * transaction; returns false when an identical index already exists.
   */
  buildInTransaction(definition: IndexDefinition): boolean {
    const existing = this.find(definition.name);
    if (existing) {
      if (sameIndex(existing.definition, definition)) return false;
      throw new InvalidQueryError(`an index named ${definition.name} already exists with a different specification`);
    }
    const sameKey = this.forWrites.find((index) => JSON.stringify(Object.entries(index.definition.key)) === JSON.stringify(Object.entries(definition.key)));
    if (sameKey) throw new InvalidQueryError(`an index on the same key already exists as ${sameKey.definition.name}`);
    const unflagged = () => Object.keys(definition.key).map(() => false);
    const index = this.live({ ...definition, multikey: unflagged(), arrays: unflagged(), missing: unflagged() });
    // Entries left by a build that failed before: the definition was never recorded.
    for (const key of [...index.db.getKeys()]) index.db.removeSync(key);
    // Read everything before writing: no cursor stays open across the writes.
    const docs = [...this.docs.getRange()];
    for (const { key, value } of docs) {
      if (typeof key !== 'string') continue;
      const entries = this.entries(index, value);
      if (definition.unique) this.checkUnique(index, key, entries);
      for (const entry of entries) this.putEntry(index, entry, key);
      this.noteFieldFlags(index, value, entries);
    }
    this.env.meta.putSync([META_INDEX, this.collection, definition.name], index.definition);
    this.forWrites = [...this.forWrites, index];
    return true;
  }

  /** Makes a committed index visible to reads. */
  publish(name: string): void {
    const index = this.find(name);
    if (index && !this.forReads.includes(index)) this.forReads = [...this.forReads, index];
  }

  /** Forgets an index whose creating transaction failed to commit. */
  discardUnpublished(name: string): void {
    this.forWrites = this.forWrites.filter((index) => index.definition.name !== name || this.forReads.includes(index));
  }

  /**
   * Takes an index out of planning before it is dropped: reads then go through the documents or
   * other indexes (always right), never through entries the drop is removing. reload() undoes it.
   */
  hideFromReads(name: string): void {
    this.forReads = this.forReads.filter((index) => index.definition.name !== name);
  }

  /** Removes one index (entries and definition) inside a write transaction; false when there is none. */
  dropInTransaction(name: string): boolean {
    const index = this.find(name);
    if (!index) return false;
    this.removeInTransaction(index);
    this.forWrites = this.forWrites.filter((other) => other !== index);
    return true;
  }

  /** Removes every index (entries and definitions) inside a write transaction. */
  dropAllInTransaction(): void {
    for (const index of this.forWrites) this.removeInTransaction(index);
    this.forWrites = [];
  }

  private removeInTransaction(index: LiveIndex): void {
    for (const key of [...index.db.getKeys()]) index.db.removeSync(key);
    this.env.meta.removeSync([META_INDEX, this.collection, index.definition.name]);
  }

  /** After the drop committed. */
  publishDrop(): void {
    this.forReads = [];
  }
}
