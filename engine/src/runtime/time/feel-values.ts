/**
 * Converting feelin's results into plain JS values the rest of the engine can store and compare:
 *
 * | FEEL value                  | JS value                                                      |
 * |-----------------------------|---------------------------------------------------------------|
 * | null (or missing)           | null                                                          |
 * | number, string, boolean     | the same                                                      |
 * | date                        | 'YYYY-MM-DD' string                                           |
 * | date and time               | Date (a date-time without zone is read in the calendar zone)  |
 * | time                        | its ISO text, e.g. '08:00:00', '08:00:00Z'                    |
 * | duration                    | its ISO text, e.g. 'P14D', 'P1Y2M', 'P1DT12H' (feelin folds   |
 * |                             | hours into days: duration("PT36H") gives 'P1DT12H')           |
 * | list                        | array of converted items                                      |
 * | context                     | plain object of converted entries                             |
 * | range                       | { start, end, startIncluded, endIncluded }                    |
 * | function                    | refused: the expression must give a value                     |
 */
import { FeelDate, FeelDateTime, FeelDuration, FeelTime, isFunction, isRange } from 'feelin';
import { parseDateTime, toInstant } from './date-time.js';

export interface FeelRangeValue {
  start: FeelValue;
  end: FeelValue;
  startIncluded: boolean;
  endIncluded: boolean;
}

/** A FEEL result as a plain JS value (see the table above). */
export type FeelValue = null | string | number | boolean | Date | FeelValue[] | FeelRangeValue | { [key: string]: FeelValue };

/** Thrown when a result has no plain JS form (a function). */
export class FeelConversionError extends Error {
  override name = 'FeelConversionError';
}

export function toPlainValue(value: unknown, timeZone: string): FeelValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof FeelDate) return value.iso;
  if (value instanceof FeelTime || value instanceof FeelDuration) return value.iso;
  if (value instanceof FeelDateTime) {
    const parsed = parseDateTime(value.iso);
    if (typeof parsed === 'string') throw new FeelConversionError(`the date-time ${value.iso} cannot be read: ${parsed}`);
    return toInstant(parsed, timeZone);
  }
  if (value instanceof Date) return new Date(value.getTime());
  if (Array.isArray(value)) return value.map((item) => toPlainValue(item, timeZone));
  if (isRange(value)) {
    return {
      start: toPlainValue(value.start, timeZone),
      end: toPlainValue(value.end, timeZone),
      startIncluded: value['start included'],
      endIncluded: value['end included'],
    };
  }
  if (isFunction(value) || typeof value === 'function') {
    throw new FeelConversionError('it gives a function, not a value');
  }
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, toPlainValue(entry, timeZone)]));
  }
  throw new FeelConversionError(`it gives a value of an unsupported kind (${typeof value})`);
}
