/**
 * Runs an aggregation pipeline with compiled stages (compiled-expression.ts for expressions) where
 * it can, and with mingo where it cannot: from a stage it does not compile (an unknown or unusual
 * stage), or whose input it leaves to mingo (NotCompiled), up to the next `$lookup` on `_id`. Each
 * compiled stage answers what mingo's would, in the same order and field order; none changes its
 * input (joined documents are shared between rows).
 */
import type { Doc, Pipeline } from '../types.js';
import { compileExpression, isPlainObject, pathResolver, type Evaluator } from './compiled-expression.js';
import { referencedCollections } from './aggregate.js';
import { filterFields, joinedFields } from './covered-fields.js';
import { cloneDeep, compare, compileFilter, runMingo, typeOf } from './mingo.js';
import { NotCompiled } from './not-compiled.js';
import { EqualityMap, TupleGroups } from './value-key.js';

/** Where the joined documents of a pipeline come from. */
export interface JoinSources {
  /**
   * The documents of `from` that a `$lookup` on `_id` needs for these input documents (or more);
   * when `fields` are given, the rest of the pipeline reads only those fields of them.
   */
  byId(from: string, docs: Doc[], localField: string, fields?: Set<string> | null): Doc[];
  /**
   * Every document of `from`, holding at least `fields`, when an input of `asked` documents may
   * name so many of them that reading them all from an index beats gathering the ids; else null.
   */
  everyCovered(from: string, fields: Set<string>, asked: number): Doc[] | null;
  /** Every document of a collection (for the stages mingo runs). */
  all(name: string): Doc[];
}

/**
 * A pipeline's input one document at a time, in an order of the store's choosing (an index's),
 * or all at once in the order of a scan (by `_id`). `size()` bounds how many documents it gives
 * (asked only by a streamed join).
 */
export interface StreamedSource {
  size(): number;
  forEach(visit: (doc: Doc) => void): void;
  ordered(): Doc[];
}

type Emit = (doc: Doc) => void;
/** A stage's work on one input document: each output document goes to `emit`, in order. */
type Each = (doc: Doc, emit: Emit) => void;
/** The joined documents a `$lookup` on `_id` reads (see JoinSources.byId). */
type JoinRead = (from: string, localField: string, fields: Set<string> | null | undefined) => Doc[];

/** A streamed run cannot go on: its join needs the whole input first. */
class NotStreamed extends Error {}

/**
 * A run of a `$group` over a streamed source: the source document on its way (its `_id`, and
 * how many documents it has given the group so far), and whether the result would show the
 * order the documents came in; then the run is redone in scan order.
 */
class StreamState {
  id = '';
  given = 0;
  orderShows = false;
}

interface CompiledStage {
  run(docs: Doc[], sources: JoinSources, owned: boolean): Doc[];
  /** Whether its output shares objects with its input or with joined documents. */
  shares: boolean;
  joins?: boolean;
  /** Stages that work one document at a time, so documents can flow through several without arrays in between. */
  each?: Each;
  /**
   * A join: its work per document, once it has read the joined documents; with `owned`, the
   * input documents are the pipeline's own, so it may write the joined field into them.
   */
  prepare?(read: JoinRead, owned: boolean): Each;
  /**
   * A `$group`: takes the documents one by one, then gives the groups. Given a stream's state,
   * the groups come in the order a scan would have given them, whatever order the documents came in.
   */
  collect?(stream?: StreamState): { add: Emit; finish(): Doc[] };
  /** A `$group` whose result does not depend on the order of its input (but for the order of the groups). */
  orderFree?: boolean;
  /** Its output documents are new objects nothing else holds (a `$group`'s), so the next stage may write into them. */
  fresh?: boolean;
}

/** The joined documents a stage reads for an input it has whole. */
const readFor = (docs: Doc[], sources: JoinSources): JoinRead => (from, localField, fields) => sources.byId(from, docs, localField, fields);

/** What `each` gives for every document, in order. */
function eachOver(docs: Doc[], each: Each): Doc[] {
  const out: Doc[] = [];
  const emit: Emit = (doc) => void out.push(doc);
  for (const doc of docs) each(doc, emit);
  return out;
}

/** A stage of `each`, with `run` over an array from it. */
function perDocument(shares: boolean, each: Each): CompiledStage {
  return { shares, each, run: (docs) => eachOver(docs, each) };
}

const NO_VARS = Object.freeze({}) as Record<string, unknown>;
const isSimpleField = (name: string) => name !== '' && !name.includes('.') && !name.startsWith('$') && !name.includes('__proto__');
const isNil = (value: unknown) => value === null || value === undefined;

function evaluate(expr: unknown): (doc: Doc) => unknown {
  const compiled: Evaluator = compileExpression(expr);
  return (doc) => compiled(doc, NO_VARS);
}

function matchStage(filter: unknown): CompiledStage | null {
  if (!isPlainObject(filter)) return null;
  const compiled = compileFilter(filter);
  return perDocument(false, (doc, emit) => {
    if (compiled.test(doc)) emit(doc);
  });
}

