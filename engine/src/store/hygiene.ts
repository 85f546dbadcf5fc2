/**
 * Input checks shared by both adapters, so a document, filter or update is accepted or
 * refused the same way whichever store is behind the port.
 */
import { InvalidQueryError } from './errors.js';
import type { Doc, IndexSpec, Pipeline } from './types.js';

/** Keys that would reach an object's prototype when used as a property name or path segment. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Operators that run caller-supplied JavaScript; refused everywhere. */
const SCRIPT_OPERATORS = new Set(['$where', '$function', '$accumulator']);
/** Stages that write from a pipeline; aggregate is read-only through the port. */
const WRITING_STAGES = new Set(['$out', '$merge']);
/** The update operators the port accepts (MongoDB's, as far as both adapters implement them). */
export const UPDATE_OPERATORS = new Set([
  '$set', '$unset', '$inc', '$mul', '$min', '$max', '$rename', '$currentDate',
  '$push', '$pull', '$pullAll', '$addToSet', '$pop', '$bit', '$setOnInsert',
]);

/** MongoDB's own limit on nesting; also keeps recursion here bounded. */
const MAX_DEPTH = 100;
/** The embedded adapter keys documents by _id, and LMDB keys are short. */
export const MAX_ID_LENGTH = 200;
/** Keeps every compound key within LMDB's key size in the embedded store. */
const MAX_INDEX_FIELDS = 16;
const MAX_INDEX_NAME = 120;

/** An index name both adapters keep: a string of 1-MAX_INDEX_NAME characters. */
const isIndexName = (name: unknown): name is string => typeof name === 'string' && name.length > 0 && name.length <= MAX_INDEX_NAME;
const COLLECTION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isPlainObject(value: unknown): value is Record<string, any> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function assertCollectionName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) {
    throw new InvalidQueryError(
      `invalid collection name ${JSON.stringify(name)}: use 1-120 letters, digits, '_', '.', '-'`,
    );
  }
}

/** A dotted path from its parent's and a key; built only for a message or a nested value. */
const joinPath = (parent: string, key: string): string => (parent ? `${parent}.${key}` : key);

/** Whether a key, or a segment of a dotted one, would reach an object's prototype. */
const namesPrototype = (key: string): boolean => PROTOTYPE_KEYS.has(key) || (key.includes('.') && key.split('.').some((s) => PROTOTYPE_KEYS.has(s)));

function assertFieldName(key: string, parent: string): void {
  if (key.startsWith('$')) throw new InvalidQueryError(`field name ${JSON.stringify(joinPath(parent, key))} must not start with '$'`);
  if (PROTOTYPE_KEYS.has(key)) throw new InvalidQueryError(`field name ${JSON.stringify(joinPath(parent, key))} is not allowed`);
  if (key.includes('\0')) throw new InvalidQueryError(`field name ${JSON.stringify(joinPath(parent, key))} contains a NUL character`);
}

/** A valid `_id`: a non-empty, well-formed string of bounded length. */
export function assertId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || LONE_SURROGATE.test(id)) {
    throw new InvalidQueryError(`_id must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
  }
}

/**
 * Returns a deep copy of a value to be stored, refusing what either adapter could not store
 * faithfully. `undefined` becomes null, as the MongoDB driver does by default.
 */
function cleanValue(value: unknown, parent: string, key: string, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new InvalidQueryError(`document nests deeper than ${MAX_DEPTH} levels`);
  if (value === undefined || value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'number':
      return value;
    case 'object':
      break;
    default:
      throw new InvalidQueryError(`unsupported value of type ${typeof value} at ${JSON.stringify(joinPath(parent, key))}`);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidQueryError(`invalid date at ${JSON.stringify(joinPath(parent, key))}`);
    return new Date(value.getTime());
  }
  if (value instanceof Uint8Array) return Buffer.from(value);
  const path = joinPath(parent, key);
  // Array.from visits holes too (they become null).
  if (Array.isArray(value)) return Array.from(value, (item, i) => cleanValue(item, path, String(i), depth + 1));
  if (!isPlainObject(value)) {
    throw new InvalidQueryError(`unsupported value (${value.constructor?.name ?? 'object'}) at ${JSON.stringify(path)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    assertFieldName(name, path);
    out[name] = cleanValue(item, path, name, depth + 1);
  }
  return out;
}

/**
 * A clean deep copy of a document to insert (or of a document after an update), with `_id`
 * first when present. Refuses `$`-prefixed and prototype field names and unsupported values.
 */
export function cleanDocument(doc: unknown): Doc {
  if (!isPlainObject(doc)) throw new InvalidQueryError('a document must be a plain object');
  const copy = cleanValue(doc, '', '', 0) as Doc;
  if ('_id' in copy) {
    assertId(copy._id);
    const { _id, ...rest } = copy;
    return { _id, ...rest };
  }
  return copy;
}

/** Path segments of every key in a filter, projection, sort or pipeline; refuses script operators. */
function checkQueryValue(value: unknown, what: string, depth: number): void {
  if (depth > MAX_DEPTH) throw new InvalidQueryError(`${what} nests deeper than ${MAX_DEPTH} levels`);
  if (typeof value === 'function') throw new InvalidQueryError(`${what} must not contain functions`);
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) checkQueryValue(item, what, depth + 1);
    return;
  }
  if (!isPlainObject(value)) return; // Date, RegExp, Buffer: plain values
  for (const [key, item] of Object.entries(value)) {
    if (SCRIPT_OPERATORS.has(key)) throw new InvalidQueryError(`${key} is not allowed: the store runs no scripts`);
    if (namesPrototype(key)) throw new InvalidQueryError(`${what} must not name ${JSON.stringify(key)}`);
    checkQueryValue(item, what, depth + 1);
  }
}

