/**
 * Chooses how to find the candidates for a filter: by `_id`, through a secondary index whose
 * leading fields the filter pins with equality or `$in` (also inside an `$elemMatch`, on a
 * multikey index; and, on a regular index, whose next field it bounds with
 * `$gt`/`$gte`/`$lt`/`$lte`), through the union of such plans for an `$or` whose every clause has
 * one, or by scanning the collection. Plans only narrow: the caller re-tests every candidate
 * against the whole filter.
 */
import { isPlainObject } from '../hygiene.js';
import type { Filter } from '../types.js';
import { KEY_END } from './environment.js';
import { EMPTY_ARRAY_KEY, NULL_KEY, canonical, keyComponent } from './keys.js';
import type { LiveIndex } from './indexes.js';

export type Plan =
  | { kind: 'scan' }
  | { kind: 'ids'; ids: string[] }
  | { kind: 'index'; index: LiveIndex; prefixes: string[][]; range?: KeyRange; exact?: boolean }
  /** The candidates of several plans together (an `$or`, one plan per clause): never exact. */
  | { kind: 'union'; plans: Extract<Plan, { kind: 'ids' | 'index' }>[] };

/**
 * Bounds on the index field after the prefix (at `position` of each key). A document is a
 * candidate when every bound is met by one of its entries; `bounds(component)` says which
 * bounds (bit i for bound i) a key component meets. A component of another type than a bound,
 * or one the key does not show exactly (a long value kept as a hash), meets that bound: only
 * values known to fall outside are left out, whatever mingo's type ordering would say.
 */
export interface KeyRange {
  position: number;
  /** A regex among the bounds: tested on the keys' strings, it narrows like an equality. */
  keyTested?: boolean;
  all: number;
  bounds(component: string): number;
  /**
   * Key windows after the prefix that hold every component meeting the bounds, when the key
   * order can tell (string bounds of printable ASCII); else the whole prefix is read.
   */
  windows?: [from: (string | Buffer)[], to: (string | Buffer)[]][];
  /**
   * Whether a component shows a value that meets every bound for certain: of the bounds' type
   * (no regex among them), shown exactly, within each. (The one-sided bounds a window leaves
   * to mingo count too.)
   */
  within(component: string): boolean;
}