function addFieldsStage(body: unknown): CompiledStage | null {
  if (!isPlainObject(body) || !Object.keys(body).every(isSimpleField)) return null;
  const fields = Object.entries(body).map(([name, expr]) => [name, evaluate(expr)] as const);
  return perDocument(true, (doc, emit) => {
    const out: Doc = { ...doc };
    for (const [name, value] of fields) {
      const v = value(doc);
      if (v === undefined) delete out[name];
      else out[name] = v;
    }
    emit(out);
  });
}

const PROJECTION_OPERATORS = new Set(['$elemMatch', '$slice']);

/** $project of top-level fields: inclusions (in sorted order, as mingo writes them), computed fields, or exclusions. */
function projectStage(body: unknown): CompiledStage | null {
  if (!isPlainObject(body)) return null;
  const keys = Object.keys(body);
  if (keys.length === 0 || !keys.every(isSimpleField)) return null;
  const exclusions: string[] = [];
  const inclusions: [string, (out: Doc, doc: Doc) => void][] = [];
  let idExcluded = false;
  for (const key of keys) {
    const value = body[key];
    if (value === false || value === 0) {
      if (key === '_id') idExcluded = true;
      else exclusions.push(key);
    } else if (value === true || (typeof value === 'number' && !Number.isNaN(value))) {
      inclusions.push([key, (out, doc) => {
        if (Object.hasOwn(doc, key) && doc[key] !== undefined) out[key] = doc[key];
      }]);
    } else if (Array.isArray(value)) {
      const items = value.map(evaluate);
      inclusions.push([key, (out, doc) => (out[key] = items.map((item) => item(doc) ?? null))]);
    } else {
      if (isPlainObject(value)) {
        const [operator, ...others] = Object.keys(value);
        // A sub-projection, or a projection operator: mingo's.
        if (others.length > 0 || !/^\$[a-zA-Z0-9_]+$/.test(operator ?? '') || PROJECTION_OPERATORS.has(operator)) return null;
      }
      const computed = evaluate(value);
      inclusions.push([key, (out, doc) => (out[key] = computed(doc))]);
    }
  }
  if (exclusions.length > 0 && inclusions.length > 0) return null;
  if (inclusions.length === 0) {
    if (idExcluded) exclusions.push('_id');
    return perDocument(true, (doc, emit) => emit(without(doc, exclusions)));
  }
  inclusions.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return perDocument(true, (doc, emit) => {
    const out: Doc = {};
    for (const [, include] of inclusions) include(out, doc);
    if (!idExcluded && !Object.hasOwn(out, '_id') && Object.hasOwn(doc, '_id')) out._id = doc._id;
    emit(out);
  });
}

function without(doc: Doc, fields: string[]): Doc {
  const out: Doc = { ...doc };
  for (const field of fields) delete out[field];
  return out;
}

function unsetStage(body: unknown): CompiledStage | null {
  const fields = Array.isArray(body) ? body : [body];
  if (fields.length === 0 || !fields.every((f) => typeof f === 'string' && isSimpleField(f))) return null;
  return perDocument(true, (doc, emit) => emit(without(doc, fields as string[])));
}

const isEmpty = (value: unknown) =>
  isNil(value) || value === '' || (Array.isArray(value) && value.length === 0) || (isPlainObject(value) && Object.keys(value).length === 0);

/** A copy of `doc` with the value at `parts` replaced (or removed); every object on the way is copied. */
function withValueAt(doc: Doc, parts: string[], value: unknown, remove: boolean, at = 0): Doc {
  const out: Doc = { ...doc };
  const key = parts[at];
  if (at === parts.length - 1) {
    if (remove) delete out[key];
    else out[key] = value;
  } else {
    out[key] = withValueAt(doc[key] as Doc, parts, value, remove, at + 1);
  }
  return out;
}

function unwindStage(body: unknown): CompiledStage | null {
  const spec = typeof body === 'string' ? { path: body } : body;
  if (!isPlainObject(spec) || typeof spec.path !== 'string' || !spec.path.startsWith('$')) return null;
  const { includeArrayIndex } = spec;
  if (includeArrayIndex !== undefined && (typeof includeArrayIndex !== 'string' || !isSimpleField(includeArrayIndex))) return null;
  const parts = spec.path.slice(1).split('.');
  if (!parts.every(isSimpleField)) return null;
  const preserve = spec.preserveNullAndEmptyArrays === true;
  const indexField = includeArrayIndex || null;
  const format = (doc: Doc, index: number | null) => (indexField ? { ...doc, [indexField]: index } : doc);
  // The value at the path through objects only; mingo's own traversal of arrays is left to it.
  const valueAt = (doc: Doc): unknown => {
    let value: unknown = doc;
    for (let i = 0; i < parts.length; i++) {
      if (i > 0 && Array.isArray(value)) throw new NotCompiled('an array on an $unwind path');
      if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof RegExp) return undefined;
      if (!isPlainObject(value)) throw new NotCompiled('a class instance on an $unwind path');
      value = Object.hasOwn(value, parts[i]) ? value[parts[i]] : undefined;
      if (value === undefined) return undefined;
    }
    return value;
  };
  return perDocument(true, (doc, emit) => {
    const value = valueAt(doc);
    if (Array.isArray(value)) {
      if (value.length === 0 && preserve) emit(format(withValueAt(doc, parts, undefined, true), null));
      else value.forEach((item, i) => emit(format(withValueAt(doc, parts, item, false), i)));
    } else if (!isEmpty(value) || preserve) {
      emit(format(doc, null));
    }
  });
}