export function assertSafeFilter(filter: unknown, what = 'filter'): asserts filter is Doc {
  if (!isPlainObject(filter)) throw new InvalidQueryError(`${what} must be a plain object`);
  checkQueryValue(filter, what, 0);
}

export function assertSafePipeline(pipeline: unknown): asserts pipeline is Pipeline {
  if (!Array.isArray(pipeline)) throw new InvalidQueryError('a pipeline must be an array of stages');
  const check = (stages: unknown[]): void => {
    for (const stage of stages) {
      if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
        throw new InvalidQueryError('each pipeline stage must be an object with exactly one operator');
      }
      const [name, body] = Object.entries(stage)[0];
      if (WRITING_STAGES.has(name)) throw new InvalidQueryError(`${name} is not allowed: aggregate is read-only`);
      if (name === '$facet' && isPlainObject(body)) {
        for (const sub of Object.values(body)) if (Array.isArray(sub)) check(sub);
      }
      if ((name === '$lookup' || name === '$unionWith') && isPlainObject(body) && Array.isArray(body.pipeline)) {
        check(body.pipeline);
      }
    }
  };
  check(pipeline);
  checkQueryValue(pipeline, 'pipeline', 0);
}

/**
 * A clean copy of an update document: operators only (no replacement documents, no pipeline
 * updates), and values that would be written into documents pass the document checks.
 */
export function cleanUpdate(update: unknown): Doc {
  if (!isPlainObject(update)) throw new InvalidQueryError('an update must be a plain object of update operators');
  const ops = Object.keys(update);
  if (ops.length === 0) throw new InvalidQueryError('an update must name at least one update operator');
  checkQueryValue(update, 'update', 0);
  const out: Doc = {};
  for (const op of ops) {
    if (!UPDATE_OPERATORS.has(op)) {
      throw new InvalidQueryError(
        op.startsWith('$') ? `unknown update operator ${op}` : 'an update must use update operators ($set, $inc, ...)',
      );
    }
    const fields = update[op];
    if (!isPlainObject(fields)) throw new InvalidQueryError(`${op} takes an object of field paths`);
    const cleaned: Doc = {};
    for (const [path, value] of Object.entries(fields)) {
      if (path === '' || path.split('.').some((s) => s === '')) throw new InvalidQueryError(`invalid field path ${JSON.stringify(path)}`);
      if (path.startsWith('$')) throw new InvalidQueryError(`field path ${JSON.stringify(path)} must not start with '$'`);
      cleaned[path] = cleanOperand(op, value, path);
    }
    out[op] = cleaned;
  }
  return out;
}

/** Values written by $set/$push/... must be storable; query-like operands ($pull) stay as given. */
function cleanOperand(op: string, value: unknown, path: string): unknown {
  switch (op) {
    case '$set':
    case '$setOnInsert':
      return cleanValue(value, '', path, 1);
    case '$push':
    case '$addToSet':
      if (isPlainObject(value) && '$each' in value) {
        const { $each, ...modifiers } = value;
        if (!Array.isArray($each)) throw new InvalidQueryError(`${op}.$each takes an array`);
        return { $each: $each.map((item, i) => cleanValue(item, path, String(i), 2)), ...modifiers };
      }
      return cleanValue(value, '', path, 1);
    case '$rename':
      if (typeof value !== 'string' || value === '' || value.startsWith('$') || value.split('.').some((s) => s === '' || PROTOTYPE_KEYS.has(s))) {
        throw new InvalidQueryError(`$rename target for ${JSON.stringify(path)} must be a field path`);
      }
      return value;
    default:
      return value;
  }
}

/** Checks the name given to dropIndex: a secondary index's (the one on _id cannot be dropped). */
export function droppableIndexName(name: unknown): string {
  if (!isIndexName(name)) throw new InvalidQueryError(`dropIndex takes an index name of 1-${MAX_INDEX_NAME} characters`);
  if (name === '_id_') throw new InvalidQueryError('the index on _id cannot be dropped');
  return name;
}

/** Checks an index specification and returns its name (MongoDB's default naming when unnamed). */
export function indexName(spec: IndexSpec): string {
  if (!isPlainObject(spec) || !isPlainObject(spec.key)) throw new InvalidQueryError('an index needs a key object');
  const fields = Object.entries(spec.key);
  if (fields.length === 0) throw new InvalidQueryError('an index needs at least one field');
  if (fields.length > MAX_INDEX_FIELDS) throw new InvalidQueryError(`an index may have at most ${MAX_INDEX_FIELDS} fields`);
  for (const [path, direction] of fields) {
    if (direction !== 1 && direction !== -1) throw new InvalidQueryError(`index direction for ${path} must be 1 or -1`);
    if (path === '' || path.startsWith('$') || path.split('.').some((s) => s === '' || PROTOTYPE_KEYS.has(s))) {
      throw new InvalidQueryError(`invalid index field ${JSON.stringify(path)}`);
    }
  }
  const name = spec.name ?? fields.map(([path, direction]) => `${path}_${direction}`).join('_');
  if (!isIndexName(name)) throw new InvalidQueryError(`an index name must be a string of 1-${MAX_INDEX_NAME} characters`);
  return name;
}

/** Non-negative integer options (skip, limit). */
export function assertCount(value: unknown, what: string): asserts value is number | undefined {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidQueryError(`${what} must be a non-negative integer`);
  }
}
