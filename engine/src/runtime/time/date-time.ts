/**
 * Reading date-time text: '2031-03-08T08:00:00Z', '...-08:00', '...+02:00[Europe/Berlin]',
 * FEEL's '...@America/Los_Angeles', a local '2031-03-08T08:00' and a plain date '2031-03-08'.
 * Text without an offset is wall-clock time in a zone: the one named in the text, else the
 * default zone the caller gives (the business calendar's). A plain date means 00:00 there.
 */
import { type WallTime, parseLocalDate, parseWallClock, wallToUtcMs } from './local-date.js';
import { isValidTimeZone, wallTimeToInstant } from './zone.js';

const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)(Z|[+-]\d{2}(?::?\d{2})?)?(?:@([^\s@[\]]+)|\[([^\]]+)\])?)?$/;

export type ParsedDateTime =
  | { kind: 'instant'; at: Date }
  /** `zone` null: the caller's default zone applies. */
  | { kind: 'wall'; wall: WallTime; zone: string | null };

/** The parsed text, or a plain-words reason why it is not a date-time. */
export function parseDateTime(text: string): ParsedDateTime | string {
  const m = DATE_TIME.exec(text.trim());
  const date = m ? parseLocalDate(m[1]) : null;
  if (!m || !date) {
    return 'it is not a date-time such as 2031-03-08T08:00:00Z, 2031-03-08T08:00:00-08:00, 2031-03-08T08:00 or a date 2031-03-08';
  }
  const clock = m[2] === undefined ? { hour: 0, minute: 0, second: 0, millisecond: 0 } : parseWallClock(m[2]);
  if (!clock) return `"${m[2]}" is not a time of day (24-hour clock)`;
  const wall: WallTime = { ...date, ...clock };
  const zone = m[4] ?? m[5] ?? null;
  if (zone !== null && !isValidTimeZone(zone)) return `"${zone}" is not a known time zone`;
  const offset = m[3];
  if (offset === undefined) return { kind: 'wall', wall, zone };
  const at = new Date(wallToUtcMs(wall) - offsetMs(offset));
  if (Number.isNaN(at.getTime())) return 'the date-time is out of range';
  return { kind: 'instant', at };
}

/** The instant the parsed text names, reading wall-clock text in its own zone or `defaultZone`. */
export function toInstant(parsed: ParsedDateTime, defaultZone: string): Date {
  return parsed.kind === 'instant' ? parsed.at : wallTimeToInstant(parsed.wall, parsed.zone ?? defaultZone);
}

function offsetMs(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes) * 60_000;
}
