/**
 * FEEL expressions (over feelin), written Camunda-8 style in definitions: a value starting with
 * '=' is an expression, anything else is a literal string.
 *
 * Failure rules: a syntax error, a call to an unknown function, wrong arguments, or an operation
 * on values of the wrong type throws a FeelError. A missing variable or context entry is not an
 * error: it is null, as in Camunda 8 (so `= decision = "approve"` is false while decision is
 * unset); but passing that null on to a function that needs a value (`date(missingVariable)`)
 * is an error, and the message then names the missing variable.
 *
 * Results are plain JS values; see feel-values.ts for the table (dates as 'YYYY-MM-DD',
 * date-times as Date, durations as ISO text).
 */
import { SyntaxError as FeelinSyntaxError, evaluate, parseExpression, parseUnaryTests, unaryTest, type Warning } from 'feelin';
import { EXTRA_FUNCTION_NAMES, type FeelEnv, extraFunctions, feelDateTime } from './feel-functions.js';
import { withParseCache } from './feel-parse-cache.js';
import { type FeelValue, toPlainValue } from './feel-values.js';

export type { FeelEnv } from './feel-functions.js';
export type { FeelRangeValue, FeelValue } from './feel-values.js';

/** A FEEL expression could not be read (`kind: 'syntax'`) or evaluated (`kind: 'evaluation'`). */
export class FeelError extends Error {
  override name = 'FeelError';
  constructor(
    readonly expression: string,
    /** Plain-words reason, without the expression. */
    readonly reason: string,
    readonly kind: 'syntax' | 'evaluation',
  ) {
    super(
      kind === 'syntax'
        ? `The expression "${clip(expression)}" is not valid FEEL: ${reason}.`
        : `The expression "${clip(expression)}" could not be evaluated: ${reason}.`,
    );
  }
}

/** Warnings that only mean "no such value": the result is null, not an error. */
const MISSING_VALUE_WARNINGS = new Set(['NO_VARIABLE_FOUND', 'NO_CONTEXT_ENTRY_FOUND', 'NO_PROPERTY_FOUND']);

/** True for a definition value written as a FEEL expression: '=' first (leading blanks ignored). */
export function isFeelExpression(raw: string): boolean {
  return raw.trimStart().startsWith('=');
}

/**
 * A definition value: for '=...' the FEEL expression's result (as a plain JS value), else the
 * text itself unchanged.
 */
export function resolveValue(raw: string, context: Record<string, unknown>, env: FeelEnv): FeelValue {
  return isFeelExpression(raw) ? evaluateFeel(raw, context, env) : raw;
}

/**
 * Evaluates a FEEL expression (without the leading '='; one is tolerated) over `context`, with
 * the functions of feel-functions.ts added. JS Dates in the context become FEEL date-times on
 * the calendar zone's clock (so `date(d)` is the local date); strings stay strings (write
 * `date(x)` to use a 'YYYY-MM-DD' string as a date).
 */
export function evaluateFeel(expression: string, context: Record<string, unknown>, env: FeelEnv): FeelValue {
  const text = stripEquals(expression);
  const value = run(text, () => {
    const feel = feelContext(context, env);
    return withParseCache(text, feel, () => evaluate(text, feel));
  });
  return convert(text, value, env);
}

/**
 * Evaluates FEEL unary tests (e.g. `"approve", "accept"`, `> 5`, `[1..10]`, `-`) against `input`.
 * Returns true or false (a null input matches nothing but `-`); null only if feelin gives no boolean.
 */
export function evaluateUnaryTest(tests: string, input: unknown, context: Record<string, unknown>, env: FeelEnv): boolean | null {
  const value = run(tests, () => {
    const feel = feelContext({ ...context, '?': input }, env);
    return withParseCache(tests, feel, () => unaryTest(tests, feel));
  });
  return typeof value === 'boolean' ? value : null;
}

/** The reason the expression is not valid FEEL (a leading '=' is ignored), or null when it is. */
export function checkFeelSyntax(expression: string): string | null {
  return syntaxProblem(stripEquals(expression), 'expression');
}

/** The reason the unary tests are not valid FEEL, or null when they are. */
export function checkUnaryTestSyntax(tests: string): string | null {
  return syntaxProblem(tests, 'tests');
}

