import { describe, expect, it } from 'vitest';
import { TestClock } from '../../../src/runtime/time/index.js';

describe('TestClock', () => {
  it('starts where told and does not move by itself', () => {
    const clock = new TestClock('2031-01-06T17:00:00Z');
    expect(clock.now().toISOString()).toBe('2031-01-06T17:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2031-01-06T17:00:00.000Z');
  });

  it('has a fixed default start', () => {
    expect(new TestClock().now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });

  it('hands out copies, so mutating a returned Date does not move it', () => {
    const clock = new TestClock(new Date('2031-01-06T17:00:00Z'));
    clock.now().setUTCFullYear(1999);
    expect(clock.now().getUTCFullYear()).toBe(2031);
  });

  it('set jumps anywhere, including back', () => {
    const clock = new TestClock('2031-01-06T17:00:00Z');
    expect(clock.set('2030-05-01T00:00:00Z').toISOString()).toBe('2030-05-01T00:00:00.000Z');
    clock.set(new Date('2032-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2032-01-01T00:00:00.000Z');
  });

  it('advances by milliseconds and by ISO durations', () => {
    const clock = new TestClock('2031-01-06T17:00:00Z');
    expect(clock.advance(1500).toISOString()).toBe('2031-01-06T17:00:01.500Z');
    clock.set('2031-01-06T17:00:00Z');
    expect(clock.advance('PT2H').toISOString()).toBe('2031-01-06T19:00:00.000Z');
    expect(clock.advance('P3D').toISOString()).toBe('2031-01-09T19:00:00.000Z');
    expect(clock.advance('P1M').toISOString()).toBe('2031-02-09T19:00:00.000Z');
    expect(clock.advance('P435D').toISOString()).toBe('2032-04-19T19:00:00.000Z');
  });

  it('advances calendar days on a zone wall clock when asked (23 hours across spring-forward)', () => {
    const clock = new TestClock('2031-03-08T16:00:00Z'); // 08:00 PST
    expect(clock.advance('P1D', 'America/Los_Angeles').toISOString()).toBe('2031-03-09T15:00:00.000Z'); // 08:00 PDT
  });

  it('refuses to go back or to read nonsense', () => {
    const clock = new TestClock('2031-01-06T17:00:00Z');
    expect(() => clock.advance(-1)).toThrow(/set\(\)/);
    expect(() => clock.advance('3 days')).toThrow(/ISO 8601 duration/);
    expect(() => clock.set('not a date')).toThrow(/not a valid date-time/);
  });
});