/**
 * Sort keys whose equality is exactly "compares as 0" (so grouping by value then ordering the
 * groups, mingo's way, is one stable sort): strings, numbers but NaN, booleans, null, valid dates.
 */
const isPlainSortKey = (value: unknown): boolean =>
  value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && !Number.isNaN(value)) ||
  (value instanceof Date && !Number.isNaN(value.getTime()));

const quickCompare = (a: unknown, b: unknown): number =>
  typeof a === typeof b && (typeof a === 'string' || typeof a === 'number') ? ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0) : compare(a, b);

/**
 * The rank of each plain sort key among the column's distinct values (0 first in `sign` order;
 * keys comparing as 0 share a rank): each distinct value is compared with others once, not each
 * pair of rows.
 */
function ranks(column: unknown[], sign: number): Uint32Array {
  const slots = new Map<unknown, number>();
  const distinct: unknown[] = [];
  const slotOf = new Uint32Array(column.length);
  for (let i = 0; i < column.length; i++) {
    let slot = slots.get(column[i]);
    if (slot === undefined) {
      slot = distinct.push(column[i]) - 1;
      slots.set(column[i], slot);
    }
    slotOf[i] = slot;
  }
  const order = distinct.map((_, slot) => slot).sort((a, b) => quickCompare(distinct[a], distinct[b]) * sign);
  const rankOf = new Uint32Array(distinct.length);
  let rank = 0;
  for (let i = 0; i < order.length; i++) {
    if (i > 0 && quickCompare(distinct[order[i - 1]], distinct[order[i]]) !== 0) rank++;
    rankOf[order[i]] = rank;
  }
  for (let i = 0; i < slotOf.length; i++) slotOf[i] = rankOf[slotOf[i]];
  return slotOf;
}

/** The row positions ordered by their ranks, key by key, ties in input order (a stable sort). */
function rankedOrder(columns: Uint32Array[], length: number): number[] {
  return Array.from({ length }, (_, i) => i).sort((a, b) => {
    for (let k = 0; k < columns.length; k++) {
      const of = columns[k];
      if (of[a] !== of[b]) return of[a] - of[b];
    }
    return 0;
  });
}

/** Each key read as mingo does (undefined as null); one stable sort (by ranks) when every key is plain, else mingo's passes. */
function sortStage(body: unknown): CompiledStage | null {
  if (!isPlainObject(body)) return null;
  const keys = Object.entries(body);
  if (keys.length === 0 || !keys.every(([path, direction]) => path !== '' && !path.includes('__proto__') && (direction === 1 || direction === -1))) return null;
  const fields = keys.map(([path, direction]) => ({ resolve: pathResolver(path), sign: direction === -1 ? -1 : 1 }));
  return {
    shares: false,
    run: (docs) => {
      const columns = fields.map(({ resolve }) => docs.map((doc) => resolve(doc) ?? null));
      if (columns.every((column) => column.every(isPlainSortKey))) {
        const ranked = fields.map(({ sign }, k) => ranks(columns[k], sign));
        return rankedOrder(ranked, docs.length).map((at) => docs[at]);
      }
      // As mingo does: from the last key to the first, group by the key's value, sort the distinct values, emit the groups.
      let order = docs.map((doc, i) => ({ doc, keys: columns.map((column) => column[i]) }));
      for (let k = fields.length - 1; k >= 0; k--) {
        const groups = new EqualityMap<typeof order>();
        for (const row of order) groups.obtain(row.keys[k], () => []).push(row);
        const sorted = groups.entries.slice().sort((a, b) => compare(a.key, b.key));
        if (fields[k].sign === -1) sorted.reverse();
        order = sorted.flatMap((entry) => entry.value);
      }
      return order.map((row) => row.doc);
    },
  };
}

/**
 * A `$group` accumulator. Its state for a group is one slot of the group's array (one array per
 * group rather than objects and closures per accumulator: a report has tens of thousands of
 * groups). `add` folds a document into the slot; in a streamed run it says when its result
 * would depend on the order of the documents.
 */
interface Accumulator {
  initial(): unknown;
  add(state: unknown[], slot: number, doc: Doc, stream: StreamState | undefined): void;
  result(state: unknown[], slot: number): unknown;
}

