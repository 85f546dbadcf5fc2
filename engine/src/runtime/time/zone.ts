/**
 * Time-zone arithmetic over the platform's IANA database (Intl.DateTimeFormat): the wall time
 * an instant reads as in a zone, and the instant a wall time names (DST-correct).
 */
import { LruCache } from '../lru-cache.js';
import { type WallTime, wallToUtcMs } from './local-date.js';

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the platform knows the IANA zone name (e.g. 'America/Los_Angeles', 'UTC'). */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall time the instant `ms` reads as in `timeZone`. */
export function wallTimeAt(ms: number, timeZone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  const yearOfEra = Number(parts.year);
  return {
    year: parts.era === 'BC' || parts.era === 'B' ? 1 - yearOfEra : yearOfEra,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: ((ms % 1000) + 1000) % 1000,
  };
}

/** The zone's offset from UTC at the instant `ms`, in milliseconds (PDT: -7 h). */
export function offsetAt(ms: number, timeZone: string): number {
  return wallToUtcMs(wallTimeAt(ms, timeZone)) - ms;
}

/**
 * The instant at which the zone's clocks read `wall`. A wall time skipped by a spring-forward
 * change moves forward by the size of the gap (02:30 on the change day becomes 03:30 daylight
 * time); a wall time that occurs twice in a fall-back change takes the first (daylight) one.
 */
export function wallTimeToInstant(wall: WallTime, timeZone: string): Date {
  const asUtc = wallToUtcMs(wall);
  // Four formatToParts calls each: remembered, as the same days come up again and again.
  const key = `${timeZone} ${asUtc}`;
  let ms = instants.get(key);
  if (ms === undefined) instants.set(key, (ms = instantOf(asUtc, timeZone)));
  return new Date(ms);
}

const instants = new LruCache<string, number>(10_000);

function instantOf(asUtc: number, timeZone: string): number {
  // Offsets in force a day before and a day after cover any single transition near `wall`.
  const before = offsetAt(asUtc - 24 * HOUR_MS, timeZone);
  const after = offsetAt(asUtc + 24 * HOUR_MS, timeZone);
  const matches = [...new Set([before, after])]
    .map((offset) => asUtc - offset)
    .filter((ms) => wallToUtcMs(wallTimeAt(ms, timeZone)) === asUtc);
  if (matches.length > 0) return Math.min(...matches);
  // In a gap: read the wall time with the offset from before the change, which lands after it.
  return asUtc - before;
}
