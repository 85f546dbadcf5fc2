/**
 * Reading BPMN timer values (literal text, not '=' expressions):
 * - timeDuration: an ISO 8601 duration, 'P14D', 'PT2H', 'P1Y2M10DT2H30M'.
 * - timeDate: a date-time with offset ('2031-03-08T08:00:00Z'), a local date-time
 *   ('2031-03-08T08:00', in the calendar zone) or a plain date ('2031-03-08', 00:00 there).
 * - timeCycle: 'R/<start>/<period>', 'R<n>/<start>/<period>', 'R/<period>', 'R<n>/<period>'.
 */
import { type IsoDuration, parseIsoDuration } from './duration.js';
import { type ParsedDateTime, parseDateTime } from './date-time.js';

export type TimerType = 'timeDuration' | 'timeDate' | 'timeCycle';
export const TIMER_TYPES: readonly TimerType[] = ['timeDuration', 'timeDate', 'timeCycle'];

export type TimerPlan =
  | { kind: 'duration'; duration: IsoDuration }
  | { kind: 'date'; at: ParsedDateTime }
  /** `repetitions` null: repeats without end. `start` null: the first occurrence is one period after the timer starts. */
  | { kind: 'cycle'; repetitions: number | null; start: ParsedDateTime | null; period: IsoDuration };

/** A timer value that cannot be used; the message names the value and says why. */
export class TimerSpecError extends Error {
  override name = 'TimerSpecError';
  constructor(
    readonly timerType: string,
    readonly value: string,
    /** Plain-words reason, without the value. */
    readonly reason: string,
  ) {
    super(`The ${timerLabel(timerType)} "${value}" is not valid: ${reason}.`);
  }
}

export function timerLabel(timerType: string): string {
  switch (timerType) {
    case 'timeDuration':
      return 'timer duration';
    case 'timeDate':
      return 'timer date';
    case 'timeCycle':
      return 'timer cycle';
    default:
      return `timer (${timerType})`;
  }
}

/** A due value (a task's due date, a computed deadline) is a duration when it reads as one (P...), else a date. */
export function dueTimerType(value: string): 'timeDuration' | 'timeDate' {
  return /^-?P/.test(value.trim()) ? 'timeDuration' : 'timeDate';
}

export function isTimerType(value: unknown): value is TimerType {
  return TIMER_TYPES.includes(value as TimerType);
}

/** The plan for a literal timer value, or the plain-words reason it is not valid. */
export function parseTimerValue(timerType: TimerType, value: string): TimerPlan | string {
  const text = value.trim();
  if (text === '') return 'it is empty';
  switch (timerType) {
    case 'timeDuration': {
      const duration = parseIsoDuration(text);
      return typeof duration === 'string' ? duration : { kind: 'duration', duration };
    }
    case 'timeDate': {
      const at = parseDateTime(text);
      return typeof at === 'string' ? at : { kind: 'date', at };
    }
    case 'timeCycle':
      return parseCycle(text);
  }
}

const CYCLE_HELP = 'write R/<period> or R/<start>/<period>, e.g. R/P1D, R3/PT4H or R/2031-03-01T08:00/P1D';
/** Shortest cycle period accepted, so a cycle cannot fire in a tight loop. */
const MIN_PERIOD_MS = 1000;

function parseCycle(text: string): TimerPlan | string {
  const parts = text.split('/');
  const r = /^R(\d*)$/i.exec(parts[0]);
  if (!r || parts.length < 2 || parts.length > 3) return `it is not a repeating cycle; ${CYCLE_HELP}`;
  let repetitions: number | null = null;
  if (r[1] !== '') {
    repetitions = Number(r[1]);
    if (repetitions === 0) return 'R0 would never fire; use R1 or more, or R alone to repeat without end';
    if (!Number.isSafeInteger(repetitions)) return 'the number of repetitions is too large';
  }
  let start: ParsedDateTime | null = null;
  if (parts.length === 3) {
    const parsed = parseDateTime(parts[1]);
    if (typeof parsed === 'string') {
      if (typeof parseIsoDuration(parts[1]) !== 'string') return `a cycle with an end date is not supported; ${CYCLE_HELP}`;
      return `the start "${parts[1]}" is not valid: ${parsed}`;
    }
    start = parsed;
  }
  const periodText = parts[parts.length - 1];
  const period = parseIsoDuration(periodText);
  if (typeof period === 'string') return `the period "${periodText}" is not valid: ${period}`;
  const hasCalendarUnit = period.years + period.months + period.weeks + period.days > 0;
  if (!hasCalendarUnit && period.timeMs < MIN_PERIOD_MS) return 'the period must be at least one second';
  return { kind: 'cycle', repetitions, start, period };
}
