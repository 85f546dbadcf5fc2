import { describe, expect, it } from 'vitest';
import { parseCacheHits } from '../../../src/runtime/time/feel-parse-cache.js';
import { evaluateFeel, evaluateUnaryTest } from '../../../src/runtime/time/index.js';
import { env, feelError } from './fixtures.js';

const e = env('2031-11-21T20:00:00Z');
const feel = (expression: string, context: Record<string, unknown> = {}) => evaluateFeel(expression, context, e);

describe('FEEL parse cache', () => {
  it('answers a repeated expression from the cache, with each context’s own value', () => {
    const expression = '= if case.data.end = null then "open" else string(date(case.data.end) - date(start))';
    const before = parseCacheHits();
    expect(feel(expression, { case: { data: { end: null } }, start: '2031-01-01' })).toBe('open');
    expect(feel(expression, { case: { data: { end: '2031-01-11' } }, start: '2031-01-01' })).toBe('P10D');
    expect(feel(expression, { case: { data: { end: '2031-03-01', other: 1 } }, start: '2031-02-01' })).toBe('P28D');
    expect(parseCacheHits() - before).toBe(2);
  });

  it('parses again when a context key changes how the text reads', () => {
    // `a-b` is a subtraction, unless the context has a variable named `a-b`.
    expect(feel('a-b', { a: 5, b: 2 })).toBe(3);
    expect(feel('a-b', { 'a-b': 10, a: 5, b: 2 })).toBe(10);
    expect(feel('a-b', { a: 7, b: 2 })).toBe(5);
    // The same inside a nested context.
    expect(feel('x.a-b', { x: { a: 5, b: 2, 'a-b': 10 } })).toBe(10);
    // Without it, x.a minus a variable b, which is missing.
    expect(feelError(() => feel('x.a-b', { x: { a: 5, b: 2 } })).message).toContain("Variable 'b' not found");
    // A variable named like a built-in turns its call into a call of the variable.
    expect(feel('date("2031-01-02")')).toBe('2031-01-02');
    expect(feelError(() => feel('date("2031-01-02")', { date: 'not a function' })).kind).toBe('evaluation');
    expect(feel('date("2031-01-02")', { other: 1 })).toBe('2031-01-02');
  });

  it('reports a syntax error with the same message when the expression comes again', () => {
    const first = feelError(() => feel('decision = ', { decision: 'a' }));
    const again = feelError(() => feel('decision = ', { decision: 'b' }));
    expect(first.kind).toBe('syntax');
    expect(again.kind).toBe('syntax');
    expect(again.message).toBe(first.message);
    expect(again.message).toBe('The expression "decision = " is not valid FEEL: it is incomplete, something is missing at the end.');
  });

  it('caches unary tests across inputs', () => {
    const before = parseCacheHits();
    expect(evaluateUnaryTest('> limit, "none"', 7, { limit: 5 }, e)).toBe(true);
    expect(evaluateUnaryTest('> limit, "none"', 3, { limit: 5 }, e)).toBe(false);
    expect(evaluateUnaryTest('> limit, "none"', 'none', { limit: 5 }, e)).toBe(true);
    expect(parseCacheHits() - before).toBe(2);
  });
});
