import { describe, expect, it } from 'vitest';
import {
  FeelError,
  TimerSpecError,
  computeDue,
  isValidTimerValue,
  type DueSpec,
  type DueTime,
} from '../../../src/runtime/time/index.js';
import { env, iso } from './fixtures.js';

type Env = ReturnType<typeof env>;
const MONDAY_9AM = new Date('2031-01-06T17:00:00Z'); // Monday 09:00 PST

function due(e: Env, spec: Omit<DueSpec, 'from'> & { from?: Date }): DueTime {
  return computeDue({ from: e.clock.now(), ...spec }, e);
}
const dueAt = (e: Env, timerType: DueSpec['timerType'], value: string, from = e.clock.now()) => iso(due(e, { timerType, value, from }).dueAt);

describe('computeDue: timeDuration', () => {
  it('adds ISO durations to the start time', () => {
    const e = env(MONDAY_9AM);
    expect(dueAt(e, 'timeDuration', 'P14D')).toBe('2031-01-20T17:00:00.000Z');
    expect(dueAt(e, 'timeDuration', 'PT2H')).toBe('2031-01-06T19:00:00.000Z');
    expect(dueAt(e, 'timeDuration', 'P1DT12H')).toBe('2031-01-08T05:00:00.000Z');
    expect(dueAt(e, 'timeDuration', 'P3M')).toBe('2031-04-06T16:00:00.000Z'); // 09:00 PDT
    expect(dueAt(e, 'timeDuration', 'PT0S')).toBe('2031-01-06T17:00:00.000Z');
    expect(due(e, { timerType: 'timeDuration', value: 'P14D' }).repeat).toBeUndefined();
  });

  it('handles 435-day deadlines exactly (Date arithmetic, no timer overflow)', () => {
    const e = env(MONDAY_9AM);
    expect(dueAt(e, 'timeDuration', 'P435D')).toBe('2032-03-16T16:00:00.000Z'); // 09:00 PDT on 2032-03-16
    expect(dueAt(e, 'timeDuration', 'PT10440H')).toBe('2032-03-16T17:00:00.000Z'); // 435 x 24 exact hours
    expect(dueAt(e, 'timeDuration', 'P1Y2M10DT2H30M')).toBe('2032-03-16T18:30:00.000Z');
  });

  it('keeps the local time of day when days cross DST, while hours are exact', () => {
    const e = env();
    const springEve = new Date('2031-03-08T16:00:00Z'); // Sat 08:00 PST
    expect(dueAt(e, 'timeDuration', 'P1D', springEve)).toBe('2031-03-09T15:00:00.000Z'); // Sun 08:00 PDT
    expect(dueAt(e, 'timeDuration', 'PT24H', springEve)).toBe('2031-03-09T16:00:00.000Z'); // Sun 09:00 PDT
    const fallEve = new Date('2031-11-01T15:00:00Z'); // Sat 08:00 PDT
    expect(dueAt(e, 'timeDuration', 'P1D', fallEve)).toBe('2031-11-02T16:00:00.000Z'); // Sun 08:00 PST
    expect(dueAt(e, 'timeDuration', 'PT24H', fallEve)).toBe('2031-11-02T15:00:00.000Z'); // Sun 07:00 PST
  });

  it('clamps month arithmetic to the end of the month', () => {
    const e = env();
    expect(dueAt(e, 'timeDuration', 'P1M', new Date('2031-01-31T17:00:00Z'))).toBe('2031-02-28T17:00:00.000Z');
    expect(dueAt(e, 'timeDuration', 'P1M', new Date('2032-01-31T17:00:00Z'))).toBe('2032-02-29T17:00:00.000Z');
    expect(dueAt(e, 'timeDuration', 'P1Y', new Date('2032-02-29T17:00:00Z'))).toBe('2033-02-28T17:00:00.000Z');
  });

  it('evaluates "=" values as FEEL giving a duration', () => {
    const e = env(MONDAY_9AM);
    const value = '= if priority = "high" then "P1D" else duration("P14D")';
    expect(iso(due(e, { timerType: 'timeDuration', value, variables: { priority: 'high' } }).dueAt)).toBe('2031-01-07T17:00:00.000Z');
    expect(iso(due(e, { timerType: 'timeDuration', value, variables: { priority: 'low' } }).dueAt)).toBe('2031-01-20T17:00:00.000Z');
  });
});

