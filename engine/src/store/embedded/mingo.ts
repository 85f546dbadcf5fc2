/**
 * The one place the embedded store calls mingo: queries, pipelines and update operators, all
 * with scripts disabled ($where, $function, $accumulator refuse), and mingo's errors (an
 * unknown operator, a malformed expression) turned into InvalidQueryError.
 */
import { Aggregator, ProcessingMode, Query, update } from 'mingo';
import { Context, evalExpr } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import type { Options } from 'mingo/types';
import { InvalidQueryError, StoreError } from '../errors.js';
import type { Doc, Filter, Pipeline } from '../types.js';
import { UNDECIDED, scalarFilter } from './scalar-filter.js';

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
  const mingoTest = (doc: Doc) => refusing('filter', () => query.test(doc));
  // Scalar comparisons are answered without mingo, but for documents they cannot decide.
  const scalar = scalarFilter(filter);
  if (!scalar) return { test: mingoTest };
  return {
    test: (doc) => {
      const verdict = scalar(doc);
      return verdict === UNDECIDED ? mingoTest(doc) : verdict;
    },
  };
}

export function runPipeline(docs: Doc[], pipeline: Pipeline, resolveCollection?: (name: string) => Doc[]): Doc[] {
  // Joined documents come from shared arrays: clone so every result is the caller's own copy.
  return runMingo(docs, pipeline, { resolveCollection, cloneOutput: !!resolveCollection });
}

export interface MingoRun {
  resolveCollection?: (name: string) => Doc[];
  /** The documents share objects with others (mingo's stages may change their input in place). */
  cloneInput?: boolean;
  /** The results may share objects with joined documents. */
  cloneOutput?: boolean;
}

export function runMingo(docs: Doc[], pipeline: Pipeline, { resolveCollection, cloneInput, cloneOutput }: MingoRun): Doc[] {
  if (pipeline.length === 0) return docs;
  const mode = (cloneInput ? ProcessingMode.CLONE_INPUT : 0) | (cloneOutput ? ProcessingMode.CLONE_OUTPUT : 0);
  return refusing('pipeline', () =>
    new Aggregator(pipeline, { ...BASE_OPTIONS, processingMode: mode as ProcessingMode, collectionResolver: resolveCollection }).run(docs),
  );
}

/** Hands back the options mingo evaluates with (see mingoExpression). */
const OPTIONS_PROBE = '$storeComputeOptions';

/** mingo's operators, for evaluating expressions outside an Aggregator (what the 'mingo' entry point registers). */
const CONTEXT = Context.init({
  accumulator: accumulatorOperators,
  expression: expressionOperators,
  pipeline: pipelineOperators,
  projection: projectionOperators,
  query: queryOperators,
  window: windowOperators,
}).addExpressionOps({ [OPTIONS_PROBE]: (_obj: unknown, _expr: unknown, options: Options) => options } as Parameters<Context['addExpressionOps']>[0]);

/** Variables bound by enclosing `$let`s, by name. */
export type Variables = Record<string, unknown>;

type ComputeOptions = Options & { update(locals: { root: unknown; variables: Variables }): unknown };

/**
 * An aggregation expression evaluated by mingo on one document (its $$ROOT and $$CURRENT), with
 * the variables in scope: how compiled expressions run what they do not compile themselves.
 * Plain options would make mingo copy its operator tables on every call; instead each
 * expression keeps one set of mingo's own compute options and sets the document and variables
 * on it before each call, as mingo's stages do for each document.
 */
export function mingoExpression(expr: unknown): (doc: unknown, vars: Variables) => unknown {
  let options: ComputeOptions | null = null;
  return (doc, vars) =>
    refusing('pipeline', () => {
      // A null root would make mingo start over with fresh options: the slow way, same answer.
      if (doc === null || doc === undefined) return evalExpr(doc, expr, { ...BASE_OPTIONS, context: CONTEXT, variables: vars } as Options);
      options ??= evalExpr(null, { [OPTIONS_PROBE]: 1 }, { ...BASE_OPTIONS, context: CONTEXT } as Options) as ComputeOptions;
      options.update({ root: doc, variables: vars });
      return evalExpr(doc, expr, options);
    });
}

export { cloneDeep, compare, isEqual, typeOf } from 'mingo/util';

/**
 * Applies update operators to `doc` in place; `filter` is the filter that matched it (for the
 * positional `$`). Returns whether anything changed.
 */
export function applyOperators(doc: Doc, operators: Doc, filter: Filter): boolean {
  if (Object.keys(operators).length === 0) return false;
  return refusing('update', () => update(doc, operators, undefined, filter, { cloneMode: 'deep', queryOptions: BASE_OPTIONS }).length > 0);
}

/**
 * A projection that only includes, or only excludes, top-level fields (`{ state: 0 }`,
 * `{ _id: 1, status: 1 }`), applied without mingo and with its output: the kept fields in the
 * document's order, `_id` last when included. Null for any other projection.
 */
function topLevelProjection(projection: Doc): ((doc: Doc) => Doc) | null {
  let include: boolean | null = null;
  let keepId = true;
  const fields = new Set<string>();
  for (const key in projection) {
    if (!Object.hasOwn(projection, key)) continue;
    const value = projection[key];
    if (value !== 0 && value !== 1 && value !== true && value !== false) return null;
    if (key.startsWith('$') || key.includes('.') || key === '') return null;
    const on = value === 1 || value === true;
    if (key === '_id') {
      keepId = on;
      continue;
    }
    if (include !== null && include !== on) return null;
    include = on;
    fields.add(key);
  }
  // mingo refuses an explicit `_id: 1` beside exclusions: leave that to it.
  if (include === false && projection._id !== undefined && keepId) return null;
  // `{ _id: 1 }` alone keeps only _id; `{ _id: 0 }` alone drops it.
  if (include ?? keepId) {
    return (doc) => {
      const out: Doc = {};
      for (const key in doc) if (fields.has(key)) out[key] = doc[key];
      if (keepId && doc._id !== undefined) out._id = doc._id;
      return out;
    };
  }
  return (doc) => {
    const out: Doc = {};
    for (const key in doc) if (!fields.has(key) && (keepId || key !== '_id')) out[key] = doc[key];
    return out;
  };
}

/** Applies a projection to documents (checked first, so a bad one is refused even with no documents). */
export function projector(projection: Doc): (docs: Doc[]) => Doc[] {
  const simple = topLevelProjection(projection);
  if (simple) return (docs) => docs.map(simple);
  runPipeline([{ _id: '' }], [{ $project: projection }]); // throws InvalidQueryError when malformed
  return (docs) => runPipeline(docs, [{ $project: projection }]);
}
