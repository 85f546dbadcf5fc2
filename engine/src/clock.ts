/** Time source. The engine asks a Clock, never `new Date()`, so tests can move time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
