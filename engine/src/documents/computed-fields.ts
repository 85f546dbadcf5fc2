/**
 * Computed fields: a form's `computed` maps a pointer into the document data to a FEEL
 * expression (`"/total": "=quantity * price"`). The server evaluates them, in the order they are
 * listed, every time a draft is saved or a document submitted, and writes each result over
 * whatever the client sent: the server is the authority.
 *
 * - The variables are the document's top-level fields (`caseInfo.dob`, `items`), plus the
 *   engine's FEEL functions (`today()`, ...).
 * - A pointer with one `-` token (`/items/-/total`) is computed for each entry of that list, with
 *   the entry as the variable `item` (and its position, from 1, as `index`).
 * - A null result, or one that cannot be evaluated, removes the field. When a document is
 *   submitted, a field that cannot be evaluated is reported by its pointer instead.
 */
import type { FieldError } from '../errors.js';
import { getAt, isPlainObject, parsePointer, pointer, setAt } from '../json-pointer.js';

/** Evaluates one FEEL expression (with the leading '=') over a context; throws when it cannot. */
export type ComputeEvaluator = (expression: string, context: Record<string, unknown>) => unknown;

export interface ComputeOutcome {
  data: Record<string, any>;
  /** Fields whose expression could not be evaluated (pointer into the data, with the reason). */
  failures: FieldError[];
}

/** Splits `/items/-/total` into the list pointer `/items` and the item pointer `/total`. */
export function splitEachPointer(target: string): { list: string; rest: string } | undefined {
  const tokens = parsePointer(target) ?? [];
  const at = tokens.indexOf('-');
  if (at < 0) return undefined;
  return { list: pointer('', ...tokens.slice(0, at)), rest: pointer('', ...tokens.slice(at + 1)) };
}

/** Returns a copy of `data` with every computed field (re)written. */
export function applyComputed(
  computed: Record<string, string> | undefined,
  data: Record<string, any>,
  evaluate: ComputeEvaluator,
): ComputeOutcome {
  const result = structuredClone(data);
  const failures: FieldError[] = [];
  for (const [target, expression] of Object.entries(computed ?? {})) {
    const each = splitEachPointer(target);
    if (!each) {
      write(result, target, run(expression, result, target, evaluate, failures));
      continue;
    }
    const list = getAt(result, each.list);
    if (!Array.isArray(list)) continue;
    list.forEach((item: unknown, i: number) => {
      if (!isPlainObject(item)) return;
      const value = run(expression, { ...result, item, index: i + 1 }, pointer(each.list, i) + each.rest, evaluate, failures);
      write(item, each.rest, value);
    });
  }
  return { data: result, failures };
}

function run(expression: string, context: Record<string, unknown>, at: string, evaluate: ComputeEvaluator, failures: FieldError[]): unknown {
  try {
    return evaluate(expression, context);
  } catch (error) {
    failures.push({ path: at, message: (error as Error).message });
    return null;
  }
}

/** Writes the value, or removes the field for null/undefined (a computed field never holds null). */
function write(target: Record<string, any>, at: string, value: unknown): void {
  if (value !== null && value !== undefined) {
    setAt(target, at, value);
    return;
  }
  const tokens = parsePointer(at) ?? [];
  const parent = tokens.length > 1 ? getAt(target, pointer('', ...tokens.slice(0, -1))) : target;
  if (isPlainObject(parent)) delete parent[tokens[tokens.length - 1]];
}
