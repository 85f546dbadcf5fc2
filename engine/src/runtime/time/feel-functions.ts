/**
 * Functions added to every FEEL expression. They read time from the engine's Clock and the
 * business calendar, never from the machine's clock:
 *
 * - `today()`: the current date in the calendar's zone.
 * - `now()`: the current date and time, with the calendar zone's offset at that instant.
 * - `add business days(date, days)`: a date; see BusinessCalendar.addBusinessDays for the rules.
 * - `business days between(from, to)`: a number; see BusinessCalendar.businessDaysBetween.
 *
 * A date argument may be a FEEL date, a date and time (its date in the calendar zone) or a
 * 'YYYY-MM-DD' string.
 */
import { FeelDate, FeelDateTime, FeelFunction, parseDate, parseDateTime } from 'feelin';
import type { Clock } from '../../clock.js';
import type { BusinessCalendar } from './calendar.js';
import { parseDateTime as parseDateTimeText, toInstant } from './date-time.js';
import { type LocalDate, formatLocalDate, isLocalDate, wallToUtcMs } from './local-date.js';

export interface FeelEnv {
  clock: Clock;
  calendar: BusinessCalendar;
}

/** A function added to FEEL refused its arguments; the message names the function. */
export class FeelFunctionError extends Error {
  override name = 'FeelFunctionError';
}

/** Names of the added functions (they shadow variables of the same name). */
export const EXTRA_FUNCTION_NAMES = ['today', 'now', 'add business days', 'business days between'] as const;

export function extraFunctions(env: FeelEnv): Record<(typeof EXTRA_FUNCTION_NAMES)[number], FeelFunction> {
  const { clock, calendar } = env;
  return {
    today: new FeelFunction(() => feelDate(calendar.localDate(clock.now())), []),
    now: new FeelFunction(() => feelDateTime(clock.now(), calendar), []),
    'add business days': new FeelFunction((date: unknown, days: unknown) => {
      const from = localDateArg('add business days', date, calendar);
      return feelDate(calendar.addBusinessDays(from, wholeNumberArg('add business days', days)));
    }, ['date', 'days']),
    'business days between': new FeelFunction((from: unknown, to: unknown) => {
      const a = localDateArg('business days between', from, calendar);
      const b = localDateArg('business days between', to, calendar);
      return calendar.businessDaysBetween(a, b);
    }, ['from', 'to']),
  };
}

function feelDate(date: LocalDate): FeelDate {
  const value = parseDate(date);
  if (!value) throw new FeelFunctionError(`${date} is not a date`);
  return value;
}

/**
 * The instant as a FEEL date-time on the calendar zone's wall clock, with that zone's offset
 * (fixed, so it names the exact instant even in the repeated fall-back hour).
 */
export function feelDateTime(instant: Date, calendar: BusinessCalendar): FeelDateTime {
  const w = calendar.wallTime(instant);
  const offsetMinutes = Math.round((wallToUtcMs(w) - instant.getTime()) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const text =
    `${formatLocalDate(w.year, w.month, w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}.${pad(w.millisecond, 3)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  const value = parseDateTime(text);
  if (!value) throw new FeelFunctionError(`cannot represent the date-time ${text}`);
  return value;
}

function localDateArg(fn: string, value: unknown, calendar: BusinessCalendar): LocalDate {
  if (value instanceof FeelDate) return value.iso;
  if (value instanceof FeelDateTime) {
    if (value.zone === null) return value.iso.slice(0, 10);
    const parsed = parseDateTimeText(value.iso);
    if (typeof parsed !== 'string') return calendar.localDate(toInstant(parsed, calendar.timeZone));
  }
  if (isLocalDate(value)) return value;
  if (value === null || value === undefined) throw new FeelFunctionError(`${fn}: a date is missing (the value is null)`);
  throw new FeelFunctionError(`${fn}: ${describe(value)} is not a date`);
}

function wholeNumberArg(fn: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (value === null || value === undefined) throw new FeelFunctionError(`${fn}: the number of days is missing (the value is null)`);
  throw new FeelFunctionError(`${fn}: the number of days must be a whole number, not ${describe(value)}`);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}