/** Accumulators whose result is the same in any order of the documents (a streamed $sum checks that it is). */
const ORDER_FREE = new Set(['$sum', '$count']);

const counting = (scale: number): Accumulator => ({
  initial: () => 0,
  add: (state, slot) => void ((state[slot] as number) += 1),
  result: (state, slot) => (state[slot] as number) * scale,
});

/** A $first slot not yet given a document. */
const UNSEEN = Symbol('unseen');

/** Each accumulator's value of `expr` over a group's documents, undefined read as null, as mingo's $push gives them. */
const ACCUMULATORS: Record<string, (expr: unknown) => Accumulator> = {
  $sum: (expr) => {
    if (typeof expr === 'number' && !Number.isNaN(expr)) return counting(expr);
    const value = evaluate(expr);
    return {
      initial: () => 0,
      add: (state, slot, doc, stream) => {
        const v = value(doc);
        if (typeof v !== 'number' || Number.isNaN(v)) return;
        const sum = (state[slot] as number) + v;
        state[slot] = sum;
        // Only a sum of integers that stays exact is the same in every order.
        if (stream && !Number.isSafeInteger(sum)) stream.orderShows = true;
      },
      result: (state, slot) => state[slot],
    };
  },
  $avg: (expr) => collecting(expr, (values) => {
    const numbers = values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v));
    if (numbers.length === 0) return null;
    let sum = 0;
    for (const n of numbers) sum += n;
    return sum / numbers.length;
  }),
  $min: (expr) => collecting(expr, (values) => values.filter((v) => !isNil(v)).sort(compare)[0] ?? null),
  $max: (expr) => collecting(expr, (values) => values.sort(compare)[values.length - 1] ?? null),
  $push: (expr) => collecting(expr, (values) => values),
  $addToSet: (expr) => collecting(expr, (values) => {
    const set = new EqualityMap<true>();
    for (const v of values) set.obtain(v, () => true);
    return set.entries.map((entry) => entry.key);
  }),
  $first: (expr) => {
    const value = evaluate(expr);
    return {
      initial: () => UNSEEN,
      add: (state, slot, doc) => {
        if (state[slot] === UNSEEN) state[slot] = value(doc);
      },
      result: (state, slot) => (state[slot] === UNSEEN ? null : state[slot] ?? null),
    };
  },
  $last: (expr) => {
    const value = evaluate(expr);
    return {
      initial: () => undefined,
      add: (state, slot, doc) => void (state[slot] = doc),
      result: (state, slot) => value(state[slot] as Doc) ?? null,
    };
  },
  $count: () => counting(1),
};

function collecting(expr: unknown, finish: (values: unknown[]) => unknown): Accumulator {
  const value = evaluate(expr);
  return {
    initial: () => [],
    add: (state, slot, doc) => void (state[slot] as unknown[]).push(value(doc) ?? null),
    result: (state, slot) => finish(state[slot] as unknown[]),
  };
}

/**
 * A group `_id` that is an object of plain field names (`{ agency: '$a', type: '$t' }`): the
 * names and a reader of each document's field values, so groups can be found by those values
 * without building and encoding a key object per document.
 */
function tupleKey(id: unknown): { names: string[]; values: (doc: Doc) => unknown[] } | null {
  if (!isPlainObject(id)) return null;
  const names = Object.keys(id);
  if (names.length === 0 || !names.every(isSimpleField)) return null;
  const readers = names.map((name) => evaluate(id[name]));
  // One array for every document: TupleGroups reads it and keeps none of it.
  const values: unknown[] = new Array(readers.length);
  return {
    names,
    values: (doc) => {
      for (let i = 0; i < readers.length; i++) values[i] = readers[i](doc);
      return values;
    },
  };
}

/** The order of two places in a scan: a document's `_id`, then a place among that document's outputs. */
const byPlace = (id: string, given: number, otherId: string, otherGiven: number) => (id < otherId ? -1 : id > otherId ? 1 : given - otherGiven);

