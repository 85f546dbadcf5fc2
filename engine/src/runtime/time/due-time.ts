/**
 * When a timer is due. All arithmetic is on Dates (no setTimeout), so even 435-day deadlines are
 * exact; calendar units follow the business calendar's zone (see duration.ts).
 *
 * Rules:
 * - timeDuration: `from` plus the duration.
 * - timeDate: the date-time given; a plain date means 00:00 in the calendar zone, a date-time
 *   without offset is wall-clock time in the calendar zone.
 * - A duration or date that lands in the past is returned as is; the scheduler fires it at once.
 * - timeCycle: occurrences are start + k * period on the calendar zone's wall clock (so a daily
 *   08:00 cycle stays at 08:00 local across DST changes); without a start the first occurrence
 *   is `from` + period.
 *   - A cycle that has fired (`after` set) is due at the first occurrence strictly after
 *     max(`after`, now). Missed occurrences (the engine was down for three days) are not
 *     replayed: they are skipped and use up their repetitions.
 *   - A cycle that has never fired (`after` unset) is due at its first occurrence at or after
 *     `from` (occurrences before the timer started do not count: a daily 08:00 reminder armed
 *     at 09:00 first fires tomorrow at 08:00). If that occurrence is already past (it fell due
 *     while the engine was not running), the timer fires once, now, in place of the latest
 *     missed occurrence.
 * - `repeat` (cycles only) is how many occurrences of an R<n> cycle remain after this one
 *   (never below 0), or -1 for a cycle without end. computeDue always returns the next
 *   occurrence of the pattern; stopping after the last repetition is the caller's job (the
 *   process engine counts firings).
 * - For a cycle without a start, `from` must be the same on every call (when the timer was
 *   first armed), or repetitions cannot be counted and occurrences drift.
 * - A value starting with '=' is a FEEL expression evaluated over `variables`; it must give an
 *   ISO duration text (timeDuration), a date-time / date / date-time text (timeDate), or cycle
 *   text (timeCycle).
 */
import { type IsoDuration, addIsoDuration, approximateMs } from './duration.js';
import { toInstant } from './date-time.js';
import { type FeelEnv, type FeelValue, evaluateFeel, isFeelExpression, checkFeelSyntax } from './feel.js';
import { type TimerPlan, type TimerType, TimerSpecError, isTimerType, parseTimerValue, timerLabel } from './timer-values.js';

export interface DueSpec {
  timerType: TimerType;
  /** Literal timer text, a '=' FEEL expression, or (timeDate) a Date. */
  value: string | Date;
  /** When the timer started. */
  from: Date;
  /** Cycles: the previous firing; the next occurrence is strictly after max(after, now). */
  after?: Date;
  /** Variables for a '=' expression. */
  variables?: Record<string, unknown>;
}

export interface DueTime {
  dueAt: Date;
  /** Cycles only: occurrences left after this one for R<n>, -1 for a cycle without end. */
  repeat?: number;
}

/** Throws TimerSpecError for a value that is not a valid timer, FeelError for a failing expression. */
export function computeDue(spec: DueSpec, env: FeelEnv): DueTime {
  const { timerType, value } = spec;
  if (!isTimerType(timerType)) throw new TimerSpecError(String(timerType), String(value), unknownTypeReason(timerType));
  const fromExpression = typeof value === 'string' && isFeelExpression(value);
  const text = fromExpression ? expressionResult(timerType, value, spec, env) : value;
  // Errors name what the author wrote; for an expression, also what it gave.
  const fail = (reason: string): never => {
    throw new TimerSpecError(timerType, String(value), fromExpression ? `the expression gave "${String(text)}", and ${reason}` : reason);
  };
  if (text instanceof Date) {
    if (timerType !== 'timeDate' || Number.isNaN(text.getTime())) fail('it is not a valid date');
    return { dueAt: new Date(text.getTime()) };
  }
  const plan = parseTimerValue(timerType, text);
  if (typeof plan === 'string') return fail(plan);
  try {
    return due(plan, spec, env);
  } catch (err) {
    if (err instanceof RangeError) return fail(err.message);
    throw err;
  }
}

/**
 * Publish-time check of a timer value: null when valid, else a sentence naming the value and
 * the problem. A '=' value is checked for FEEL syntax only.
 */
