/**
 * A business calendar: one IANA time zone, the weekend days and a list of holidays. Dates are
 * local calendar dates ('YYYY-MM-DD') in that zone.
 *
 * Rules:
 * - `addBusinessDays(d, n)` with n > 0 is the n-th business day after d (d itself never counts,
 *   whether or not it is a business day); n < 0 is the |n|-th business day before d; n = 0 is d
 *   when d is a business day, else the next business day after it.
 * - `businessDaysBetween(a, b)` counts the steps `addBusinessDays` takes, so that
 *   `addBusinessDays(a, businessDaysBetween(a, b)) === b` whenever b is a business day:
 *   for b after a, the business days in (a, b]; for b before a, minus those in [b, a); 0 if equal.
 * - A holiday is a non-business day on exactly the date listed; list the observed date when a
 *   holiday falls on a weekend.
 */
import { ValidationError, type FieldError } from '../../errors.js';
import {
  type LocalDate,
  type WallTime,
  formatLocalDate,
  fromEpochDay,
  parseLocalDate,
  parseWallClock,
  requireLocalDate,
  toEpochDay,
} from './local-date.js';
import { isValidTimeZone, wallTimeAt, wallTimeToInstant } from './zone.js';

export interface BusinessCalendarConfig {
  /** IANA zone name, e.g. 'America/Los_Angeles'. */
  timeZone: string;
  /** ISO weekday numbers (1 = Monday ... 7 = Sunday) that are not business days. Default [6, 7]. */
  weekend?: number[];
  /** Local dates 'YYYY-MM-DD' that are not business days. */
  holidays: string[];
}

/** Largest |n| accepted by addBusinessDays (about 140 years of business days). */
export const MAX_BUSINESS_DAYS = 36_500;

/** Problems with a calendar configuration, each with a JSON pointer to the field; empty if valid. */
export function validateCalendarConfig(config: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof config !== 'object' || config === null) {
    return [{ path: '', message: 'The business calendar settings are missing.' }];
  }
  const { timeZone, weekend, holidays } = config as Record<string, unknown>;
  if (!isValidTimeZone(timeZone)) {
    errors.push({
      path: '/timeZone',
      message: `"${String(timeZone)}" is not a known time zone. Use an IANA zone name such as America/Los_Angeles.`,
    });
  }
  if (weekend !== undefined) {
    if (!Array.isArray(weekend)) {
      errors.push({ path: '/weekend', message: 'The weekend must be a list of weekday numbers (1 = Monday ... 7 = Sunday).' });
    } else {
      weekend.forEach((day, i) => {
        if (!Number.isInteger(day) || day < 1 || day > 7) {
          errors.push({ path: `/weekend/${i}`, message: `"${String(day)}" is not a weekday number from 1 (Monday) to 7 (Sunday).` });
        }
      });
      if (new Set(weekend).size >= 7) errors.push({ path: '/weekend', message: 'At least one day of the week must be a business day.' });
    }
  }
  if (!Array.isArray(holidays)) {
    errors.push({ path: '/holidays', message: 'The holidays must be a list of dates written YYYY-MM-DD (it may be empty).' });
  } else {
    holidays.forEach((day, i) => {
      if (typeof day !== 'string' || !parseLocalDate(day)) {
        errors.push({ path: `/holidays/${i}`, message: `"${String(day)}" is not a calendar date written YYYY-MM-DD.` });
      }
    });
  }
  return errors;
}

export class BusinessCalendar {
  readonly timeZone: string;
  private weekendList: readonly number[] = [];
  private weekendDays: ReadonlySet<number> = new Set();
  private holidaySet: ReadonlySet<LocalDate> = new Set();
  private holidayDays: ReadonlySet<number> = new Set();

  /** Throws a ValidationError listing every problem with the configuration. */
  constructor(config: BusinessCalendarConfig) {
    const errors = validateCalendarConfig(config);
    if (errors.length > 0) throw new ValidationError('The business calendar settings are not valid.', errors);
    this.timeZone = config.timeZone;
    this.setDays(config);
  }

  get weekend(): readonly number[] {
    return this.weekendList;
  }

