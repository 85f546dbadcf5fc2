/**
 * Randomized check of the filters the embedded store tests without mingo (scalar-filter.ts):
 * over random documents (nested objects, arrays on the way and at the end, dates, null, missing
 * fields, mixed types), every random filter of scalar comparisons answers exactly like mingo's
 * Query, and it decides most documents itself (so the comparison is not only mingo with mingo).
 */
import { Query } from 'mingo';
import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../src/store/embedded/mingo.js';
import { UNDECIDED, scalarFilter } from '../../src/store/embedded/scalar-filter.js';
import type { Doc, Filter } from '../../src/store/types.js';
import { seededRandom as random } from '../../bench/seeded-random.js';

const MINGO_OPTIONS = { scriptEnabled: false, idKey: '_id', useStrictMode: true, failOnError: true };
const D1 = new Date(Date.UTC(2026, 0, 1));
const D2 = new Date(Date.UTC(2026, 5, 30, 12));
const SCALARS: unknown[] = ['a', 'b', 'B', '', '10', '2026-06-01', '2026-12-31', 0, -0, 1, 2.5, -3, 10, true, false, null, D1, D2];
const BOUNDS: unknown[] = ['a', 'B', '', '2026-06-15', 0, 1, 2.5, -3, D1, D2, new Date(Date.UTC(2026, 2, 1))];

describe('filters of scalar comparisons agree with mingo (randomized)', () => {
  it('answers 800 random filters over 120 random documents exactly like mingo, deciding most documents itself', { timeout: 120_000 }, () => {
    const rnd = random(20261201);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
    const chance = (p: number) => rnd() < p;
    const leaf = (): unknown => {
      const r = rnd();
      if (r < 0.75) return pick(SCALARS);
      if (r < 0.85) return [pick(SCALARS), pick(SCALARS)];
      if (r < 0.9) return { x: pick(SCALARS) };
      if (r < 0.93) return Number.NaN;
      if (r < 0.96) return new Date(Number.NaN);
      return [];
    };
    const docs: Doc[] = Array.from({ length: 120 }, (_, i) => {
      const doc: Doc = { _id: `d${i}` };
      for (const field of ['a', 'b', 's']) if (chance(0.85)) doc[field] = leaf();
      const r = rnd();
      if (r < 0.6) doc.n = { x: chance(0.85) ? leaf() : undefined, deep: chance(0.7) ? { y: leaf() } : pick([null, 5, 'text']) };
      else if (r < 0.75) doc.n = [{ x: pick(SCALARS) }, { x: pick(SCALARS) }];
      else if (r < 0.85) doc.n = pick([null, 'n', 3]);
      return doc;
    });
    const paths = ['a', 'b', 's', 'n.x', 'n.deep.y', 'n', 'missing', 'n.missing.y', '_id'];
    const condition = (): unknown => {
      const r = rnd();
      if (r < 0.3) return pick(SCALARS.filter((v) => !(v instanceof Date)));
      const ops: Record<string, unknown> = {};
      const count = 1 + Math.floor(rnd() * 2);
      for (let i = 0; i < count; i++) {
        const op = pick(['$eq', '$ne', '$in', '$gt', '$gte', '$lt', '$lte', '$lt', '$gte']);
        if (op === '$eq' || op === '$ne') ops[op] = pick(SCALARS.filter((v) => !(v instanceof Date)));
        else if (op === '$in') ops.$in = [pick(['a', 'b', 1, 2.5, true, '10']), pick(['', 0, false, 'B', 10])];
        else ops[op] = pick(BOUNDS);
      }
      return ops;
    };
    const filter = (depth: number): Filter => {
      const out: Filter = {};
      const count = 1 + Math.floor(rnd() * 3);
      for (let i = 0; i < count; i++) {
        if (depth > 0 && chance(0.3)) out[pick(['$and', '$or'])] = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => filter(depth - 1));
        else out[pick(paths)] = condition();
      }
      return out;
    };
    let decided = 0;
    let tested = 0;
    for (let i = 0; i < 800; i++) {
      const f = filter(2);
      const scalar = scalarFilter(f);
      expect(scalar, JSON.stringify(f)).not.toBeNull();
      const query = new Query(f, MINGO_OPTIONS);
      const compiled = compileFilter(f);
      for (const doc of docs) {
        tested++;
        if (scalar!(doc) !== UNDECIDED) decided++;
        expect(compiled.test(doc), `${JSON.stringify(f)} on ${JSON.stringify(doc)}`).toBe(query.test(doc));
      }
    }
    expect(decided / tested).toBeGreaterThan(0.5);
  });

  it('leaves any other filter to mingo', () => {
    for (const f of [
      { a: { $ne: D1 } }, { a: { $exists: true } }, { a: /x/ }, { a: [1, 2] }, { a: { x: 1 } }, { $nor: [{ a: 1 }] },
      { a: { $in: [null, 1] } }, { a: D1 }, { 'arr.0': 1 }, { $expr: { $eq: ['$a', 1] } }, { a: { $elemMatch: { x: 1 } } }, { $or: [] },
    ] as Filter[]) {
      expect(scalarFilter(f), JSON.stringify(f)).toBeNull();
    }
  });
});
