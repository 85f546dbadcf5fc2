/**
 * A query filter of scalar comparisons tested without mingo: `$and`/`$or` of conditions on
 * field paths that are equalities (`v`, `$eq`), `$ne`, `$in` lists and `$gt`/`$gte`/`$lt`/`$lte`
 * bounds on strings, numbers, booleans (and dates for bounds). Only documents whose paths run
 * through plain objects to a scalar (or to nothing) are answered here; for any other (an array
 * or another object on the way or at the end, NaN, an invalid date) the test says UNDECIDED
 * and the caller asks mingo. Comparisons follow MongoDB's type bracketing, as mingo does: a
 * bound only matches values of its own type; null equals null and a missing field.
 */
import { isPlainObject } from '../hygiene.js';
import type { Doc, Filter } from '../types.js';

export const UNDECIDED: unique symbol = Symbol('undecided');

type Verdict = boolean | typeof UNDECIDED;
type Test = (doc: Doc) => Verdict;
type Scalar = string | number | boolean;

const isScalar = (value: unknown): value is Scalar =>
  typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && !Number.isNaN(value));
const isBound = (value: unknown): value is Scalar | Date =>
  typeof value === 'string' || (typeof value === 'number' && !Number.isNaN(value)) || (value instanceof Date && !Number.isNaN(value.getTime()));

/** The value at the path through plain objects (undefined when it leads nowhere), or UNDECIDED. */
function resolver(path: string): ((doc: Doc) => unknown) | null {
  const parts = path.split('.');
  if (parts.some((part) => part === '' || part.startsWith('$') || /^\d+$/.test(part) || part === '__proto__')) return null;
  return (doc) => {
    let value: unknown = doc;
    for (const part of parts) {
      if (value === null || value === undefined) return undefined;
      if (!isPlainObject(value)) return UNDECIDED;
      value = Object.hasOwn(value, part) ? value[part] : undefined;
    }
    if (value === null || value === undefined || isScalar(value) || (value instanceof Date && !Number.isNaN(value.getTime()))) return value;
    return UNDECIDED;
  };
}

type Check = (value: unknown) => boolean;

function equality(expected: unknown): Check | null {
  if (expected === null) return (value) => value === null || value === undefined;
  return isScalar(expected) ? (value) => value === expected : null;
}

function bound(op: string, limit: Scalar | Date): Check {
  const key = limit instanceof Date ? limit.getTime() : limit;
  const comparable = limit instanceof Date
    ? (value: unknown) => (value instanceof Date ? value.getTime() : undefined)
    : (value: unknown) => (typeof value === typeof limit ? (value as Scalar) : undefined);
  const holds = { $gt: (v: Scalar) => v > key, $gte: (v: Scalar) => v >= key, $lt: (v: Scalar) => v < key, $lte: (v: Scalar) => v <= key }[op]!;
  return (value) => {
    const v = comparable(value);
    return v !== undefined && holds(v);
  };
}

/** The checks of one field's condition (all must hold), or null when it is not of the scalar kind. */
function conditionChecks(condition: unknown): Check[] | null {
  if (!isPlainObject(condition)) {
    const check = equality(condition);
    return check ? [check] : null;
  }
  const operators = Object.keys(condition);
  if (operators.length === 0) return null;
  const checks: Check[] = [];
  for (const op of operators) {
    const operand = condition[op];
    if (op === '$eq') {
      const check = equality(operand);
      if (!check) return null;
      checks.push(check);
    } else if (op === '$ne') {
      const check = equality(operand);
      if (!check) return null;
      checks.push((value) => !check(value));
    } else if (op === '$in') {
      if (!Array.isArray(operand) || !operand.every(isScalar)) return null;
      const set = new Set<unknown>(operand);
      checks.push((value) => set.has(value));
    } else if (op === '$gt' || op === '$gte' || op === '$lt' || op === '$lte') {
      if (!isBound(operand)) return null;
      checks.push(bound(op, operand));
    } else {
      return null;
    }
  }
  return checks;
}

function clauses(list: unknown): Test[] | null {
  if (!Array.isArray(list) || list.length === 0 || !list.every(isPlainObject)) return null;
  const tests: Test[] = [];
  for (const clause of list) {
    const test = scalarFilter(clause as Filter);
    if (!test) return null;
    tests.push(test);
  }
  return tests;
}

/** The filter's test, or null when it has anything but the scalar comparisons above. */
export function scalarFilter(filter: Filter): Test | null {
  const tests: Test[] = [];
  for (const key of Object.keys(filter)) {
    const condition = filter[key];
    if (key === '$and' || key === '$or') {
      const parts = clauses(condition);
      if (!parts) return null;
      const any = key === '$or';
      tests.push((doc) => {
        // A clause that decides the whole ($or: true, $and: false) decides it whatever the others are.
        let undecided = false;
        for (const part of parts) {
          const v = part(doc);
          if (v === any) return any;
          if (v === UNDECIDED) undecided = true;
        }
        return undecided ? UNDECIDED : !any;
      });
      continue;
    }
    const resolve = resolver(key);
    const checks = resolve && conditionChecks(condition);
    if (!resolve || !checks) return null;
    tests.push((doc) => {
      const value = resolve(doc);
      if (value === UNDECIDED) return UNDECIDED;
      return checks.every((check) => check(value));
    });
  }
  return (doc) => {
    let undecided = false;
    for (const test of tests) {
      const v = test(doc);
      if (v === false) return false;
      if (v === UNDECIDED) undecided = true;
    }
    return undecided ? UNDECIDED : true;
  };
}