describe('computeDue: timeDate', () => {
  it('reads date-times with offset, local date-times and plain dates', () => {
    const e = env(MONDAY_9AM);
    expect(dueAt(e, 'timeDate', '2031-03-08T08:00:00Z')).toBe('2031-03-08T08:00:00.000Z');
    expect(dueAt(e, 'timeDate', '2031-03-08T08:00:00-05:00')).toBe('2031-03-08T13:00:00.000Z');
    expect(dueAt(e, 'timeDate', '2031-03-08T08:00:00+01:00[Europe/Berlin]')).toBe('2031-03-08T07:00:00.000Z');
    expect(dueAt(e, 'timeDate', '2031-07-01T08:00')).toBe('2031-07-01T15:00:00.000Z'); // local, PDT
    expect(dueAt(e, 'timeDate', '2031-03-08')).toBe('2031-03-08T08:00:00.000Z'); // 00:00 PST
    expect(dueAt(e, 'timeDate', '2031-03-09T02:30')).toBe('2031-03-09T10:30:00.000Z'); // in the gap: 03:30 PDT
    expect(dueAt(e, 'timeDate', '2030-01-01T00:00:00Z')).toBe('2030-01-01T00:00:00.000Z'); // past: returned as is
  });

  it('evaluates "=" values: business-day deadlines come through FEEL', () => {
    const e = env(MONDAY_9AM);
    const spec = { timerType: 'timeDate' as const, variables: { terminationDate: '2031-11-21' } };
    // 7 business days after Friday 2031-11-21 is Thursday 2031-12-04, 00:00 in Los Angeles.
    expect(iso(due(e, { ...spec, value: '= add business days(date(terminationDate), 7)' }).dueAt)).toBe('2031-12-04T08:00:00.000Z');
    const endOfDay = '= date and time(add business days(date(terminationDate), 7), time("17:00"))';
    expect(iso(due(e, { ...spec, value: endOfDay }).dueAt)).toBe('2031-12-05T01:00:00.000Z');
    expect(iso(computeDue({ timerType: 'timeDate', value: new Date('2031-05-05T05:05:05Z'), from: MONDAY_9AM }, e).dueAt)).toBe('2031-05-05T05:05:05.000Z');
  });
});

