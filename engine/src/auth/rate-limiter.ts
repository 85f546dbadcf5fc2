/**
 * A small fixed-window rate limiter kept in this process's memory (so limits are per API
 * node and start afresh on restart). Time comes from the engine's Clock so tests can move it.
 */
import type { Clock } from '../clock.js';
import { EngineError } from '../errors.js';

export class TooManyRequestsError extends EngineError {
  override name = 'TooManyRequestsError';
  override readonly status = 429;
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(`Too many attempts. Please wait ${minutes === 1 ? 'a minute' : `${minutes} minutes`} and try again.`);
  }
}

interface Window {
  count: number;
  endsAt: number;
}

export interface RateLimit {
  /** Attempts allowed per key within one window. */
  limit: number;
  windowSeconds: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  /** `maxKeys` bounds memory: beyond it, ended windows are swept, then the oldest dropped. */
  constructor(private readonly rate: RateLimit, private readonly clock: Clock, private readonly maxKeys = 100_000) {}

  /**
   * Counts one attempt for `key`. Returns 0 when it is allowed, otherwise the seconds until
   * the key may try again (a refused attempt is not counted).
   */
  take(key: string): number {
    const now = this.clock.now().getTime();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      this.makeRoom(now);
      window = { count: 0, endsAt: now + this.rate.windowSeconds * 1000 };
      this.windows.delete(key);
      this.windows.set(key, window);
    }
    if (window.count >= this.rate.limit) return Math.max(1, Math.ceil((window.endsAt - now) / 1000));
    window.count++;
    return 0;
  }

  /** Gives back an attempt taken earlier (e.g. a login that succeeded does not count). */
  giveBack(key: string): void {
    const window = this.windows.get(key);
    if (window && window.count > 0) window.count--;
  }

  private makeRoom(now: number): void {
    if (this.windows.size < this.maxKeys) return;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    // Still full: drop the windows started longest ago (a Map iterates in insertion order).
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}

/** One limit per client address and one per account, taken together. */
export class RequestLimits {
  private readonly byAddress: RateLimiter;
  private readonly byAccount: RateLimiter;

  constructor(rates: { perAddress: RateLimit; perAccount: RateLimit }, clock: Clock) {
    this.byAddress = new RateLimiter(rates.perAddress, clock);
    this.byAccount = new RateLimiter(rates.perAccount, clock);
  }

  /** Counts an attempt from `address` (and on `account` when given); throws 429 when either is over its limit. */
  take(address: string, account?: string): void {
    const waitAddress = this.byAddress.take(address);
    if (waitAddress > 0) throw new TooManyRequestsError(waitAddress);
    if (account === undefined) return;
    const waitAccount = this.byAccount.take(account);
    if (waitAccount > 0) {
      this.byAddress.giveBack(address);
      throw new TooManyRequestsError(waitAccount);
    }
  }

  giveBack(address: string, account?: string): void {
    this.byAddress.giveBack(address);
    if (account !== undefined) this.byAccount.giveBack(account);
  }
}
