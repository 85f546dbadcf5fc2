/**
 * The one place the embedded store calls mingo: queries, pipelines and update operators, all
 * with scripts disabled ($where, $function, $accumulator refuse), and mingo's errors (an
 * unknown operator, a malformed expression) turned into InvalidQueryError.
 */
import { Aggregator, ProcessingMode, Query, update } from 'mingo';
import type { Options } from 'mingo/types';
import { InvalidQueryError, StoreError } from '../errors.js';
import type { Doc, Filter, Pipeline } from '../types.js';

const BASE_OPTIONS: Partial<Options> = { scriptEnabled: false, idKey: '_id', useStrictMode: true, failOnError: true };

/** Runs a mingo call; anything it throws is about the caller's query, not the store. */
function refusing<R>(what: string, run: () => R): R {
  try {
    return run();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new InvalidQueryError(`invalid ${what}: ${(error as Error)?.message ?? String(error)}`);
  }
}

export interface CompiledFilter {
  test(doc: Doc): boolean;
}

type Scalar = string | number | boolean;

/**
 * The field-value pairs of a filter made only of top-level equalities on strings, numbers and
 * booleans (most of the engine's own filters: by _id, version, status), else null. Such a filter
 * is tested without building a mingo query, which copies every operator table each time.
 */
function scalarEqualities(filter: Filter): [string, Scalar][] | null {
  const pairs: [string, Scalar][] = [];
  for (const key in filter) {
    if (!Object.hasOwn(filter, key)) continue;
    const value = filter[key];
    if (key.startsWith('$') || key.includes('.') || key === '') return null;
    const type = typeof value;
    if (type !== 'string' && type !== 'boolean' && !(type === 'number' && !Number.isNaN(value))) return null;
    pairs.push([key, value as Scalar]);
  }
  return pairs;
}

/** MongoDB equality of a stored value with a scalar: the value itself, or any element of an array. */
function equalsScalar(stored: unknown, value: Scalar): boolean {
  return stored === value || (Array.isArray(stored) && stored.includes(value));
}

export function compileFilter(filter: Filter): CompiledFilter {
  const pairs = scalarEqualities(filter);
  if (pairs) return { test: (doc) => pairs.every(([key, value]) => Object.hasOwn(doc, key) && equalsScalar(doc[key], value)) };
  const query = refusing('filter', () => new Query(filter, BASE_OPTIONS));
  return { test: (doc) => refusing('filter', () => query.test(doc)) };
}

export function runPipeline(docs: Doc[], pipeline: Pipeline, resolveCollection?: (name: string) => Doc[]): Doc[] {
  if (pipeline.length === 0) return docs;
  return refusing('pipeline', () =>
    new Aggregator(pipeline, {
      ...BASE_OPTIONS,
      // Joined documents come from shared arrays: clone so every result is the caller's own copy.
      processingMode: resolveCollection ? ProcessingMode.CLONE_OUTPUT : ProcessingMode.CLONE_OFF,
      collectionResolver: resolveCollection,
    }).run(docs),
  );
}

/**
 * Applies update operators to `doc` in place; `filter` is the filter that matched it (for the
 * positional `$`). Returns whether anything changed.
 */
export function applyOperators(doc: Doc, operators: Doc, filter: Filter): boolean {
  if (Object.keys(operators).length === 0) return false;
  return refusing('update', () => update(doc, operators, undefined, filter, { cloneMode: 'deep', queryOptions: BASE_OPTIONS }).length > 0);
}