type BoundOperator = '$gt' | '$gte' | '$lt' | '$lte';
const BOUND_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * For string bounds of printable ASCII, the key windows holding every string that meets one
 * side of the range (canonical `s` texts sort as their UTF-8 bytes, which for such a bound agrees
 * with JavaScript's order of any string against it), plus the strings a key shows only in part
 * (`S`, `T`). Values of other types never meet a string bound (MongoDB's and mingo's type
 * bracketing). Both sides on a field that never held several values; otherwise one side, since in
 * an array one element may meet the lower bound and another the upper (a window on both would
 * miss the document): the lower one when there is one (reports mostly ask for recent periods).
 */
function stringWindow(bounds: Bound[], multikey: boolean): { windows: NonNullable<KeyRange['windows']>; side: Bound[] } | null {
  if (!bounds.every((b) => b.family === 'string' && !b.regex && PRINTABLE_ASCII.test(b.value as string))) return null;
  const lower = bounds.filter((b) => b.op === '$gt' || b.op === '$gte').map((b) => b.value as string).sort();
  const upper = bounds.filter((b) => b.op === '$lt' || b.op === '$lte').map((b) => b.value as string).sort();
  const from = lower.length > 0 ? [`s${lower[lower.length - 1]}`] : ['s'];
  const to = upper.length > 0 ? [`s${upper[0]}`, KEY_END] : ['t'];
  const partial: [(string | Buffer)[], (string | Buffer)[]] = [['S'], ['U']];
  // A field that never held several values: each document has one key, within both bounds.
  if (!multikey) return { windows: [[from, to], partial], side: bounds };
  if (lower.length > 0) return { windows: [[from, ['t']], partial], side: bounds.filter((b) => b.op === '$gt' || b.op === '$gte') };
  return { windows: [[['s'], to], partial], side: bounds };
}

/**
 * Which bounds (bit i for bound i) a key component meets, reading its comparable value by type
 * family: one the key cannot tell (another type, NaN) meets every bound. Allocates no object per
 * key, as it runs for each key of a range.
 */
function boundsMet(bounds: Bound[], all: number, component: string): number {
  const tag = component[0];
  let family: string;
  let value: string | number;
  if (tag === 's') {
    family = 'string';
    value = component.slice(1);
  } else if (tag === 'S') {
    family = 'string';
    value = JSON.parse(component.slice(1)) as string;
  } else if (tag === 'n' || tag === 'd') {
    value = Number(component.slice(1));
    if (Number.isNaN(value)) return all;
    family = tag === 'n' ? 'number' : 'date';
  } else {
    return all;
  }
  let mask = 0;
  for (let i = 0; i < bounds.length; i++) {
    const bound = bounds[i];
    if (bound.family !== family || meets(bound, value)) mask |= 1 << i;
  }
  return mask;
}

function boundValue(value: unknown): { family: string; value: string | number } | null {
  if (typeof value === 'string') return { family: 'string', value };
  if (typeof value === 'number' && !Number.isNaN(value)) return { family: 'number', value };
  if (value instanceof Date && !Number.isNaN(value.getTime())) return { family: 'date', value: value.getTime() };
  return null;
}

function meets(bound: Bound, value: string | number): boolean {
  if (bound.regex) return typeof value === 'string' && bound.regex.test(value);
  return compares(bound.op as BoundOperator, value, bound.value);
}

function compares(op: BoundOperator, value: string | number, bound: string | number): boolean {
  switch (op) {
    case '$gt': return value > bound;
    case '$gte': return value >= bound;
    case '$lt': return value < bound;
    default: return value <= bound;
  }
}

interface Bound {
  op: BoundOperator | '$regex';
  family: string;
  value: string | number;
  /** For `$regex`: the pattern the key's string must match. */
  regex?: RegExp;
}

/**
 * A regex condition (`/p/f` or `{ $regex, $options }`) as a bound tested on the keys' strings,
 * or null when its flags are not plain (`g`/`y` make `test` stateful; other options are mingo's to read).
 */
function regexBound(condition: unknown): Bound | null {
  let regex: RegExp;
  try {
    if (condition instanceof RegExp) regex = condition;
    else if (isPlainObject(condition) && Object.keys(condition).every((k) => k === '$regex' || k === '$options')) {
      const { $regex: source, $options: options = '' } = condition;
      if (typeof source !== 'string' || typeof options !== 'string' || !/^[ims]*$/.test(options)) return null;
      regex = new RegExp(source, options);
    } else return null;
  } catch {
    return null;
  }
  if (regex.global || regex.sticky) return null;
  return { op: '$regex', family: 'string', value: regex.source, regex };
}

/** The range a condition of only $gt/$gte/$lt/$lte on scalar values sets, or null. */
function rangeOf(condition: unknown): Bound[] | null {
  if (!isPlainObject(condition)) return null;
  const entries = Object.entries(condition);
  if (entries.length === 0 || !entries.every(([op]) => BOUND_OPERATORS.has(op))) return null;
  const bounds: Bound[] = [];
  for (const [op, raw] of entries) {
    const bound = boundValue(raw);
    if (!bound) return null;
    bounds.push({ op: op as BoundOperator, ...bound });
  }
  return bounds;
}

/**
 * Whether a filter entry is a list of clauses that must all hold: an `$and`, or an `$or` of one
 * clause (which holds exactly when its clause does; scope filters are often such an `$or`).
 */
const allMustHold = (key: string, condition: unknown): condition is unknown[] =>
  Array.isArray(condition) && (key === '$and' || (key === '$or' && condition.length === 1));

/** Range conditions on `path` at the filter's top level and in the clauses that must all hold (allMustHold). */
function rangesOn(filter: Filter, path: string, out: Bound[] = []): Bound[] {
  for (const [key, condition] of Object.entries(filter)) {
    if (allMustHold(key, condition)) {
      for (const clause of condition) if (isPlainObject(clause)) rangesOn(clause, path, out);
    } else if (key === path) {
      const regex = regexBound(condition);
      out.push(...(regex ? [regex] : rangeOf(condition) ?? []));
    }
  }
  return out;
}

function keyRange(filter: Filter, path: string, position: number, multikey: boolean): KeyRange | undefined {
  const found = rangesOn(filter, path);
  if (found.length === 0 || found.length > 30) return undefined;
  // With a one-sided window, only its side's bounds are tested on the keys (the others are left to mingo).
  const windowed = stringWindow(found, multikey);
  const bounds = windowed?.side ?? found;
  const windows = windowed?.windows;
  const all = (1 << bounds.length) - 1;
  return {
    position,
    ...(bounds.some((b) => b.regex) ? { keyTested: true } : {}),
    all,
    ...(windows ? { windows } : {}),
    bounds: (component) => boundsMet(bounds, all, component),
    within: (component) => meetsEvery(found, component),
  };
}

/** Whether a key component is a string, number or date shown exactly, of every bound's type and meeting each. */
function meetsEvery(bounds: Bound[], component: string): boolean {
  const tag = component[0];
  const family = tag === 's' || tag === 'S' ? 'string' : tag === 'n' ? 'number' : tag === 'd' ? 'date' : null;
  if (!family || !bounds.every((b) => b.family === family && !b.regex)) return false;
  const all = (1 << bounds.length) - 1;
  return boundsMet(bounds, all, component) === all;
}

/**
 * Whether an index range plan's keys answer the filter for certain for a key whose ranged
 * component is `within` its bounds: the filter is made only of equalities the prefix answers
 * exactly (as for a count) and range bounds on the ranged field.
 */
export function answeredByRange(filter: Filter, chosen: Extract<Plan, { kind: 'index' }>): boolean {
  const { range, index, prefixes } = chosen;
  if (!range || range.keyTested || prefixes.some((p) => p.some((c) => c[0] === 'T'))) return false;
  const conditions = flatConditions(filter);
  if (!conditions) return false;
  const ranged = index.fields[range.position];
  const others = conditions.filter(([path]) => path !== ranged);
  const bounds = conditions.filter(([path]) => path === ranged).map(([, condition]) => rangeOf(condition));
  // Every bound is one the range tests (none inside an `$or`, which the range does not read).
  if (bounds.length === 0 || bounds.some((b) => b === null) || bounds.flat().length !== rangesOn(filter, ranged).length) return false;
  const pinned = index.fields.slice(0, range.position);
  return pinned.length === 0 ? others.length === 0 : answeredByKeys({ $and: others.map(([path, condition]) => ({ [path]: condition })) }, pinned);
}

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

/**
 * The equality conditions on named fields of an `$elemMatch` (`{ list: { $elemMatch: { a: 1, b: 2 } } }`),
 * by their path through the array (`list.a`): a matching element that is a document (or an
 * array of them) gives the document an entry with such a value in a multikey index on that path.
 * mingo also tests a scalar element as if every field held it (`['x']` matches `{ a: 'x' }`),
 * which no index entry shows; so the conditions are used only when two fields must equal values
 * no scalar can both be (disjoint, null-free). Numeric segments (positions) and operators are
 * left to mingo.
 */
function elementEqualities(path: string, condition: unknown): [string, unknown[]][] {
  if (!isPlainObject(condition) || !isPlainObject(condition.$elemMatch)) return [];
  const out: [string, unknown[]][] = [];
  for (const [field, inner] of Object.entries(condition.$elemMatch)) {
    if (field.split('.').some((part) => part === '' || part.startsWith('$') || /^\d+$/.test(part))) continue;
    const values = equalityValues(inner);
    if (values) out.push([field, values]);
  }
  const scalarCannotMatch = out.some(([a, left], i) => out.some(([b, right], j) => j > i && !a.includes('.') && !b.includes('.') && disjoint(left, right)));
  return scalarCannotMatch ? out.map(([field, values]) => [`${path}.${field}`, values]) : [];
}

/** Whether no value is in both lists (by MongoDB equality) and neither holds null. */
function disjoint(left: unknown[], right: unknown[]): boolean {
  if (left.includes(null) || right.includes(null)) return false;
  const texts = new Set(left.map(canonical));
  return !right.some((value) => texts.has(canonical(value)));
}

/** Equality constraints of the filter's top level and of the clauses that must all hold (and their `$elemMatch`es), by path. */
function equalities(filter: Filter, out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  const keep = (path: string, values: unknown[]) => {
    const known = out.get(path);
    if (!known || values.length < known.length) out.set(path, values);
  };
  for (const [path, condition] of Object.entries(filter)) {
    if (allMustHold(path, condition)) {
      for (const clause of condition) if (isPlainObject(clause)) equalities(clause, out);
      continue;
    }
    if (path.startsWith('$')) continue;
    for (const [inner, values] of elementEqualities(path, condition)) keep(inner, values);
    const values = equalityValues(condition);
    if (values) keep(path, values);
  }
  return out;
}

/** Fields the filter pins to exactly one value other than null (which also matches missing). */
export function singleValues(filter: Filter): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [path, values] of equalities(filter)) {
    if (values.length === 1 && values[0] !== null) out.set(path, values[0]);
  }
  return out;
}