function groupStage(body: unknown): CompiledStage | null {
  if (!isPlainObject(body) || !Object.hasOwn(body, '_id')) return null;
  const groupId = evaluate(body._id);
  const fields: [string, Accumulator][] = [];
  let orderFree = true;
  for (const [name, spec] of Object.entries(body)) {
    if (name === '_id') continue;
    if (!isSimpleField(name) || !isPlainObject(spec)) return null;
    const operators = Object.keys(spec);
    const make = operators.length === 1 ? ACCUMULATORS[operators[0]] : undefined;
    if (!make || !Object.hasOwn(ACCUMULATORS, operators[0])) return null;
    fields.push([name, make(spec[operators[0]])]);
    orderFree &&= ORDER_FREE.has(operators[0]);
  }
  const accumulators = fields.map(([, accumulator]) => accumulator);
  const tuple = tupleKey(body._id);
  // As mingo has it, a key of -0 is the group of 0 (inside a key object it stays as first seen).
  const keyValue = (doc: Doc) => {
    const key = groupId(doc) ?? null;
    return Object.is(key, -0) ? 0 : key;
  };
  /** A group's state: a slot per accumulator; in a streamed run, then where its first document came in a scan (its `_id`, its place among that document's outputs). */
  type State = unknown[];
  const ID = accumulators.length;
  const GIVEN = ID + 1;
  const collect = (stream?: StreamState) => {
    const groups = new EqualityMap<State>();
    const create = (): State => {
      const state = accumulators.map((accumulator) => accumulator.initial());
      if (stream) state.push(stream.id, stream.given);
      return state;
    };
    const byTuple = tuple && new TupleGroups<State>(tuple.names, groups.entries);
    const fold = (state: State, doc: Doc) => {
      for (let i = 0; i < accumulators.length; i++) accumulators[i].add(state, i, doc, stream);
    };
    const finish = () =>
      groups.entries.map(({ key, value }) => {
        const out: Doc = { _id: key };
        fields.forEach(([name, accumulator], i) => (out[name] = accumulator.result(value, i)));
        return out;
      });
    if (!stream) {
      return {
        add: (doc: Doc) => fold((byTuple && byTuple.obtain(tuple.values(doc), create)) || groups.obtain(keyValue(doc), create), doc),
        finish,
      };
    }
    // Streamed: each group keeps where its first document came in a scan, and the groups are
    // put in that order at the end, as a scan's run would have created them.
    return {
      add: (doc: Doc) => {
        // The first document of a group decides its key where equal keys differ: a -0 in a key
        // object (0 equals it), or any object key but a tuple's (fields in another order).
        const values = tuple?.values(doc);
        if (values) for (const value of values) if (value === 0 && Object.is(value, -0)) stream.orderShows = true;
        const created = groups.entries.length;
        const ofValues = values && byTuple!.obtain(values, create);
        const state = ofValues || groups.obtain(keyValue(doc), create);
        if (groups.entries.length > created) {
          const { key } = groups.entries[created];
          if (!ofValues && key !== null && typeof key === 'object') stream.orderShows = true;
        } else if (byPlace(stream.id, stream.given, state[ID] as string, state[GIVEN] as number) < 0) {
          state[ID] = stream.id;
          state[GIVEN] = stream.given;
        }
        stream.given++;
        fold(state, doc);
      },
      finish: () => {
        const states = groups.entries.map((entry) => entry.value);
        const order = states.map((_, i) => i).sort((a, b) => byPlace(states[a][ID] as string, states[a][GIVEN] as number, states[b][ID] as string, states[b][GIVEN] as number));
        const out = finish();
        return order.map((i) => out[i]);
      },
    };
  };
  return {
    shares: true,
    orderFree,
    fresh: true,
    collect,
    run: (docs) => {
      const groups = collect();
      for (const doc of docs) groups.add(doc);
      return groups.finish();
    },
  };
}

function replaceRootStage(body: unknown): CompiledStage | null {
  if (!isPlainObject(body) || !Object.hasOwn(body, 'newRoot')) return null;
  const newRoot = evaluate(body.newRoot);
  return {
    shares: true,
    run: (docs) =>
      docs.map((doc) => {
        const root = newRoot(doc);
        // mingo's error for anything else.
        if (typeOf(root) !== 'object') throw new NotCompiled('a $replaceRoot that is not an object');
        return root as Doc;
      }),
  };
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);

/** A `$lookup` of the form `{ from, localField, foreignField: '_id', as }`, or null. */
export function joinById(body: unknown): { from: string; localField: string; as: string } | null {
  if (!isPlainObject(body) || body.foreignField !== '_id' || typeof body.from !== 'string' || typeof body.localField !== 'string' || typeof body.as !== 'string') return null;
  if (body.pipeline !== undefined || body.let !== undefined) return null;
  return { from: body.from, localField: body.localField, as: body.as };
}

/**
 * A `$lookup` on `_id` from a map of the joined documents by id; with an array local field,
 * the joined documents in the order of its ids, each once. As mingo does, an id of such an
 * array that joins nothing puts one undefined in the list.
 */