  /**
   * Takes new weekend days and holidays (a newly published calendar definition) in place, so
   * everything holding this calendar sees them. The time zone is fixed for the calendar's life.
   */
  use(config: BusinessCalendarConfig): void {
    const errors = validateCalendarConfig(config);
    if (config?.timeZone !== this.timeZone) errors.push({ path: '/timeZone', message: `The time zone stays ${this.timeZone} while the engine runs.` });
    if (errors.length > 0) throw new ValidationError('The business calendar settings are not valid.', errors);
    this.setDays(config);
  }

  private setDays(config: BusinessCalendarConfig): void {
    this.weekendList = [...new Set(config.weekend ?? [6, 7])].sort((x, y) => x - y);
    this.weekendDays = new Set(this.weekendList);
    this.holidaySet = new Set(config.holidays);
    this.holidayDays = new Set(config.holidays.map(toEpochDay));
  }

  get holidays(): LocalDate[] {
    return [...this.holidaySet].sort();
  }

  isBusinessDay(date: LocalDate): boolean {
    return this.isBusinessEpochDay(toEpochDay(date));
  }

  addBusinessDays(date: LocalDate, n: number): LocalDate {
    let day = toEpochDay(date);
    if (!Number.isInteger(n) || Math.abs(n) > MAX_BUSINESS_DAYS) {
      throw new RangeError(
        `The number of business days must be a whole number from -${MAX_BUSINESS_DAYS} to ${MAX_BUSINESS_DAYS}; got ${String(n)}.`,
      );
    }
    if (n === 0) {
      while (!this.isBusinessEpochDay(day)) day += 1;
      return fromEpochDay(day);
    }
    const step = Math.sign(n);
    for (let left = Math.abs(n); left > 0; ) {
      day += step;
      if (this.isBusinessEpochDay(day)) left -= 1;
    }
    return fromEpochDay(day);
  }

  businessDaysBetween(a: LocalDate, b: LocalDate): number {
    const from = toEpochDay(a);
    const to = toEpochDay(b);
    if (to > from) return this.countBusinessDays(from + 1, to);
    if (to < from) return -this.countBusinessDays(to, from - 1);
    return 0;
  }

  /** The calendar date the instant falls on in this calendar's zone. */
  localDate(instant: Date): LocalDate {
    const w = wallTimeAt(instant.getTime(), this.timeZone);
    return formatLocalDate(w.year, w.month, w.day);
  }

  /** The wall-clock date and time the instant reads as in this calendar's zone. */
  wallTime(instant: Date): WallTime {
    return wallTimeAt(instant.getTime(), this.timeZone);
  }

  /**
   * The instant of a local date and wall time ('HH:MM', 'HH:MM:SS'; default midnight) in this
   * calendar's zone. A time skipped by a spring-forward change moves forward by the gap; a time
   * that occurs twice at a fall-back change takes the first occurrence.
   */
  toInstant(date: LocalDate, time = '00:00'): Date {
    const d = requireLocalDate(date);
    const t = parseWallClock(time);
    if (!t) throw new RangeError(`The time "${time}" is not a time of day written HH:MM (24-hour clock).`);
    return wallTimeToInstant({ ...d, ...t }, this.timeZone);
  }

  private isBusinessEpochDay(day: number): boolean {
    return !this.weekendDays.has(weekdayOfEpochDay(day)) && !this.holidayDays.has(day);
  }

  /** Business days in the inclusive range of day numbers [first, last], by whole weeks. */
  private countBusinessDays(first: number, last: number): number {
    const weeks = Math.floor((last - first + 1) / 7);
    let count = weeks * (7 - this.weekendDays.size);
    for (let day = first + weeks * 7; day <= last; day += 1) {
      if (!this.weekendDays.has(weekdayOfEpochDay(day))) count += 1;
    }
    for (const day of this.holidayDays) {
      if (day >= first && day <= last && !this.weekendDays.has(weekdayOfEpochDay(day))) count -= 1;
    }
    return count;
  }
}

/** ISO weekday of a day number; day 0 (1970-01-01) was a Thursday. */
function weekdayOfEpochDay(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}
