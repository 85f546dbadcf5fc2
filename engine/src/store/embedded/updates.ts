/** Update documents applied to stored documents, and MongoDB's rules for the document an upsert inserts. */
import { isDeepStrictEqual } from 'node:util';
import { InvalidQueryError } from '../errors.js';
import { cleanDocument, isPlainObject } from '../hygiene.js';
import { newId } from '../ids.js';
import type { Doc, Filter, Update } from '../types.js';
import { applyOperators } from './mingo.js';

/** The operators applied to a matched document (`$setOnInsert` only applies when inserting). */
function withoutSetOnInsert(update: Update): Update {
  const { $setOnInsert: _ignored, ...rest } = update;
  return rest;
}

/**
 * The updated copy of `doc`, or null when the update changes nothing. Refuses an update that
 * would change `_id` or leave a document the store would not accept.
 */
export function updatedDocument(doc: Doc, update: Update, filter: Filter): Doc | null {
  const simple = topLevelUpdate(doc, update);
  if (simple !== undefined) return simple;
  const next = structuredClone(doc);
  if (!applyOperators(next, withoutSetOnInsert(update), filter)) return null;
  if (next._id !== doc._id) throw new InvalidQueryError("an update must not change the immutable field '_id'");
  return cleanDocument(next);
}

const SIMPLE_OPERATORS = new Set(['$set', '$unset', '$inc']);

/**
 * $set, $unset and $inc of top-level fields other than _id (the engine's usual updates), applied
 * without mingo: a shallow copy with the named fields replaced (the update is already cleaned,
 * untouched fields were clean when stored). Null when nothing changes; undefined when the update
 * is of another kind, or would fail, so the general path applies it or says why.
 */
function topLevelUpdate(doc: Doc, update: Update): Doc | null | undefined {
  const fields = new Set<string>();
  for (const operator in update) {
    const operand = update[operator];
    if (!SIMPLE_OPERATORS.has(operator) || !isPlainObject(operand) || Object.keys(operand).length === 0) return undefined;
    for (const field in operand) {
      if (field === '_id' || field === '' || field.includes('.') || field.startsWith('$') || fields.has(field)) return undefined;
      if (operator === '$inc' && (typeof operand[field] !== 'number' || !(doc[field] === undefined || typeof doc[field] === 'number'))) return undefined;
      fields.add(field);
    }
  }
  if (fields.size === 0) return undefined;
  const next: Doc = { ...doc };
  let changed = false;
  for (const [field, value] of Object.entries(update.$set ?? {})) {
    if (Object.hasOwn(doc, field) && isDeepStrictEqual(doc[field], value)) continue;
    next[field] = structuredClone(value);
    changed = true;
  }
  for (const field of Object.keys(update.$unset ?? {})) {
    if (!Object.hasOwn(doc, field)) continue;
    delete next[field];
    changed = true;
  }
  for (const [field, amount] of Object.entries<number>(update.$inc ?? {})) {
    if (Object.hasOwn(doc, field) && amount === 0) continue;
    next[field] = (doc[field] ?? 0) + amount;
    changed = true;
  }
  return changed ? next : null;
}

function setPath(target: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part];
  }
  node[parts[parts.length - 1]] = structuredClone(value);
}

/** The filter's equality conditions (top level and `$and`), which seed an upserted document. */
function seedFromFilter(filter: Filter, seed: Doc): Doc {
  for (const [path, condition] of Object.entries(filter)) {
    if (path === '$and' && Array.isArray(condition)) {
      for (const clause of condition) if (isPlainObject(clause)) seedFromFilter(clause, seed);
      continue;
    }
    if (path.startsWith('$') || condition instanceof RegExp) continue;
    if (isPlainObject(condition) && Object.keys(condition).some((k) => k.startsWith('$'))) {
      if ('$eq' in condition) setPath(seed, path, condition.$eq);
      continue;
    }
    setPath(seed, path, condition);
  }
  return seed;
}

/** The document an upsert inserts: filter equalities, then the update, then `$setOnInsert`. */
export function upsertDocument(filter: Filter, update: Update): Doc {
  const doc = seedFromFilter(filter, {});
  applyOperators(doc, withoutSetOnInsert(update), {});
  if (update.$setOnInsert) applyOperators(doc, { $set: update.$setOnInsert }, {});
  if (doc._id === undefined) return cleanDocument({ _id: newId(), ...doc });
  return cleanDocument(doc);
}
