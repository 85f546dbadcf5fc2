import { describe, expect, it } from 'vitest';
import { RateLimiter, RequestLimits, TooManyRequestsError } from '../../src/auth/rate-limiter.js';
import { TestClock } from '../../src/runtime/time/index.js';

describe('rate limiter', () => {
  it('allows the limit per window, then says how long to wait, then allows again', () => {
    const clock = new TestClock();
    const limiter = new RateLimiter({ limit: 3, windowSeconds: 60 }, clock);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(60);
    clock.advance(45_000);
    expect(limiter.take('a')).toBe(15);
    expect(limiter.take('b')).toBe(0);
    clock.advance(15_000);
    expect(limiter.take('a')).toBe(0);
  });

  it('does not count refused attempts, and takes back given-back ones', () => {
    const clock = new TestClock();
    const limiter = new RateLimiter({ limit: 2, windowSeconds: 60 }, clock);
    limiter.take('a');
    limiter.giveBack('a');
    limiter.take('a');
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
    clock.advance(60_000);
    expect(limiter.take('a')).toBe(0);
  });

  it('keeps its memory bounded', () => {
    const clock = new TestClock();
    const limiter = new RateLimiter({ limit: 1, windowSeconds: 60 }, clock, 100);
    for (let i = 0; i < 1000; i++) limiter.take(`key-${i}`);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(100);
    // The newest keys are still limited.
    expect(limiter.take('key-999')).toBeGreaterThan(0);
  });
});

describe('request limits (per address and per account)', () => {
  const rates = { perAddress: { limit: 3, windowSeconds: 60 }, perAccount: { limit: 2, windowSeconds: 60 } };

  it('refuses with 429 when the account is over its limit, from any address', () => {
    const limits = new RequestLimits(rates, new TestClock());
    limits.take('10.0.0.1', 'a@example.org');
    limits.take('10.0.0.2', 'a@example.org');
    const error = (() => {
      try {
        limits.take('10.0.0.3', 'a@example.org');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect((error as TooManyRequestsError).status).toBe(429);
    expect((error as TooManyRequestsError).message).toBe('Too many attempts. Please wait a minute and try again.');
    expect(() => limits.take('10.0.0.3', 'b@example.org')).not.toThrow();
  });

  it('refuses with 429 when the address is over its limit, whatever the account', () => {
    const limits = new RequestLimits(rates, new TestClock());
    limits.take('10.0.0.1', 'a@example.org');
    limits.take('10.0.0.1', 'b@example.org');
    limits.take('10.0.0.1', 'c@example.org');
    expect(() => limits.take('10.0.0.1', 'd@example.org')).toThrow(TooManyRequestsError);
    expect(() => limits.take('10.0.0.1')).toThrow(TooManyRequestsError);
  });
});