function lookupStage(body: unknown, unwind?: { preserve: boolean; fields: Set<string> | null }): CompiledStage | null {
  const join = joinById(body);
  if (!join || join.localField.includes('__proto__')) return null;
  const local = pathResolver(join.localField);
  const { as } = join;
  // Writing the joined field into an input document must not change what the join reads of it.
  const readsJoined = join.localField === as || join.localField.startsWith(`${as}.`);
  const prepare = (read: JoinRead, owned: boolean): Each => {
    const byId = new Map<string, Doc>();
    for (const joined of read(join.from, join.localField, unwind?.fields)) {
      if (typeof joined._id !== 'string') throw new NotCompiled('a joined document without a string _id');
      byId.set(joined._id, joined);
    }
    const joinedTo = (doc: Doc): unknown[] => {
      const value = local(doc) ?? null;
      if (Array.isArray(value)) return [...new Set(value.map((id) => (typeof id === 'string' ? byId.get(id) : undefined)))];
      const one = typeof value === 'string' ? byId.get(value) : undefined;
      return one ? [one] : [];
    };
    if (!unwind) {
      // The list takes the field a copy with it would (same field order): in place when the input is the pipeline's own.
      if (owned && !readsJoined) return (doc, emit) => {
        doc[as] = joinedTo(doc);
        emit(doc);
      };
      return (doc, emit) => emit({ ...doc, [as]: joinedTo(doc) });
    }
    // The $unwind of the joined list that follows, without building the list first. A document
    // of the pipeline's own joined to one document takes the field itself (what a copy with it
    // would be, same field order), as nothing else holds it.
    const inPlace = owned && !readsJoined;
    return (doc, emit) => {
      const value = local(doc) ?? null;
      if (!Array.isArray(value)) {
        // One id (or none): no list of what it joined.
        const one = typeof value === 'string' ? byId.get(value) : undefined;
        if (one && inPlace) {
          doc[as] = one;
          emit(doc);
        } else if (one) emit({ ...doc, [as]: one });
        else if (unwind.preserve) emit(without(doc, [as]));
        return;
      }
      const found = joinedTo(doc);
      if (found.length === 1 && inPlace) {
        doc[as] = found[0];
        emit(doc);
      } else if (found.length > 0) for (const item of found) emit({ ...doc, [as]: item });
      else if (unwind.preserve) emit(without(doc, [as]));
    };
  };
  return {
    shares: true,
    joins: true,
    prepare,
    run: (docs, sources, owned) => eachOver(docs, prepare(readFor(docs, sources), owned)),
  };
}

/** The `$lookup` on `_id` and the `$unwind` of what it joined (no array index) at `i`, or null. */
function joinAndUnwind(pipeline: Pipeline, i: number): { join: NonNullable<ReturnType<typeof joinById>>; preserve: boolean } | null {
  const [lookup, next] = [pipeline[i], pipeline[i + 1]];
  if (!isPlainObject(lookup) || !isPlainObject(next) || Object.keys(lookup).length !== 1 || Object.keys(next).length !== 1) return null;
  const join = joinById(lookup.$lookup);
  const spec = typeof next.$unwind === 'string' ? { path: next.$unwind } : next.$unwind;
  if (!join || !isSimpleField(join.as) || join.localField.includes('__proto__') || !isPlainObject(spec) || spec.path !== `$${join.as}`) return null;
  if (!Object.keys(spec).every((key) => key === 'path' || key === 'preserveNullAndEmptyArrays')) return null;
  return { join, preserve: spec.preserveNullAndEmptyArrays === true };
}

/**
 * A join with its `$unwind` (keeping no document without a joined one) and a `$match` on the
 * joined fields only, when no later stage reads the joined field: the documents joined to one
 * that meets the match (once per such joined document, as the $unwind gives them), without the
 * joined field, as one stage. Each joined document is tested once, however many documents name it.
 */
function semiJoin(pipeline: Pipeline, i: number): { stage: CompiledStage; next: number } | null {
  const found = joinAndUnwind(pipeline, i);
  if (!found || found.preserve) return null;
  const { from, localField, as } = found.join;
  const candidate = pipeline[i + 2];
  const filter = isPlainObject(candidate) && Object.keys(candidate).length === 1 && isPlainObject(candidate.$match) ? candidate.$match : null;
  const read = filter && filterFields(filter);
  const onJoined = read !== null && [...read].every((path) => path === as || path.startsWith(`${as}.`));
  const next = onJoined ? i + 3 : i + 2;
  // Nothing after reads the joined field (and the pipeline ends in a stage that replaces the documents).
  if (joinedFields(pipeline.slice(next), as)?.size !== 0) return null;
  const fields = joinedFields(pipeline.slice(i + 2), as);
  const test = onJoined ? compileFilter(filter!) : null;
  const meets = (joined: Doc | undefined) => !test || test.test({ [as]: joined });
  const local = pathResolver(localField);
  const prepare = (readJoined: JoinRead): Each => {
    const passes = new Map<string, boolean>();
    for (const joined of readJoined(from, localField, fields)) {
      if (typeof joined._id !== 'string') throw new NotCompiled('a joined document without a string _id');
      passes.set(joined._id, meets(joined));
    }
    // An id among several that joins nothing gives one document without a joined one (see lookupStage).
    const missingMeets = meets(undefined);
    return (doc, emit) => {
      const value = local(doc) ?? null;
      if (typeof value === 'string') {
        if (passes.get(value) === true) emit(doc);
      } else if (Array.isArray(value)) {
        const joined = new Set(value.map((id) => (typeof id === 'string' && passes.has(id) ? id : undefined)));
        for (const id of joined) if (id === undefined ? missingMeets : passes.get(id)) emit({ ...doc });
      }
    };
  };
  const stage: CompiledStage = {
    shares: true,
    prepare,
    run: (docs, sources) => eachOver(docs, prepare(readFor(docs, sources))),
  };
  return { stage, next };
}