export function isValidTimerValue(timerType: string, value: string): string | null {
  if (!isTimerType(timerType)) return `The timer type ${unknownTypeReason(timerType)}.`;
  if (isFeelExpression(value)) {
    const problem = checkFeelSyntax(value);
    return problem && `The ${timerLabel(timerType)} "${value}" is not valid FEEL: ${problem}.`;
  }
  const plan = parseTimerValue(timerType, value);
  return typeof plan === 'string' ? new TimerSpecError(timerType, value, plan).message : null;
}

/** Same as isValidTimerValue (the name the process checks use). */
export const timerValueError = isValidTimerValue;

function unknownTypeReason(timerType: unknown): string {
  return `"${String(timerType)}" is not a timer type; use timeDuration, timeDate or timeCycle`;
}

function expressionResult(timerType: TimerType, expression: string, spec: DueSpec, env: FeelEnv): string | Date {
  const result: FeelValue = evaluateFeel(expression, spec.variables ?? {}, env); // strips the '='
  if (typeof result === 'string') return result;
  if (result instanceof Date && timerType === 'timeDate') return result;
  const got = result === null ? 'no value (null)' : result instanceof Date ? `the date-time ${result.toISOString()}` : JSON.stringify(result);
  const wanted = { timeDuration: 'a duration', timeDate: 'a date or date-time', timeCycle: 'a cycle text such as R/P1D' }[timerType];
  throw new TimerSpecError(timerType, expression, `the expression gave ${got}, not ${wanted}`);
}

function due(plan: TimerPlan, spec: DueSpec, env: FeelEnv): DueTime {
  const zone = env.calendar.timeZone;
  switch (plan.kind) {
    case 'duration':
      return { dueAt: addIsoDuration(validDate(spec.from, 'from'), plan.duration, zone) };
    case 'date':
      return { dueAt: toInstant(plan.at, zone) };
    case 'cycle':
      return cycleDue(plan, spec, env);
  }
}

function cycleDue(plan: Extract<TimerPlan, { kind: 'cycle' }>, spec: DueSpec, env: FeelEnv): DueTime {
  const zone = env.calendar.timeZone;
  const anchor = plan.start ? toInstant(plan.start, zone) : validDate(spec.from, 'from');
  const firstK = plan.start ? 0 : 1;
  const at = (k: number) => addIsoDuration(anchor, plan.period, zone, k);
  const repeat = (k: number) => (plan.repetitions === null ? -1 : Math.max(0, plan.repetitions - 1 - (k - firstK)));
  const now = env.clock.now();

  if (spec.after === undefined) {
    const k = firstAfter(at, firstK, validDate(spec.from, 'from').getTime() - 1, plan.period);
    const first = at(k);
    if (first.getTime() > now.getTime()) return { dueAt: first, repeat: repeat(k) };
    // Never fired and already late: fire once now, in place of the latest missed occurrence.
    return { dueAt: now, repeat: repeat(firstAfter(at, k, now.getTime(), plan.period) - 1) };
  }
  const threshold = Math.max(validDate(spec.after, 'after').getTime(), now.getTime());
  const k = firstAfter(at, firstK, threshold, plan.period);
  return { dueAt: at(k), repeat: repeat(k) };
}

/** The smallest k >= k0 whose occurrence is strictly after `threshold` (occurrences only grow with k). */
function firstAfter(at: (k: number) => Date, k0: number, threshold: number, period: IsoDuration): number {
  const after = (k: number) => {
    try {
      return at(k).getTime() > threshold;
    } catch (err) {
      if (err instanceof RangeError) return true; // past year 9999: later than any threshold
      throw err;
    }
  };
  // Start near the answer (estimated from the period's rough length), then bracket and bisect.
  const estimate = Math.floor((threshold - at(k0).getTime()) / approximateMs(period)) - 1;
  let lo = Math.max(k0, estimate);
  if (after(lo)) {
    if (lo === k0) return k0;
    let step = 1;
    let hi = lo;
    lo = Math.max(k0, hi - step);
    while (lo > k0 && after(lo)) {
      hi = lo;
      step *= 2;
      lo = Math.max(k0, hi - step);
    }
    if (after(lo)) return lo;
    return bisect(after, lo, hi);
  }
  let step = 1;
  let hi = lo + step;
  while (!after(hi)) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  return bisect(after, lo, hi);
}

/** Given !after(lo) and after(hi), the smallest k in (lo, hi] with after(k). */
function bisect(after: (k: number) => boolean, lo: number, hi: number): number {
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (after(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** A caller's mistake, not the author's: a TypeError, so it is not reported as a bad timer value. */
function validDate(date: Date, name: string): Date {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new TypeError(`computeDue: \`${name}\` is not a valid Date`);
  return date;
}
