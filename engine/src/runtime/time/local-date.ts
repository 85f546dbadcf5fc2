/**
 * Local calendar dates ('YYYY-MM-DD') and wall-clock date-times, with no time zone attached.
 * A local date is the date printed on a wall calendar in some zone; it is never shifted by a
 * UTC conversion. Arithmetic runs on day numbers (days since 1970-01-01), so it is exact.
 */

/** A calendar date written 'YYYY-MM-DD'. */
export type LocalDate = string;

/** A wall-clock date and time in some (unstated) zone. `month` is 1-12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL_CLOCK = /^(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;

/** Milliseconds since the epoch of a wall time read as if it were UTC (years 0-99 included). */
export function wallToUtcMs(w: WallTime): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, w.millisecond);
  return d.getTime();
}

/** The wall time a UTC millisecond value reads as in UTC. */
export function utcMsToWall(ms: number): WallTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(wallToUtcMs({ year, month: month + 1, day: 0, hour: 0, minute: 0, second: 0, millisecond: 0 })).getUTCDate();
}

/** `{year, month, day}` of a valid 'YYYY-MM-DD' string, or null when it is not a real date. */
export function parseLocalDate(text: string): { year: number; month: number; day: number } | null {
  const m = LOCAL_DATE.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isLocalDate(value: unknown): value is LocalDate {
  return typeof value === 'string' && parseLocalDate(value) !== null;
}

/** The parsed date, or a RangeError naming the argument. */
export function requireLocalDate(text: unknown, what = 'date'): { year: number; month: number; day: number } {
  const parsed = typeof text === 'string' ? parseLocalDate(text) : null;
  if (!parsed) throw new RangeError(`The ${what} "${String(text)}" is not a calendar date written YYYY-MM-DD.`);
  return parsed;
}

/** Parses 'HH:MM', 'HH:MM:SS' or 'HH:MM:SS.fff' (24-hour clock), or null. */
export function parseWallClock(text: string): { hour: number; minute: number; second: number; millisecond: number } | null {
  const m = WALL_CLOCK.exec(text);
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  const second = m[3] === undefined ? 0 : Number(m[3]);
  const millisecond = m[4] === undefined ? 0 : Number(m[4].slice(0, 3).padEnd(3, '0'));
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { hour, minute, second, millisecond };
}

export function formatLocalDate(year: number, month: number, day: number): LocalDate {
  const y = year < 0 ? `-${String(-year).padStart(6, '0')}` : String(year).padStart(4, '0');
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Days since 1970-01-01 of a valid local date. */
export function toEpochDay(date: LocalDate): number {
  const { year, month, day } = requireLocalDate(date);
  return Math.round(wallToUtcMs({ year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0 }) / DAY_MS);
}

export function fromEpochDay(epochDay: number): LocalDate {
  const w = utcMsToWall(epochDay * DAY_MS);
  return formatLocalDate(w.year, w.month, w.day);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const dow = new Date(toEpochDay(date) * DAY_MS).getUTCDay();
  return dow === 0 ? 7 : dow;
}
