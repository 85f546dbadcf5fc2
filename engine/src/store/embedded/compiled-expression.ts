/**
 * Aggregation expressions compiled once into closures `(doc, vars) => value`, answering exactly
 * as mingo's interpreter does (same missing/null handling, same query-style comparisons), only
 * without re-reading the expression for every document. Each operator computes its usual case
 * itself; anything else (an operator not compiled here, an argument of an unexpected type, an
 * error to report) is handed to mingo on the same sub-expression (mingoExpression), so the
 * answer, or the error, is mingo's.
 */
import { compare, isEqual, mingoExpression, typeOf, type Variables } from './mingo.js';

export type { Variables };
export type Evaluator = (doc: unknown, vars: Variables) => unknown;

const isNil = (value: unknown): value is null | undefined => value === null || value === undefined;
/** mingo's truthiness in strict mode: the empty string counts as true. */
const truthy = (value: unknown): boolean => !!value || value === '';
const isNumber = (value: unknown): value is number => typeof value === 'number' && !Number.isNaN(value);
const isOperator = (name: string | undefined): name is string => !!name && /^\$[a-zA-Z0-9_]+$/.test(name);
const isDigits = (part: string): boolean => /^[0-9]*$/.test(part);
export const isPlainObject = (value: unknown): value is Record<string, unknown> => typeOf(value) === 'object';

const OBJECT_PROTO_PROPS = new Set(Object.getOwnPropertyNames(Object.prototype).filter((name) => name !== '__proto__'));

