/**
 * ISO 8601 durations ('P14D', 'PT2H', 'P1Y2M10DT2H30M', 'P2W') and adding them to instants.
 * Years, months, weeks and days are calendar units: they move the wall-clock date in a time zone
 * and keep the local time of day, across DST changes too. Hours, minutes and seconds are exact
 * elapsed time. This matches how Temporal.ZonedDateTime adds durations.
 */
import { daysInMonth, fromEpochDay, toEpochDay, formatLocalDate } from './local-date.js';
import { wallTimeAt, wallTimeToInstant } from './zone.js';

export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  /** Hours, minutes and seconds together, in milliseconds. */
  timeMs: number;
}

const ISO_DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/** Latest year any computed time may reach; keeps every result a valid, printable Date. */
export const MAX_YEAR = 9999;

/**
 * Parses a non-negative ISO 8601 duration. Returns the duration, or a plain-words reason why the
 * text is not one. Lower-case letters are accepted; a leading '-' is refused.
 */
export function parseIsoDuration(text: string): IsoDuration | string {
  const t = text.trim().toUpperCase();
  if (t.startsWith('-')) return 'a duration cannot be negative';
  const m = ISO_DURATION.exec(t);
  if (!m || t === 'P' || t.endsWith('T')) {
    return 'it is not an ISO 8601 duration such as P14D (14 days), PT2H (2 hours) or P1M (1 month)';
  }
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i].replace(',', '.')));
  const d: IsoDuration = {
    years: n(1),
    months: n(2),
    weeks: n(3),
    days: n(4),
    timeMs: Math.round(((n(5) * 60 + n(6)) * 60 + n(7)) * 1000),
  };
  const units = [d.years, d.months, d.weeks, d.days, d.timeMs];
  const tooLong = d.years > MAX_YEAR || d.months > 12 * MAX_YEAR || d.weeks * 7 + d.days > 366 * MAX_YEAR;
  if (!units.every(Number.isSafeInteger) || tooLong) {
    return 'the duration is too long';
  }
  return d;
}

export function hasCalendarPart(d: IsoDuration): boolean {
  return d.years !== 0 || d.months !== 0 || d.weeks !== 0 || d.days !== 0;
}

export function isZeroDuration(d: IsoDuration): boolean {
  return !hasCalendarPart(d) && d.timeMs === 0;
}

/** Rough length in milliseconds (a month as 1/12 of an average year); only for estimates. */
export function approximateMs(d: IsoDuration): number {
  const day = 86_400_000;
  return (d.years * 12 + d.months) * 30.436875 * day + (d.weeks * 7 + d.days) * day + d.timeMs;
}

/**
 * `instant` plus `factor` times the duration, with calendar units applied to the wall clock in
 * `timeZone`. Years and months first (a day past the month's end is clamped: Jan 31 + P1M is
 * Feb 28/29), then weeks and days, then exact time. Throws a RangeError past year 9999.
 */
export function addIsoDuration(instant: Date, d: IsoDuration, timeZone: string, factor = 1): Date {
  let ms = instant.getTime();
  if (hasCalendarPart(d)) {
    const wall = wallTimeAt(ms, timeZone);
    const monthIndex = wall.year * 12 + (wall.month - 1) + factor * (d.years * 12 + d.months);
    const year = Math.floor(monthIndex / 12);
    const month = monthIndex - year * 12 + 1;
    checkYear(year);
    const day = Math.min(wall.day, daysInMonth(year, month));
    const epochDay = toEpochDay(formatLocalDate(year, month, day)) + factor * (d.weeks * 7 + d.days);
    checkYear(epochDay / 365.2425 + 1970);
    const [y, mo, da] = fromEpochDay(epochDay).split('-').map(Number);
    ms = wallTimeToInstant({ ...wall, year: y, month: mo, day: da }, timeZone).getTime();
  }
  const result = new Date(ms + factor * d.timeMs);
  checkYear(Number.isNaN(result.getTime()) ? Infinity : result.getUTCFullYear());
  return result;
}

function checkYear(year: number): void {
  if (!(year >= 1 && year <= MAX_YEAR)) throw new RangeError(`the time falls outside the years 1 to ${MAX_YEAR}`);
}