/** Key components to look up for a field pinned to `values`. */
export function components(values: unknown[], fieldCount: number): string[] {
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

/** A value whose key component is equal exactly when MongoDB's equality says so (no null, no array). */
function exactKeyValue(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (typeof value === 'number') return !Number.isNaN(value);
  if (typeof value === 'boolean') return true;
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/**
 * The field conditions of a filter made only of field conditions, `$and` clauses and one-clause
 * `$or`s, flattened; null when it has any other operator.
 */
function flatConditions(filter: Filter, out: [string, unknown][] = []): [string, unknown][] | null {
  for (const [key, condition] of Object.entries(filter)) {
    if (allMustHold(key, condition)) {
      for (const clause of condition) if (!isPlainObject(clause) || !flatConditions(clause, out)) return null;
    } else if (key.startsWith('$')) {
      return null;
    } else {
      out.push([key, condition]);
    }
  }
  return out;
}

/**
 * Whether the keys under the prefixes are exactly the matching documents: every condition is an
 * equality or `$in` of exact scalars on one of the `pinned` top-level fields, the same one each
 * time a field is named, and every pinned field has one. Then
 * the distinct ids under the prefixes are the answer (a count needs no document).
 */
function answeredByKeys(filter: Filter, pinned: string[]): boolean {
  const conditions = flatConditions(filter);
  if (!conditions) return false;
  // Per field, the values it must equal (one of); a field may repeat the same condition.
  const seen = new Map<string, string>();
  for (const [path, condition] of conditions) {
    if (path.includes('.') || !pinned.includes(path)) return false;
    const values = equalityValues(condition);
    if (!values || !values.every(exactKeyValue)) return false;
    if (isPlainObject(condition) && Object.keys(condition).length !== 1) return false;
    const texts = [...new Set(values.map(canonical))].sort().join('\0');
    if (seen.has(path) && seen.get(path) !== texts) return false;
    seen.set(path, texts);
  }
  return seen.size === pinned.length;
}

/** A plan that names its candidates (not a scan, not a union): what a union is made of. */
export type PartPlan = Extract<Plan, { kind: 'ids' | 'index' }>;

/**
 * The index entries (or ids) a plan reads, lazily, one item each (entries of a multikey document
 * count once each: the planner compares plans by how many there are, not by what they are).
 */
export type Entries = (chosen: Exclude<Plan, { kind: 'scan' }>) => Iterable<unknown>;

interface Scored {
  plan: Exclude<Plan, { kind: 'scan' }>;
  score: number;
}

/** The index plans of a filter, highest score first (ties in the indexes' order). */
function indexPlans(filter: Filter, pinned: Map<string, unknown[]>, indexes: LiveIndex[]): Scored[] {
  const out: Scored[] = [];
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
    const complete = perField.length === index.fields.length;
    const multikey = index.definition.multikey?.[perField.length] !== false;
    const range = complete || index.definition.unique ? undefined : keyRange(filter, index.fields[perField.length], perField.length, multikey);
    // Without a prefix, a regex alone would read the whole index: left to the scan.
    if (perField.length === 0 && (!range || range.keyTested)) continue;
    // A field pinned to one value narrows most, to several less; a regex tested on the keys narrows
    // about as much as one value (a name's first letters), a bare range less.
    const pins = perField.reduce((sum, texts) => sum + (texts.length === 1 ? 2 : 1.5), 0);
    const score = pins + (range ? (range.keyTested ? 2 : 1) : 0) + (complete && index.definition.unique ? 1 : 0);
    let prefixes: string[][] = [[]];
    for (const texts of perField) prefixes = prefixes.flatMap((prefix) => texts.map((t) => [...prefix, t]));
    // A long value kept as a hash is not an exact key.
    const exact = !range && !prefixes.some((p) => p.some((c) => c[0] === 'T')) && answeredByKeys(filter, index.fields.slice(0, perField.length));
    out.push({ plan: { kind: 'index', index, prefixes, ...(range ? { range } : {}), ...(exact ? { exact: true } : {}) }, score });
  }
  // A plan without a range whose pinned fields another plan pins too (and more, or the same and it
  // comes first) names a superset of that plan's documents: it is left out, not counted.
  out.sort((a, b) => b.score - a.score);
  const pinnedBy = out.map(({ plan: chosen }) => (chosen.kind === 'index' ? chosen.index.fields.slice(0, chosen.prefixes[0]?.length ?? 0) : []));
  return out.filter(({ plan: chosen }, i) => {
    if (chosen.kind !== 'index' || chosen.index.definition.sparse) return true;
    if (chosen.range) return !out.some(({ plan: other }, j) => j < i && sameRangeCandidates(chosen, other));
    const mine = pinnedBy[i];
    return !pinnedBy.some((other, j) => j !== i && mine.every((field) => other.includes(field)) && (other.length > mine.length || j < i));
  });
}

/**
 * Two range plans of regular indexes that lead with the same fields (the same multikey flags on
 * them), pin the same prefixes and bound the same next field alike name the same candidates:
 * counting both would read the same entries twice. (Which one covers a pipeline is chosen later.)
 */
function sameRangeCandidates(a: Extract<Plan, { kind: 'index' }>, b: Plan): boolean {
  if (b.kind !== 'index' || !b.range || !a.range || b.index.definition.sparse || a.index.definition.unique || b.index.definition.unique) return false;
  const upTo = a.range.position + 1;
  const lead = (index: LiveIndex) => JSON.stringify([index.fields.slice(0, upTo), (index.definition.multikey ?? []).slice(0, upTo)]);
  return b.range.position === a.range.position && lead(a.index) === lead(b.index) && JSON.stringify(a.prefixes) === JSON.stringify(b.prefixes);
}

/** The `$or` clause lists (of two clauses or more) of the filter's top level and of the clauses that must all hold. */
function orClauses(filter: Filter, out: Filter[][] = []): Filter[][] {
  for (const [key, condition] of Object.entries(filter)) {
    if (allMustHold(key, condition)) {
      for (const clause of condition) if (isPlainObject(clause)) orClauses(clause, out);
    } else if (key === '$or' && Array.isArray(condition) && condition.length > 0 && condition.every(isPlainObject)) {
      out.push(condition);
    }
  }
  return out;
}

/**
 * An `$or` whose every clause is planned through ids or an index: the union of the clauses'
 * candidates (a document matching the `$or` matches one clause, so is a candidate of its plan).
 * Null when a clause needs a scan. Scored as its weakest clause.
 */
function unionOf(clauses: Filter[], indexes: LiveIndex[], entries: Entries | undefined): Scored | null {
  const plans: PartPlan[] = [];
  let score = Infinity;
  for (const clause of clauses) {
    const chosen = scoredPlan(clause, indexes, entries);
    if (!chosen) return null;
    plans.push(...(chosen.plan.kind === 'union' ? chosen.plan.plans : [chosen.plan]));
    score = Math.min(score, chosen.score);
  }
  return { plan: { kind: 'union', plans }, score };
}

/** Past this many entries each, plans are no longer counted: the first (highest score) is taken. */
const MOST_COUNTED = 1 << 21;

/**
 * The plan among several that reads the fewest entries: their entries are read in turn, one of
 * each at a time, until one plan has none left (so counting reads as many entries per plan as the
 * chosen plan has); the earlier (higher score) one wins a tie.
 */
function fewest(pieces: Scored[], entries: Entries): Scored {
  const cursors = pieces.map((piece) => entries(piece.plan)[Symbol.iterator]());
  let chosen = 0;
  search: for (let read = 0; read < MOST_COUNTED; read++) {
    for (let i = 0; i < cursors.length; i++) {
      if (cursors[i].next().done) {
        chosen = i;
        break search;
      }
    }
  }
  for (const cursor of cursors) cursor.return?.();
  return pieces[chosen];
}

function atMostOne(items: Iterable<unknown>): boolean {
  let seen = 0;
  for (const _ of items) if (++seen > 1) return false;
  return true;
}

function scoredPlan(filter: Filter, indexes: LiveIndex[], entries: Entries | undefined): Scored | null {
  const pinned = equalities(filter);
  const ids = pinned.get('_id');
  if (ids) return { plan: { kind: 'ids', ids: [...new Set(ids.filter((id): id is string => typeof id === 'string'))] }, score: Infinity };
  const pieces = indexPlans(filter, pinned, indexes);
  // The keys alone answer an exact plan: no other reads fewer.
  const exact = pieces.find((piece) => piece.plan.kind === 'index' && piece.plan.exact);
  if (exact && entries) return exact;
  // A unique index pinned to one value on every field reads one entry at most: when it does, no
  // other plan is worth counting (one that reads none would save a single read).
  const single = pieces.find(({ plan: p }) => p.kind === 'index' && p.index.definition.unique && !p.range && p.prefixes.length === 1 && p.prefixes[0].length === p.index.fields.length);
  if (single && entries && atMostOne(entries(single.plan))) return single;
  for (const clauses of orClauses(filter)) {
    const union = unionOf(clauses, indexes, entries);
    if (union) pieces.push(union);
  }
  if (pieces.length === 0) return null;
  // Highest score first; the sort is stable, so an index plan stays before a union of equal score.
  pieces.sort((a, b) => b.score - a.score);
  return pieces.length === 1 || !entries ? pieces[0] : fewest(pieces, entries);
}

/**
 * The plan for a filter. With `entries`, the usable plans (each index's, and the union of an
 * `$or`'s clauses' plans) are compared by how many entries they read, an exact one winning
 * outright; without it, the highest score wins (a field pinned to one value beats one pinned to
 * several, though the store cannot know which narrows more).
 */
export function plan(filter: Filter, indexes: LiveIndex[], entries?: Entries): Plan {
  return scoredPlan(filter, indexes, entries)?.plan ?? { kind: 'scan' };
}
