/** A Clock that only moves when told to, so tests of deadlines never sleep. */
import type { Clock } from '../../clock.js';
import { addIsoDuration, parseIsoDuration } from './duration.js';

export class TestClock implements Clock {
  private current: number;

  /** Starts at `start` (a Date or an ISO date-time string); default 2030-01-01T00:00:00Z. */
  constructor(start: Date | string = '2030-01-01T00:00:00Z') {
    this.current = toMs(start);
  }

  /** A fresh Date each call, so callers cannot move the clock by mutating it. */
  now(): Date {
    return new Date(this.current);
  }

  /** Jumps to `date`, forward or back. */
  set(date: Date | string): Date {
    this.current = toMs(date);
    return this.now();
  }

  /**
   * Moves forward by `amount`: milliseconds, or an ISO 8601 duration ('P3D', 'PT2H', 'P1M').
   * Days, months and years in a duration follow the wall clock of `timeZone` (default UTC,
   * where a day is always 24 hours). Returns the new time.
   */
  advance(amount: number | string, timeZone = 'UTC'): Date {
    if (typeof amount === 'number') {
      if (!Number.isFinite(amount) || amount < 0) {
        throw new RangeError(`TestClock.advance needs a non-negative number of milliseconds; got ${amount}. Use set() to go back.`);
      }
      this.current += amount;
      return this.now();
    }
    const duration = parseIsoDuration(amount);
    if (typeof duration === 'string') throw new RangeError(`TestClock.advance("${amount}"): ${duration}.`);
    this.current = addIsoDuration(this.now(), duration, timeZone).getTime();
    return this.now();
  }
}

function toMs(date: Date | string): number {
  const ms = typeof date === 'string' ? Date.parse(date) : date.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`TestClock: "${String(date)}" is not a valid date-time.`);
  return ms;
}