function run<T>(expression: string, evaluateIt: () => { value: T; warnings: Warning[] }): T {
  let result: { value: T; warnings: Warning[] };
  try {
    result = evaluateIt();
  } catch (err) {
    if (err instanceof FeelError) throw err;
    if (err instanceof FeelinSyntaxError) throw new FeelError(expression, describeSyntaxError(expression, err.position.from), 'syntax');
    throw new FeelError(expression, err instanceof Error ? err.message : String(err), 'evaluation');
  }
  if (result.warnings.some((w) => !MISSING_VALUE_WARNINGS.has(w.type))) {
    throw new FeelError(expression, [...new Set(result.warnings.map(warningText))].join('; '), 'evaluation');
  }
  return result.value;
}

/**
 * The context feelin sees: Dates on the calendar's clock, plus the added functions (which win).
 * Lists and contexts without a Date inside are passed as they are (feelin copies them anyway).
 */
function feelContext(context: Record<string, unknown>, env: FeelEnv): Record<string, unknown> {
  const prepare = (value: unknown): unknown => {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : feelDateTime(value, env.calendar);
    if (Array.isArray(value)) {
      const items = value.map(prepare);
      return items.some((item, i) => item !== value[i]) ? items : value;
    }
    if (isPlainObject(value)) {
      const entries = Object.entries(value).map(([key, entry]) => [key, prepare(entry)] as const);
      return entries.some(([key, entry]) => entry !== value[key]) ? Object.fromEntries(entries) : value;
    }
    return value;
  };
  return { ...(prepare(context) as Record<string, unknown>), ...functionsFor(env) };
}

/** The added functions read the clock and calendar when called, so one set serves each pair. */
const functionSets = new WeakMap<object, WeakMap<object, ReturnType<typeof extraFunctions>>>();

function functionsFor(env: FeelEnv): ReturnType<typeof extraFunctions> {
  let byCalendar = functionSets.get(env.clock);
  if (!byCalendar) functionSets.set(env.clock, (byCalendar = new WeakMap()));
  let functions = byCalendar.get(env.calendar);
  if (!functions) byCalendar.set(env.calendar, (functions = extraFunctions({ clock: env.clock, calendar: env.calendar })));
  return functions;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function convert(expression: string, value: unknown, env: FeelEnv): FeelValue {
  try {
    return toPlainValue(value, env.calendar.timeZone);
  } catch (err) {
    throw new FeelError(expression, err instanceof Error ? err.message : String(err), 'evaluation');
  }
}

function warningText(w: Warning): string {
  switch (w.type) {
    case 'NO_FUNCTION_FOUND':
      return `${w.message} (no function by that name)`;
    case 'FUNCTION_INVOCATION_FAILURE':
      return `${w.message} (wrong number or names of arguments)`;
    default:
      return w.message;
  }
}

const syntaxCache = new Map<string, string | null>();
const SYNTAX_CACHE_SIZE = 1000;
/** Lets the parser read the added multi-word function names as single names. */
const PARSE_CONTEXT = Object.fromEntries(EXTRA_FUNCTION_NAMES.map((name) => [name, null]));

function syntaxProblem(text: string, kind: 'expression' | 'tests'): string | null {
  const key = `${kind}:${text}`;
  const cached = syntaxCache.get(key);
  if (cached !== undefined) return cached;
  const tree = kind === 'expression' ? parseExpression(text, PARSE_CONTEXT, undefined) : parseUnaryTests(text, PARSE_CONTEXT, undefined);
  let errorAt = -1;
  tree.iterate({
    enter(node) {
      if (errorAt >= 0) return false;
      if (node.type.isError) errorAt = node.from;
      return undefined;
    },
  });
  const problem = errorAt >= 0 ? describeSyntaxError(text, errorAt) : null;
  if (syntaxCache.size >= SYNTAX_CACHE_SIZE) syntaxCache.clear();
  syntaxCache.set(key, problem);
  return problem;
}

/** Plain words for a syntax error found at character offset `from`. */
function describeSyntaxError(text: string, from: number): string {
  if (text.trim() === '') return 'it is empty';
  const rest = text.slice(from).trimStart();
  if (rest === '') return 'it is incomplete, something is missing at the end';
  const at = text.length - rest.length + 1;
  const token = /^(?:[\p{L}\p{N}_]+|"[^"]*"?|\S)/u.exec(rest)?.[0] ?? rest[0];
  if (token.startsWith('"') && (token.length === 1 || !token.endsWith('"'))) return `the text in quotes at character ${at} has no closing quote`;
  return `unexpected ${JSON.stringify(clip(token, 30))} at character ${at}`;
}

function stripEquals(expression: string): string {
  return isFeelExpression(expression) ? expression.trimStart().slice(1) : expression;
}

function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