/**
 * `{ $lookup on _id, as: f }, { $unwind: '$f' }` (no array index): one compiled stage, or null.
 * `rest` (the stages after them) tells which fields of the joined documents are read.
 */
function lookupAndUnwind(pipeline: Pipeline, i: number): CompiledStage | null {
  const found = joinAndUnwind(pipeline, i);
  return found && lookupStage((pipeline[i] as Doc).$lookup, { preserve: found.preserve, fields: joinedFields(pipeline.slice(i + 2), found.join.as) });
}

const STAGES: Record<string, (body: unknown) => CompiledStage | null> = {
  $match: matchStage,
  $addFields: addFieldsStage,
  $set: addFieldsStage,
  $project: projectStage,
  $unset: unsetStage,
  $unwind: unwindStage,
  $sort: sortStage,
  $group: groupStage,
  $replaceRoot: replaceRootStage,
  $lookup: (body) => lookupStage(body),
  $skip: (n) => (isCount(n) && n >= 0 ? { shares: false, run: (docs) => docs.slice(n) } : null),
  $limit: (n) => (isCount(n) && n > 0 ? { shares: false, run: (docs) => docs.slice(0, n) } : null),
};

function compileStage(stage: unknown): CompiledStage | null {
  if (!isPlainObject(stage)) return null;
  const names = Object.keys(stage);
  if (names.length !== 1 || !Object.hasOwn(STAGES, names[0])) return null;
  return STAGES[names[0]](stage[names[0]]);
}

interface Chain {
  /** The position after its last stage. */
  end: number;
  shares: boolean;
  joins: boolean;
  /** It ends in a `$group` (see CompiledStage.fresh). */
  fresh: boolean;
  run(docs: Doc[], sources: JoinSources, owned: boolean): Doc[];
  /**
   * A chain into a `$group` whose result does not depend on the order of its input: the same
   * run over a streamed source, or null when the run showed the order (or its join needed the
   * whole input first) and must be redone in scan order.
   */
  stream?(source: StreamedSource, sources: JoinSources, owned: boolean): Doc[] | null;
}

/**
 * `head` and the stages from `next` on that work one document at a time, and a `$group` after
 * them: each document flows through all of them (into the group) without an array per stage.
 * Null when fewer than two stages would be chained.
 */
function streamChain(pipeline: Pipeline, head: CompiledStage, next: number): Chain | null {
  if (!head.each && !head.prepare) return null;
  const stages = [head];
  let end = next;
  let sink: CompiledStage | null = null;
  while (end < pipeline.length) {
    const stage = compileStage(pipeline[end]);
    if (stage?.each) stages.push(stage);
    else if (stage?.collect) sink = stage;
    if (!stage?.each && !sink) break;
    end++;
    if (sink) break;
  }
  const all = sink ? [...stages, sink] : stages;
  if (all.length < 2) return null;
  /** Each document through every stage into `last`. */
  const wire = (read: JoinRead, owned: boolean, last: Emit): Emit => {
    let emit = last;
    for (let k = stages.length - 1; k >= 1; k--) {
      const each = stages[k].each!;
      const then = emit;
      emit = (doc) => each(doc, then);
    }
    const first = head.prepare ? head.prepare(read, owned) : head.each!;
    const next = emit;
    return (doc) => first(doc, next);
  };
  const group = sink?.orderFree ? sink : null;
  return {
    end,
    shares: all.some((stage) => stage.shares),
    joins: all.some((stage) => stage.joins === true),
    fresh: sink !== null,
    run: (docs, sources, owned) => {
      const out: Doc[] = [];
      const groups = sink?.collect?.();
      const take = wire(readFor(docs, sources), owned, groups ? groups.add : (doc) => void out.push(doc));
      for (const doc of docs) take(doc);
      return groups ? groups.finish() : out;
    },
    stream: group ? (source, sources, owned) => {
      // Without the whole input there are no ids to gather: a join reads every joined document or none.
      const read: JoinRead = (from, _localField, fields) => {
        const every = fields ? sources.everyCovered(from, fields, source.size()) : null;
        if (!every) throw new NotStreamed();
        return every;
      };
      try {
        return streamedGroups(group, source, (add) => wire(read, owned, add));
      } catch (error) {
        if (error instanceof NotStreamed) return null;
        throw error;
      }
    } : undefined,
  };
}

/** A `$group` as the first stage: a chain of one, streamed when its result does not depend on the order of its input. */
function soleGroup(group: CompiledStage, end: number): Chain {
  return {
    end,
    shares: group.shares,
    joins: false,
    fresh: true,
    run: group.run,
    stream: group.orderFree ? (source) => streamedGroups(group, source, (add) => add) : undefined,
  };
}

/**
 * The groups of an order-free `$group` over a streamed source, each document on the way `wire`
 * gives it into the group; null when the result would show the order the documents came in.
 */