describe('computeDue: timeCycle', () => {
  it('fires at 08:00 local every day before and after the spring-forward change', () => {
    const e = env('2031-03-01T00:00:00Z');
    const value = 'R/2031-03-08T08:00/P1D';
    const first = due(e, { timerType: 'timeCycle', value });
    expect(iso(first.dueAt)).toBe('2031-03-08T16:00:00.000Z'); // PST
    expect(first.repeat).toBe(-1);
    e.clock.set(first.dueAt);
    const second = due(e, { timerType: 'timeCycle', value, after: first.dueAt });
    expect(iso(second.dueAt)).toBe('2031-03-09T15:00:00.000Z'); // PDT
    e.clock.set(second.dueAt);
    expect(iso(due(e, { timerType: 'timeCycle', value, after: second.dueAt }).dueAt)).toBe('2031-03-10T15:00:00.000Z');
  });

  it('fires at 08:00 local every day across the fall-back change', () => {
    const e = env('2031-10-30T00:00:00Z');
    const value = 'R/2031-11-01T08:00/P1D';
    const first = due(e, { timerType: 'timeCycle', value });
    expect(iso(first.dueAt)).toBe('2031-11-01T15:00:00.000Z'); // PDT
    e.clock.set(first.dueAt);
    expect(iso(due(e, { timerType: 'timeCycle', value, after: first.dueAt }).dueAt)).toBe('2031-11-02T16:00:00.000Z'); // PST
  });

  it('skips occurrences missed while the engine was down', () => {
    const e = env('2031-03-12T12:00:00Z'); // 05:00 PDT, three days after the last firing
    const value = 'R/2031-03-08T08:00/P1D';
    expect(iso(due(e, { timerType: 'timeCycle', value, after: new Date('2031-03-09T15:00:00Z') }).dueAt)).toBe('2031-03-12T15:00:00.000Z');
    e.clock.set('2031-03-12T15:00:00Z'); // exactly at an occurrence: the next one is strictly later
    expect(iso(due(e, { timerType: 'timeCycle', value, after: new Date('2031-03-09T15:00:00Z') }).dueAt)).toBe('2031-03-13T15:00:00.000Z');
  });

  it('uses the later of the previous firing and now', () => {
    const e = env('2031-03-08T00:00:00Z');
    const after = new Date('2031-03-10T15:00:00Z'); // fired "in the future" of this clock
    expect(iso(due(e, { timerType: 'timeCycle', value: 'R/2031-03-08T08:00/P1D', after }).dueAt)).toBe('2031-03-11T15:00:00.000Z');
  });

  it('fires once now when it never fired and its first occurrence fell due while the engine was down', () => {
    const e = env('2031-03-10T20:00:00Z');
    const from = new Date('2031-03-07T12:00:00Z'); // armed before the first occurrence
    const unbounded = due(e, { timerType: 'timeCycle', value: 'R/2031-03-08T08:00/P1D', from });
    expect(unbounded).toEqual({ dueAt: new Date('2031-03-10T20:00:00Z'), repeat: -1 });
    // R5: the occurrences of the 8th, 9th and 10th are past; the catch-up firing takes the 10th's place.
    const bounded = due(e, { timerType: 'timeCycle', value: 'R5/2031-03-08T08:00/P1D', from });
    expect(bounded).toEqual({ dueAt: new Date('2031-03-10T20:00:00Z'), repeat: 2 });
    const next = due(e, { timerType: 'timeCycle', value: 'R5/2031-03-08T08:00/P1D', after: bounded.dueAt });
    expect(next).toEqual({ dueAt: new Date('2031-03-11T15:00:00Z'), repeat: 1 });
  });

  it('does not count occurrences from before the timer started', () => {
    // A daily 08:00 reminder armed at 09:00 first fires tomorrow at 08:00, not at once.
    const e = env(MONDAY_9AM);
    expect(due(e, { timerType: 'timeCycle', value: 'R/2031-01-06T08:00/P1D' })).toEqual({ dueAt: new Date('2031-01-07T16:00:00Z'), repeat: -1 });
    // R3 started a week ago: its three slots are all before the timer started; it keeps counting at 0.
    expect(due(e, { timerType: 'timeCycle', value: 'R3/2030-12-30T08:00/P1D' })).toEqual({ dueAt: new Date('2031-01-07T16:00:00Z'), repeat: 0 });
  });

  it('fires an occurrence that falls exactly when the timer starts', () => {
    const e = env(MONDAY_9AM);
    expect(due(e, { timerType: 'timeCycle', value: 'R/2031-01-06T09:00/P1D' })).toEqual({ dueAt: MONDAY_9AM, repeat: -1 });
  });

  it('counts down R<n> cycles without a start from the timer start', () => {
    const e = env(MONDAY_9AM);
    const spec = { timerType: 'timeCycle' as const, value: 'R3/PT4H', from: MONDAY_9AM };
    const first = computeDue(spec, e);
    expect(first).toEqual({ dueAt: new Date('2031-01-06T21:00:00Z'), repeat: 2 });
    e.clock.set(first.dueAt);
    const second = computeDue({ ...spec, after: first.dueAt }, e);
    expect(second).toEqual({ dueAt: new Date('2031-01-07T01:00:00Z'), repeat: 1 });
    e.clock.set(second.dueAt);
    expect(computeDue({ ...spec, after: second.dueAt }, e)).toEqual({ dueAt: new Date('2031-01-07T05:00:00Z'), repeat: 0 });
  });

  it('steps days on the wall clock for a cycle without a start', () => {
    const e = env('2031-03-08T16:00:00Z');
    expect(iso(due(e, { timerType: 'timeCycle', value: 'R/P1D' }).dueAt)).toBe('2031-03-09T15:00:00.000Z');
  });

  it('counts months from the start, not from the previous occurrence', () => {
    const e = env('2031-02-28T17:00:00Z');
    const value = 'R/2031-01-31T09:00/P1M';
    const next = due(e, { timerType: 'timeCycle', value, after: new Date('2031-02-28T17:00:00Z') });
    expect(iso(next.dueAt)).toBe('2031-03-31T16:00:00.000Z'); // the 31st again, 09:00 PDT
  });

  it('finds the next occurrence of a fine-grained cycle decades after its start quickly', () => {
    const e = env('2031-06-15T12:34:56.789Z');
    const started = Date.now();
    const next = due(e, { timerType: 'timeCycle', value: 'R/2000-01-01T00:00:00Z/PT1M', after: new Date('2000-01-01T00:00:00Z') });
    expect(iso(next.dueAt)).toBe('2031-06-15T12:35:00.000Z');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('reports repeat 0 once the slots of an R<n> cycle are used up', () => {
    const e = env('2031-03-09T15:00:00Z');
    const next = due(e, { timerType: 'timeCycle', value: 'R2/2031-03-08T08:00/P1D', after: new Date('2031-03-09T15:00:00Z') });
    expect(next).toEqual({ dueAt: new Date('2031-03-10T15:00:00Z'), repeat: 0 });
  });
});

describe('computeDue: errors', () => {
  const e = env(MONDAY_9AM);
  const specError = (timerType: DueSpec['timerType'], value: string, variables?: Record<string, unknown>) => {
    try {
      computeDue({ timerType, value, from: MONDAY_9AM, variables }, e);
    } catch (err) {
      if (err instanceof TimerSpecError || err instanceof FeelError) return err;
      throw err;
    }
    throw new Error('expected an error');
  };

  it('names the value and the reason', () => {
    const err = specError('timeDuration', 'P14X');
    expect(err).toBeInstanceOf(TimerSpecError);
    expect(err.message).toBe(
      'The timer duration "P14X" is not valid: it is not an ISO 8601 duration such as P14D (14 days), PT2H (2 hours) or P1M (1 month).',
    );
    expect(specError('timeDuration', '-P1D').message).toMatch(/cannot be negative/);
    expect(specError('timeDate', '2031-02-30').message).toMatch(/"2031-02-30" is not valid: it is not a date-time/);
    expect(specError('timeCycle', 'R0/P1D').message).toMatch(/R0 would never fire/);
    expect(specError('timeCycle', 'R/PT0S').message).toMatch(/at least one second/);
    expect(specError('timeCycle', 'P1D').message).toMatch(/not a repeating cycle/);
    expect(specError('timeCycle', 'R/P1D/2031-01-01').message).toMatch(/a cycle with an end date is not supported/);
    expect(specError('timeCycle', 'R/2031-13-01/P1D').message).toMatch(/the start "2031-13-01" is not valid/);
    expect(specError('timeCycle', 'R/2031-01-01/P1X').message).toMatch(/the period "P1X" is not valid/);
    expect(specError('timeCycle', 'R/2031-01-01/P1D/x').message).toMatch(/not a repeating cycle/);
    expect(specError('timeDuration', 'P3000000D').message).toMatch(/outside the years 1 to 9999/);
    expect(specError('timeDuration', 'P99999999D').message).toMatch(/too long/);
  });

  it('says what a "=" value gave when it is not usable, and passes FEEL errors through', () => {
    expect(specError('timeDate', '= missingDate').message).toBe(
      'The timer date "= missingDate" is not valid: the expression gave no value (null), not a date or date-time.',
    );
    expect(specError('timeDuration', '= 14').message).toMatch(/gave 14, not a duration/);
    expect(specError('timeDate', '= date(').constructor).toBe(FeelError);
    expect(specError('timeDuration', '= "P14X"').message).toMatch(/^The timer duration "= "P14X"" is not valid: the expression gave "P14X", and it is not an ISO 8601 duration/);
  });

  it('refuses unknown timer types', () => {
    expect(() => computeDue({ timerType: 'timeFoo' as never, value: 'P1D', from: MONDAY_9AM }, e)).toThrow(/"timeFoo" is not a timer type/);
  });
});

describe('isValidTimerValue', () => {
  it('returns null for valid literal values', () => {
    for (const [type, value] of [
      ['timeDuration', 'P14D'],
      ['timeDuration', 'PT2H'],
      ['timeDuration', 'P1Y2M10DT2H30M'],
      ['timeDate', '2031-03-08T08:00:00Z'],
      ['timeDate', '2031-03-08'],
      ['timeCycle', 'R/P1D'],
      ['timeCycle', 'R3/PT10M'],
      ['timeCycle', 'R/2031-03-08T08:00/P1D'],
      ['timeCycle', 'R5/2031-03-08T08:00:00-08:00/P1W'],
    ]) {
      expect(isValidTimerValue(type, value), `${type} ${value}`).toBeNull();
    }
  });

  it('returns a sentence for invalid ones', () => {
    expect(isValidTimerValue('timeDuration', '14 days')).toMatch(/^The timer duration "14 days" is not valid: /);
    expect(isValidTimerValue('timeDate', 'tomorrow')).toMatch(/^The timer date "tomorrow" is not valid: /);
    expect(isValidTimerValue('timeCycle', 'every day')).toMatch(/^The timer cycle "every day" is not valid: /);
    expect(isValidTimerValue('timeDuration', '')).toMatch(/it is empty/);
    expect(isValidTimerValue('timeFoo', 'P1D')).toMatch(/"timeFoo" is not a timer type/);
  });

  it('checks "=" values for FEEL syntax only', () => {
    expect(isValidTimerValue('timeDate', '= add business days(date(terminationDate), 7)')).toBeNull();
    expect(isValidTimerValue('timeDate', '= add business days(')).toBe(
      'The timer date "= add business days(" is not valid FEEL: it is incomplete, something is missing at the end.',
    );
  });
});
