/**
 * Chooses how to find the candidates for a filter: by `_id`, through a secondary index whose
 * leading fields the filter pins with equality or `$in`, or by scanning the collection. Plans
 * only narrow: the caller re-tests every candidate against the whole filter.
 */
import { isPlainObject } from '../hygiene.js';
import type { Filter } from '../types.js';
import { EMPTY_ARRAY_KEY, NULL_KEY, canonical, keyComponent } from './keys.js';
import type { LiveIndex } from './indexes.js';

export type Plan =
  | { kind: 'scan' }
  | { kind: 'ids'; ids: string[] }
  | { kind: 'index'; index: LiveIndex; prefixes: string[][] };

/** Above this many key prefixes a compound index is used on fewer leading fields. */
const MAX_PREFIXES = 5000;

/** Values a field must equal (one of) for the condition to hold, or null when not an equality. */
function equalityValues(condition: unknown): unknown[] | null {
  if (condition instanceof RegExp || Array.isArray(condition)) return null;
  if (isPlainObject(condition)) {
    const keys = Object.keys(condition);
    if (keys.length === 0 || !keys.every((k) => k.startsWith('$'))) return null; // embedded-document equality
    if ('$eq' in condition) return scalarList([condition.$eq]);
    if ('$in' in condition && Array.isArray(condition.$in)) return scalarList(condition.$in);
    return null;
  }
  return scalarList([condition]);
}

/** Only scalar values are looked up; arrays, documents and regexes match in ways keys do not mirror. */
function scalarList(values: unknown[]): unknown[] | null {
  for (const value of values) {
    if (value === undefined || value instanceof RegExp || Array.isArray(value)) return null;
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) return null;
  }
  return values;
}

/** Equality constraints of the filter's top level and of its `$and` clauses, by path. */
function equalities(filter: Filter, out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  for (const [path, condition] of Object.entries(filter)) {
    if (path === '$and' && Array.isArray(condition)) {
      for (const clause of condition) if (isPlainObject(clause)) equalities(clause, out);
      continue;
    }
    if (path.startsWith('$')) continue;
    const values = equalityValues(condition);
    if (!values) continue;
    const known = out.get(path);
    if (!known || values.length < known.length) out.set(path, values);
  }
  return out;
}

/** Key components to look up for a field pinned to `values`. */
function components(values: unknown[], fieldCount: number): string[] {
  const texts = new Set<string>();
  for (const value of values) {
    if (value === null) {
      // null matches a missing field, a null, and (to be safe) an empty array
      texts.add(NULL_KEY);
      texts.add(EMPTY_ARRAY_KEY);
    } else {
      texts.add(keyComponent(canonical(value), fieldCount));
    }
  }
  return [...texts];
}

export function plan(filter: Filter, indexes: LiveIndex[]): Plan {
  const pinned = equalities(filter);
  const ids = pinned.get('_id');
  if (ids) return { kind: 'ids', ids: [...new Set(ids.filter((id): id is string => typeof id === 'string'))] };

  let best: { index: LiveIndex; prefixes: string[][]; score: number } | null = null;
  for (const index of indexes) {
    const perField: string[][] = [];
    for (const field of index.fields) {
      const values = pinned.get(field);
      if (!values) break;
      // A sparse index has no entry for documents lacking the field, which null matches.
      if (index.definition.sparse && values.includes(null)) break;
      perField.push(components(values, index.fields.length));
    }
    while (perField.length > 1 && perField.reduce((n, texts) => n * texts.length, 1) > MAX_PREFIXES) perField.pop();
    if (perField.length === 0) continue;
    const complete = perField.length === index.fields.length;
    const score = perField.length * 2 + (complete && index.definition.unique ? 1 : 0);
    if (!best || score > best.score) {
      let prefixes: string[][] = [[]];
      for (const texts of perField) prefixes = prefixes.flatMap((prefix) => texts.map((t) => [...prefix, t]));
      best = { index, prefixes, score };
    }
  }
  return best ? { kind: 'index', index: best.index, prefixes: best.prefixes } : { kind: 'scan' };
}