/** mingo's one step down a path (util getValue). */
function stepInto(value: unknown, key: string): unknown {
  if (value === Object.prototype || value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  if (Array.isArray(value)) return value[Number(key)];
  if (OBJECT_PROTO_PROPS.has(key) && !Object.hasOwn(value, key)) return undefined;
  return (value as Record<string, unknown>)[key];
}

/** Scalars resolve to themselves whatever the path (mingo's resolve). */
const isScalar = (value: unknown): boolean =>
  value === null || (typeof value !== 'object' && typeof value !== 'function') || value instanceof Date || value instanceof RegExp;

/**
 * A compiled field path with MongoDB's (mingo's) array traversal: a field of an array is the
 * array of that field of its elements (missing ones left out), a digit part indexes an array.
 */
export function pathResolver(path: string): (value: unknown) => unknown {
  const parts = path.split('.');
  const index = parts.map(isDigits);
  // A part no plain object inherits reads straight from an object (stepInto's common case).
  const own = parts.map((part) => !OBJECT_PROTO_PROPS.has(part) && part !== '__proto__');
  const step = (value: unknown, i: number): unknown =>
    own[i] && value !== null && typeof value === 'object' && !Array.isArray(value) && value !== Object.prototype
      ? (value as Record<string, unknown>)[parts[i]]
      : stepInto(value, parts[i]);
  const state = { depth: 0 };
  // mingo's resolvePath: `from` is where this (possibly nested) walk started.
  const walk = (start: unknown, at: number, from: number): unknown => {
    let value = start;
    for (let i = at; i < parts.length; i++) {
      if (!index[i] && Array.isArray(value)) {
        if (i === from && state.depth > 0) break;
        state.depth += 1;
        const out: unknown[] = [];
        for (const item of value) {
          const v = walk(item, i, i);
          if (v !== undefined) out.push(v);
        }
        return out;
      }
      value = step(value, i);
      if (value === undefined) break;
    }
    return value;
  };
  if (parts.length === 1 && !index[0]) {
    const [key] = parts;
    return (value) => (isScalar(value) ? value : Array.isArray(value) ? ((state.depth = 0), walk(value, 0, 0)) : stepInto(value, key));
  }
  return (value) => {
    if (isScalar(value)) return value;
    state.depth = 0;
    return walk(value, 0, 0);
  };
}

const SYSTEM_ROOTS = new Set(['$$ROOT', '$$CURRENT']);

/** "$a.b", "$$ROOT.a", "$$name.a" (null: leave it to mingo). */
function compileReference(ref: string): Evaluator | null {
  if (ref.includes('__proto__') || ref === '$' || ref === '$$') return null;
  if (ref === '$$KEEP' || ref === '$$PRUNE' || ref === '$$DESCEND') return () => ref;
  const dot = ref.indexOf('.');
  const head = dot === -1 ? ref : ref.slice(0, dot);
  const rest = dot === -1 ? '' : ref.slice(dot + 1);
  if (!head.startsWith('$$')) {
    const resolve = pathResolver(ref.slice(1));
    return (doc) => resolve(doc);
  }
  if (SYSTEM_ROOTS.has(head)) {
    if (rest === '') return (doc) => doc;
    const resolve = pathResolver(rest);
    return (doc) => resolve(doc);
  }
  const name = head.slice(2);
  if (name === '' || name === 'this' || name === 'REMOVE' || name === 'NOW') return null;
  // A variable: its value, then down the rest of the path like mingo (resolve from {name: value}).
  const resolve = pathResolver(ref.slice(2));
  const fallback = mingoExpression(ref);
  return (doc, vars) => (Object.hasOwn(vars, name) ? resolve({ [name]: vars[name] }) : fallback(doc, vars));
}

type OperatorCompiler = (body: unknown, fallback: Evaluator) => Evaluator | null;

/** Compiles each element of an array body, or null when the body is not an array (of at least `min`, exactly `size`). */
function compileArgs(body: unknown, size?: number): Evaluator[] | null {
  if (!Array.isArray(body) || (size !== undefined && body.length !== size)) return null;
  return body.map(compileExpression);
}

const comparison = (test: (order: number) => boolean): OperatorCompiler => (body, fallback) => {
  const args = compileArgs(body, 2);
  if (!args) return null;
  const [left, right] = args;
  return (doc, vars) => {
    const a = left(doc, vars);
    if (Array.isArray(a)) return fallback(doc, vars);
    const b = right(doc, vars);
    return typeOf(a) === typeOf(b) && test(compare(a, b));
  };
};

const equality = (negate: boolean): OperatorCompiler => (body, fallback) => {
  const args = compileArgs(body, 2);
  if (!args) return null;
  const [left, right] = args;
  return (doc, vars) => {
    const a = left(doc, vars);
    if (Array.isArray(a)) return fallback(doc, vars);
    const b = right(doc, vars);
    return negate !== (isEqual(a, b) || (isNil(a) && isNil(b)));
  };
};

/** What an operator's own code answers when the case is mingo's to decide (an unexpected type, an error). */
const ASK_MINGO = Symbol('ask mingo');

/** Evaluates every argument: null when one is null or missing, else `combine` (mingo when it answers ASK_MINGO). */
const nullable = (combine: (values: unknown[]) => unknown, size?: number): OperatorCompiler => (body, fallback) => {
  const args = compileArgs(body, size);
  if (!args) return null;
  return (doc, vars) => {
    const values = args.map((arg) => arg(doc, vars));
    if (values.some(isNil)) return null;
    const result = combine(values);
    return result === ASK_MINGO ? fallback(doc, vars) : result;
  };
};

const ISO_DAY = /^([0-9]{4})-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$/;

const OPERATORS: Record<string, OperatorCompiler> = {
  $literal: (body) => () => body,
  $cond: (body) => {
    let parts: unknown[];
    if (Array.isArray(body)) {
      if (body.length !== 3) return null;
      parts = body;
    } else if (isPlainObject(body)) {
      parts = [body.if, body.then, body.else];
    } else return null;
    const [test, then, otherwise] = parts.map(compileExpression);
    return (doc, vars) => (truthy(test(doc, vars)) ? then(doc, vars) : otherwise(doc, vars));
  },
  $ifNull: (body) => {
    const args = compileArgs(body);
    if (!args) return null;
    return (doc, vars) => {
      let value: unknown;
      for (const arg of args) {
        value = arg(doc, vars);
        if (!isNil(value)) return value;
      }
      return value;
    };
  },
  $switch: (body) => {
    if (!isPlainObject(body) || !Array.isArray(body.branches) || !body.branches.every(isPlainObject)) return null;
    const branches = (body.branches as Record<string, unknown>[]).map((branch) => [compileExpression(branch.case), compileExpression(branch.then)]);
    const otherwise = compileExpression(body.default);
    return (doc, vars) => {
      for (const [test, then] of branches) if (truthy(test(doc, vars))) return then(doc, vars);
      return otherwise(doc, vars);
    };
  },
  $eq: equality(false),
  $ne: equality(true),
  $gt: comparison((order) => order > 0),
  $gte: comparison((order) => order >= 0),
  $lt: comparison((order) => order < 0),
  $lte: comparison((order) => order <= 0),
  $cmp: (body) => {
    const args = compileArgs(body, 2);
    if (!args) return null;
    const [left, right] = args;
    return (doc, vars) => compare(left(doc, vars), right(doc, vars));
  },
  $and: (body) => {
    const args = compileArgs(body);
    return args && ((doc, vars) => args.every((arg) => truthy(arg(doc, vars))));
  },
  $or: (body) => {
    const args = compileArgs(body);
    return args && ((doc, vars) => args.some((arg) => truthy(arg(doc, vars))));
  },
  $not: (body) => {
    const args = Array.isArray(body) ? body : [body];
    if (args.length === 0) return () => false;
    if (args.length > 1) return null;
    const arg = compileExpression(args[0]);
    return (doc, vars) => !arg(doc, vars);
  },
  $in: (body, fallback) => {
    const args = compileArgs(body, 2);
    if (!args) return null;
    const [item, list] = args;
    return (doc, vars) => {
      const value = item(doc, vars);
      const values = list(doc, vars);
      if (!Array.isArray(values)) return fallback(doc, vars);
      return values.some((v) => isEqual(v, value));
    };
  },
  $concat: nullable((values) => (values.every((v) => typeof v === 'string') ? values.join('') : ASK_MINGO)),
  // $add stops at its first null, so a bad argument before it is still mingo's error.
  $add: (body, fallback) => {
    const args = compileArgs(body);
    if (!args) return null;
    return (doc, vars) => {
      let sum = 0;
      for (const value of args.map((arg) => arg(doc, vars))) {
        if (isNil(value)) return null;
        if (typeof value !== 'number') return fallback(doc, vars);
        sum += value;
      }
      return sum;
    };
  },
  $subtract: nullable(([a, b]) => {
    if (a instanceof Date && isNumber(b)) return new Date(+a - Math.round(b));
    if (a instanceof Date && b instanceof Date) return +a - +b;
    return typeof a === 'number' && typeof b === 'number' ? a - b : ASK_MINGO;
  }, 2),
  $multiply: nullable((values) => (values.every(isNumber) ? values.reduce((product: number, v) => product * (v as number), 1) : ASK_MINGO)),
  $divide: nullable(([a, b]) => (isNumber(a) && isNumber(b) && b !== 0 ? a / b : ASK_MINGO), 2),
  $arrayElemAt: nullable(([list, at]) => {
    if (!Array.isArray(list) || !Number.isInteger(at)) return ASK_MINGO;
    const i = at as number;
    if (i < 0 && -i <= list.length) return list[i + list.length];
    return i >= 0 && i < list.length ? list[i] : undefined;
  }, 2),
  $round: (body, fallback) => {
    // Rounding to an integer (mingo's truncate with precision 0: half to even); other precisions are mingo's.
    if (!Array.isArray(body) || body.length < 1 || body.length > 2 || !(body[1] === undefined || body[1] === 0 || body[1] === null)) return null;
    const arg = compileExpression(body[0]);
    return (doc, vars) => {
      const n = arg(doc, vars);
      if (isNil(n)) return null;
      if (!isNumber(n) || Math.abs(n) === Infinity) return fallback(doc, vars);
      const sign = Math.abs(n) === n ? 1 : -1;
      const num = Math.abs(n);
      let result = Math.trunc(num);
      const firstDigit = Math.trunc(10 * parseFloat((num - result).toFixed(1)));
      if (((result & 1) === 1 && firstDigit >= 5) || firstDigit > 5) result++;
      return result * sign;
    };
  },
  $dateFromString: (body, fallback) => {
    // A 'YYYY-MM-DD' day as UTC midnight; any other string, format or option is mingo's.
    if (!isPlainObject(body) || body.format !== '%Y-%m-%d' || !Object.keys(body).every((key) => key === 'dateString' || key === 'format')) return null;
    const arg = compileExpression(body.dateString);
    return (doc, vars) => {
      const value = arg(doc, vars);
      if (isNil(value)) return null;
      const day = typeof value === 'string' ? ISO_DAY.exec(value) : null;
      return day ? new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))) : fallback(doc, vars);
    };
  },
  $size: (body, fallback) => {
    const arg = compileExpression(body);
    return (doc, vars) => {
      const value = arg(doc, vars);
      if (isNil(value)) return null;
      return Array.isArray(value) ? value.length : fallback(doc, vars);
    };
  },
  $let: (body) => {
    if (!isPlainObject(body) || !isPlainObject(body.vars) || Object.hasOwn(body.vars, 'this')) return null;
    const bound = Object.entries(body.vars).map(([name, expr]) => [name, compileExpression(expr)] as const);
    const inner = compileExpression(body.in);
    return (doc, vars) => {
      const scope: Variables = { ...vars };
      for (const [name, value] of bound) scope[name] = value(doc, vars);
      return inner(doc, scope);
    };
  },
};

function compileOperator(name: string, body: unknown, expr: unknown): Evaluator {
  const fallback = mingoExpression(expr);
  return OPERATORS[name]?.(body, fallback) ?? fallback;
}

export function compileExpression(expr: unknown): Evaluator {
  if (typeof expr === 'string' && expr.startsWith('$')) return compileReference(expr) ?? mingoExpression(expr);
  if (Array.isArray(expr)) {
    const items = expr.map(compileExpression);
    return (doc, vars) => items.map((item) => item(doc, vars));
  }
  if (isPlainObject(expr)) {
    const keys = Object.keys(expr);
    if (isOperator(keys[0])) return keys.length === 1 ? compileOperator(keys[0], expr[keys[0]], expr) : mingoExpression(expr);
    const fields = keys.map((key) => [key, compileExpression(expr[key])] as const);
    return (doc, vars) => {
      const out: Record<string, unknown> = {};
      for (const [key, field] of fields) out[key] = field(doc, vars);
      return out;
    };
  }
  return () => expr;
}