function streamedGroups(group: CompiledStage, source: StreamedSource, wire: (add: Emit) => Emit): Doc[] | null {
  const state = new StreamState();
  const groups = group.collect!(state);
  const take = wire(groups.add);
  source.forEach((doc) => {
    state.id = doc._id as string;
    state.given = 0;
    take(doc);
  });
  const result = groups.finish();
  return state.orderShows ? null : result;
}

const isJoinById = (stage: unknown) => isPlainObject(stage) && Object.keys(stage).length === 1 && joinById(stage.$lookup) !== null;

/** The first stage (a `$lookup` on `_id` with its `$unwind` as one) and where the stages after it start. */
function stageAt(pipeline: Pipeline, i: number): { stage: CompiledStage | null; next: number } {
  const semi = semiJoin(pipeline, i);
  if (semi) return semi;
  const fused = lookupAndUnwind(pipeline, i);
  return fused ? { stage: fused, next: i + 2 } : { stage: compileStage(pipeline[i]), next: i + 1 };
}

/**
 * The groups of a leading chain of stages into a `$group` whose result does not depend on the
 * order of its input, run over the source as it streams: no array of the source documents, no
 * sort of them into scan order. Null when the pipeline does not start so, or the run could not
 * keep to that (then the caller runs it over the source in scan order).
 */
function streamedStart(source: StreamedSource, pipeline: Pipeline, sources: JoinSources, owned: boolean): { docs: Doc[]; chain: Chain } | null {
  const { stage, next } = stageAt(pipeline, 0);
  const chain = stage?.collect ? soleGroup(stage, next) : stage && streamChain(pipeline, stage, next);
  if (!chain?.stream) return null;
  try {
    const docs = chain.stream(source, sources, owned);
    return docs && { docs, chain };
  } catch (error) {
    if (error instanceof NotCompiled) return null;
    throw error;
  }
}

/**
 * Runs `pipeline` over `input`: compiled stages in turn; from a stage that is not compiled (or
 * leaves its input to mingo) up to the next `$lookup` on `_id`, mingo. The result is the
 * caller's own: when it may share objects with joined documents it is deep-copied at the end.
 * `ownsInput`: the documents were built or read for this call alone, so a leading join may write
 * into them rather than copy each (as a join right after a `$group` may into the groups). A
 * streamed input runs streamed when the pipeline allows it, else in scan order.
 */
export function runCompiledPipeline(input: Doc[] | StreamedSource, pipeline: Pipeline, sources: JoinSources, ownsInput = false): Doc[] {
  let current: Doc[];
  let shared = false;
  let joined = false;
  let i = 0;
  /** Whether the documents in `current` are this call's own. */
  let owned = ownsInput;
  const streamed = Array.isArray(input) ? null : streamedStart(input, pipeline, sources, ownsInput);
  if (streamed) {
    current = streamed.docs;
    shared = streamed.chain.shares;
    joined = streamed.chain.joins;
    owned = streamed.chain.fresh;
    i = streamed.chain.end;
  } else {
    current = Array.isArray(input) ? input : input.ordered();
  }
  // Where a chain of stages met an input it leaves to mingo: from there they run one by one.
  let unchained = -1;
  while (i < pipeline.length) {
    const { stage, next } = stageAt(pipeline, i);
    const chain = stage && i !== unchained ? streamChain(pipeline, stage, next) : null;
    if (chain) {
      try {
        current = chain.run(current, sources, owned);
        shared ||= chain.shares;
        joined ||= chain.joins;
        owned = chain.fresh;
        i = chain.end;
      } catch (error) {
        if (!(error instanceof NotCompiled)) throw error;
        unchained = i;
      }
      continue;
    }
    if (stage) {
      try {
        current = stage.run(current, sources, owned);
        shared ||= stage.shares;
        joined ||= stage.joins === true;
        owned = stage.fresh === true;
        i = next;
        continue;
      } catch (error) {
        if (!(error instanceof NotCompiled)) throw error;
      }
    }
    let end = i + 1;
    while (end < pipeline.length && !isJoinById(pipeline[end])) end++;
    const segment = pipeline.slice(i, end);
    const joins = referencedCollections(segment).size > 0;
    const last = end === pipeline.length;
    current = runMingo(current, segment, {
      resolveCollection: joins ? (name) => sources.all(name) : undefined,
      cloneInput: shared,
      cloneOutput: last && (joins || joined),
    });
    if (last) return current;
    // mingo's output may share objects with its input, or with what it joined.
    shared = true;
    joined ||= joins;
    owned = false;
    i = end;
  }
  return joined ? current.map(callersCopy) : current;
}

/**
 * A copy of a result document that shares nothing with joined documents or with the other
 * results: a document of primitive values only (a report's row, say) needs no deep copy.
 */
function callersCopy(doc: Doc): Doc {
  for (const key in doc) {
    const value = doc[key];
    if (value !== null && typeof value === 'object') return cloneDeep(doc) as Doc;
  }
  return { ...doc };
}
