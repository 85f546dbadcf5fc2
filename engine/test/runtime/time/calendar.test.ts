import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { BusinessCalendar, validateCalendarConfig } from '../../../src/runtime/time/index.js';
import { calendar, iso } from './fixtures.js';

describe('BusinessCalendar: business days', () => {
  it('knows weekends and holidays', () => {
    expect(calendar.isBusinessDay('2031-11-21')).toBe(true); // Friday
    expect(calendar.isBusinessDay('2031-11-22')).toBe(false); // Saturday
    expect(calendar.isBusinessDay('2031-11-23')).toBe(false); // Sunday
    expect(calendar.isBusinessDay('2031-11-27')).toBe(false); // Thanksgiving
    expect(calendar.isBusinessDay('2031-11-28')).toBe(false); // day after
    expect(calendar.isBusinessDay('2031-12-01')).toBe(true);
  });

  it('adds business days across a weekend', () => {
    expect(calendar.addBusinessDays('2031-11-21', 1)).toBe('2031-11-24'); // Fri -> Mon
    expect(calendar.addBusinessDays('2031-11-20', 3)).toBe('2031-11-25'); // Thu -> Tue
    expect(calendar.addBusinessDays('2031-11-22', 1)).toBe('2031-11-24'); // Sat -> Mon
  });

  it('adds business days across the configured holidays', () => {
    expect(calendar.addBusinessDays('2031-11-26', 1)).toBe('2031-12-01'); // Wed -> skips Thu, Fri holidays and weekend
    expect(calendar.addBusinessDays('2031-11-21', 7)).toBe('2031-12-04');
  });

  it('counts back for negative n', () => {
    expect(calendar.addBusinessDays('2031-11-24', -1)).toBe('2031-11-21'); // Mon -> Fri
    expect(calendar.addBusinessDays('2031-12-01', -1)).toBe('2031-11-26'); // over holidays and weekend
    expect(calendar.addBusinessDays('2031-11-22', -1)).toBe('2031-11-21'); // Sat -> Fri
    expect(calendar.addBusinessDays('2031-12-04', -7)).toBe('2031-11-21');
  });

  it('n = 0 keeps a business day and rolls any other day forward', () => {
    expect(calendar.addBusinessDays('2031-11-21', 0)).toBe('2031-11-21');
    expect(calendar.addBusinessDays('2031-11-22', 0)).toBe('2031-11-24');
    expect(calendar.addBusinessDays('2031-11-27', 0)).toBe('2031-12-01');
  });

  it('counts business days between dates, as the inverse of addBusinessDays', () => {
    expect(calendar.businessDaysBetween('2031-11-21', '2031-12-04')).toBe(7);
    expect(calendar.businessDaysBetween('2031-12-04', '2031-11-21')).toBe(-7);
    expect(calendar.businessDaysBetween('2031-11-21', '2031-11-21')).toBe(0);
    expect(calendar.businessDaysBetween('2031-11-22', '2031-11-24')).toBe(1);
    expect(calendar.businessDaysBetween('2031-11-26', '2031-12-01')).toBe(1);
  });

  it('agrees with day-by-day counting over two years', () => {
    const days: string[] = [];
    for (let d = new Date('2031-01-01T00:00:00Z'); d < new Date('2033-01-01T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) {
      days.push(d.toISOString().slice(0, 10));
    }
    const naive = (a: number, b: number) => days.slice(a + 1, b + 1).filter((day) => calendar.isBusinessDay(day)).length;
    for (let i = 0; i < 200; i += 1) {
      const a = (i * 37) % days.length;
      const b = (i * 101 + 13) % days.length;
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      expect(calendar.businessDaysBetween(days[lo], days[hi])).toBe(naive(lo, hi));
      if (calendar.isBusinessDay(days[b])) {
        expect(calendar.addBusinessDays(days[a], calendar.businessDaysBetween(days[a], days[b]))).toBe(days[b]);
      }
    }
  });

  it('honours a custom weekend', () => {
    const sundayOnly = new BusinessCalendar({ timeZone: 'UTC', weekend: [7], holidays: [] });
    expect(sundayOnly.addBusinessDays('2031-11-21', 1)).toBe('2031-11-22'); // Fri -> Sat
    expect(sundayOnly.addBusinessDays('2031-11-22', 1)).toBe('2031-11-24'); // Sat -> Mon
  });

  it('refuses bad arguments with plain messages', () => {
    expect(() => calendar.addBusinessDays('2031-02-30', 1)).toThrow(/"2031-02-30" is not a calendar date/);
    expect(() => calendar.addBusinessDays('11/21/2031', 1)).toThrow(/YYYY-MM-DD/);
    expect(() => calendar.addBusinessDays('2031-11-21', 1.5)).toThrow(/whole number/);
    expect(() => calendar.addBusinessDays('2031-11-21', 1e9)).toThrow(/whole number/);
  });
});

describe('BusinessCalendar: local dates and wall times', () => {
  it('gives the local date of an instant in the calendar zone, not UTC', () => {
    expect(calendar.localDate(new Date('2031-03-09T07:59:00Z'))).toBe('2031-03-08'); // 23:59 PST
    expect(calendar.localDate(new Date('2031-03-09T08:00:00Z'))).toBe('2031-03-09');
    expect(calendar.localDate(new Date('2031-07-01T06:59:00Z'))).toBe('2031-06-30'); // 23:59 PDT
  });

  it('turns local date and wall time into the right instant on both sides of DST', () => {
    expect(iso(calendar.toInstant('2031-03-08', '08:00'))).toBe('2031-03-08T16:00:00.000Z'); // PST
    expect(iso(calendar.toInstant('2031-03-09', '08:00'))).toBe('2031-03-09T15:00:00.000Z'); // PDT
    expect(iso(calendar.toInstant('2031-11-01', '08:00'))).toBe('2031-11-01T15:00:00.000Z'); // PDT
    expect(iso(calendar.toInstant('2031-11-02', '08:00'))).toBe('2031-11-02T16:00:00.000Z'); // PST
    expect(iso(calendar.toInstant('2031-03-08'))).toBe('2031-03-08T08:00:00.000Z'); // midnight by default
  });

  it('moves a wall time in the spring-forward gap forward', () => {
    // 02:30 does not exist on 2031-03-09; it becomes 03:30 PDT.
    expect(iso(calendar.toInstant('2031-03-09', '02:30'))).toBe('2031-03-09T10:30:00.000Z');
    expect(iso(calendar.toInstant('2031-03-09', '03:00'))).toBe('2031-03-09T10:00:00.000Z');
  });

  it('takes the first occurrence of a wall time repeated at fall-back', () => {
    expect(iso(calendar.toInstant('2031-11-02', '01:30'))).toBe('2031-11-02T08:30:00.000Z'); // 01:30 PDT
    expect(iso(calendar.toInstant('2031-11-02', '02:00'))).toBe('2031-11-02T10:00:00.000Z'); // PST
  });

  it('works in zones east of UTC and with half-hour offsets', () => {
    const kolkata = new BusinessCalendar({ timeZone: 'Asia/Kolkata', holidays: [] });
    expect(iso(kolkata.toInstant('2031-01-01', '00:00'))).toBe('2030-12-31T18:30:00.000Z');
    expect(kolkata.localDate(new Date('2030-12-31T18:30:00Z'))).toBe('2031-01-01');
    const berlin = new BusinessCalendar({ timeZone: 'Europe/Berlin', holidays: [] });
    expect(iso(berlin.toInstant('2031-03-30', '02:30'))).toBe('2031-03-30T01:30:00.000Z'); // gap -> 03:30 CEST
  });

  it('refuses a bad time of day', () => {
    expect(() => calendar.toInstant('2031-03-08', '25:00')).toThrow(/HH:MM/);
  });
});

describe('BusinessCalendar: configuration', () => {
  it('defaults the weekend to Saturday and Sunday', () => {
    expect(calendar.weekend).toEqual([6, 7]);
    expect(calendar.holidays).toEqual(['2031-11-27', '2031-11-28', '2031-12-25']);
  });

  it('reports every problem with a path and a clear message', () => {
    let error: unknown;
    try {
      new BusinessCalendar({ timeZone: 'America/Nowhere', weekend: [0, 6], holidays: ['2031-11-27', '2031-02-30', 'Thanksgiving'] });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([
      { path: '/timeZone', message: expect.stringMatching(/"America\/Nowhere" is not a known time zone/) },
      { path: '/weekend/0', message: expect.stringMatching(/weekday number from 1 \(Monday\) to 7 \(Sunday\)/) },
      { path: '/holidays/1', message: '"2031-02-30" is not a calendar date written YYYY-MM-DD.' },
      { path: '/holidays/2', message: '"Thanksgiving" is not a calendar date written YYYY-MM-DD.' },
    ]);
  });

  it('refuses a week without business days and missing holidays', () => {
    expect(validateCalendarConfig({ timeZone: 'UTC', weekend: [1, 2, 3, 4, 5, 6, 7], holidays: [] })).toEqual([
      { path: '/weekend', message: 'At least one day of the week must be a business day.' },
    ]);
    expect(validateCalendarConfig({ timeZone: 'UTC' })).toEqual([{ path: '/holidays', message: expect.stringMatching(/list of dates/) }]);
    expect(validateCalendarConfig(null)).toHaveLength(1);
    expect(validateCalendarConfig({ timeZone: 'UTC', holidays: [] })).toEqual([]);
  });
});
