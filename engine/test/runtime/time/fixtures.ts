/** Shared calendar and environment for the time-layer tests. */
import { BusinessCalendar, FeelError, TestClock, type FeelEnv } from '../../../src/runtime/time/index.js';

/** Los Angeles; Thanksgiving 2031 (Thu 27) and the day after, and Christmas. DST 2031: Mar 9, Nov 2. */
export const calendar = new BusinessCalendar({
  timeZone: 'America/Los_Angeles',
  holidays: ['2031-11-27', '2031-11-28', '2031-12-25'],
});

export function env(start: string | Date = '2031-01-06T17:00:00Z'): FeelEnv & { clock: TestClock } {
  return { clock: new TestClock(start), calendar };
}

export const iso = (d: Date) => d.toISOString();

/** The FeelError `run` throws (anything else it throws, or nothing, fails the test). */
export function feelError(run: () => unknown): FeelError {
  try {
    run();
  } catch (err) {
    if (err instanceof FeelError) return err;
    throw err;
  }
  throw new Error('expected a FeelError');
}
