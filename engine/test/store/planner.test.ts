/** Unit tests of the embedded store's index keys and query planner. */
import { describe, expect, it } from 'vitest';
import type { LiveIndex } from '../../src/store/embedded/indexes.js';
import { MISSING, canonical, indexEntries, keyComponent, valuesAtPath } from '../../src/store/embedded/keys.js';
import { plan, type Plan } from '../../src/store/embedded/planner.js';

function index(key: Record<string, 1 | -1>, options: { unique?: boolean; sparse?: boolean } = {}): LiveIndex {
  const fields = Object.keys(key);
  return {
    definition: { name: fields.join('_'), key, unique: !!options.unique, sparse: !!options.sparse, db: 'unused' },
    fields,
    fieldParts: fields.map((f) => f.split('.')),
    db: undefined as never,
  };
}

describe('index keys', () => {
  it('are equal exactly when MongoDB equality says so', () => {
    expect(canonical(1)).toBe(canonical(1.0));
    expect(canonical(0)).toBe(canonical(-0));
    expect(canonical(1)).not.toBe(canonical('1'));
    expect(canonical(true)).not.toBe(canonical(1));
    expect(canonical(null)).toBe(canonical(MISSING));
    expect(canonical(new Date(5))).toBe(canonical(new Date(5)));
    expect(canonical(new Date(5))).not.toBe(canonical(5));
    expect(canonical({ a: 1, b: 2 })).not.toBe(canonical({ b: 2, a: 1 }));
    expect(canonical('\ud800x')).not.toBe(canonical('\ufffdx'));
  });

  it('bound long values but keep them distinct', () => {
    const long = 'x'.repeat(5000);
    const a = keyComponent(canonical(long + 'a'), 1);
    const b = keyComponent(canonical(long + 'b'), 1);
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(1200);
    expect(a.startsWith('T')).toBe(true);
    expect(keyComponent(canonical('é'.repeat(3000)), 16).length).toBeLessThanOrEqual(75);
    expect(a).not.toBe(b);
    expect(keyComponent(canonical(long + 'a'), 1)).toBe(a);
    expect(keyComponent('short', 3)).toBe('short');
  });

  it('reads values through arrays like a multikey index', () => {
    const doc = { a: [{ b: 1 }, { b: [2, 3] }, { c: 1 }, 7], d: { e: [] }, f: [[1, 2]] };
    expect(valuesAtPath(doc, ['a', 'b'])).toEqual([1, 2, 3, MISSING, MISSING]);
    expect(valuesAtPath(doc, ['a', '1', 'b'])).toEqual([MISSING, MISSING, MISSING, MISSING, 2, 3]);
    expect(valuesAtPath(doc, ['f'])).toEqual([[1, 2]]);
    expect(valuesAtPath(doc, ['x', 'y'])).toEqual([MISSING]);
    expect(indexEntries(doc, [['d', 'e']], false).map((e) => e.components)).toEqual([['u']]);
  });

  it('give compound entries per combination, and none for a sparse miss', () => {
    const entries = indexEntries({ a: 'x', b: [1, 2] }, [['a'], ['b']], false);
    expect(entries.map((e) => e.components)).toEqual([['sx', 'n1'], ['sx', 'n2']]);
    expect(indexEntries({ other: 1 }, [['a']], true)).toEqual([]);
    expect(indexEntries({ a: null }, [['a']], true)).toHaveLength(1);
    expect(indexEntries({ other: 1 }, [['a']], false).map((e) => e.components)).toEqual([['z']]);
  });
});

describe('planner', () => {
  const byStatus = index({ status: 1 });
  const byKindStatus = index({ kind: 1, status: 1 }, { unique: true });
  const sparse = index({ opt: 1 }, { sparse: true });
  const all = [byStatus, byKindStatus, sparse];

  it('uses _id first', () => {
    expect(plan({ _id: 'a', status: 'x' }, all)).toEqual({ kind: 'ids', ids: ['a'] });
    expect(plan({ _id: { $in: ['a', 'b', 3] } }, all)).toEqual({ kind: 'ids', ids: ['a', 'b'] });
  });

  it('uses the index pinning the most leading fields', () => {
    expect(plan({ status: 'open' }, all)).toMatchObject({ kind: 'index', index: byStatus, prefixes: [['sopen']] });
    expect(plan({ kind: 'a', status: { $in: ['x', 'y'] } }, all)).toMatchObject({ kind: 'index', index: byKindStatus, prefixes: [['sa', 'sx'], ['sa', 'sy']] });
    expect(plan({ kind: 'a' }, all)).toMatchObject({ kind: 'index', index: byKindStatus, prefixes: [['sa']] });
    expect(plan({ $and: [{ status: { $eq: 'x' } }, { other: 1 }] }, all)).toMatchObject({ kind: 'index', index: byStatus });
    expect(plan({ status: null }, all)).toMatchObject({ kind: 'index', prefixes: [['z'], ['u']] });
  });

  it('bounds the field after the equality prefix of a regular index with a range', () => {
    const byDay = index({ kind: 1, day: 1 });
    const chosen = plan({ kind: 'a', day: { $gte: '2026-12-01', $lte: '2026-12-31' } }, [byDay]);
    // Strings: the keys from the lower bound on (one side only: an array may meet each bound with
    // another element), and the strings keys show only in part.
    expect(chosen).toMatchObject({ kind: 'index', index: byDay, prefixes: [['sa']], range: { position: 1, all: 1, windows: [[['s2026-12-01'], ['t']], [['S'], ['U']]] } });
    const range = (chosen as { range: { bounds(c: string): number } }).range;
    expect(range.bounds('s2026-12-15')).toBe(1);
    expect(range.bounds('s2026-11-30')).toBe(0);
    // A field that never held several values: the keys between the bounds, both tested.
    const single = { ...byDay, definition: { ...byDay.definition, multikey: [false, false] } };
    expect(plan({ kind: 'a', day: { $gte: '2026-12-01', $lte: '2026-12-31' } }, [single])).toMatchObject({
      range: { all: 3, windows: [[['s2026-12-01'], ['s2026-12-31', expect.anything()]], [['S'], ['U']]] },
    });
    // Dates: every key under the prefix, both bounds tested.
    const dates = plan({ kind: 'a', day: { $gte: new Date(1000), $lt: new Date(2000) } }, [byDay]) as { range: { all: number; windows?: unknown; bounds(c: string): number } };
    expect(dates.range).toMatchObject({ all: 3 });
    expect(dates.range.windows).toBeUndefined();
    expect(dates.range.bounds('d1500')).toBe(3);
    expect(dates.range.bounds('d2500')).toBe(1);
    // Other types and values the key cannot show meet every bound: mingo decides.
    expect(dates.range.bounds('z')).toBe(3);
    expect(dates.range.bounds('n5')).toBe(3);
    expect(plan({ day: { $lt: new Date(0) } }, [index({ day: 1 })])).toMatchObject({ kind: 'index', prefixes: [[]], range: { position: 0 } });
    expect(plan({ kind: 'a', status: { $gt: 'b' } }, [byKindStatus])).not.toHaveProperty('range');
    expect(plan({ day: { $gt: 'a', $ne: 'b' } }, [index({ day: 1 })])).toEqual({ kind: 'scan' });
  });

  it('scans when no index can narrow', () => {
    expect(plan({}, all)).toEqual({ kind: 'scan' });
    expect(plan({ status: /open/ }, all)).toEqual({ kind: 'scan' });
    expect(plan({ status: { $ne: 'x' } }, all)).toEqual({ kind: 'scan' });
    // An $or with a clause no index narrows, and an $elemMatch on a field no index has.
    expect(plan({ $or: [{ status: 'a' }, { other: 'b' }] }, all)).toEqual({ kind: 'scan' });
    expect(plan({ list: { $elemMatch: { status: 'a' } } }, all)).toEqual({ kind: 'scan' });
    expect(plan({ status: { $in: ['a', /b/] } }, all)).toEqual({ kind: 'scan' });
    expect(plan({ status: ['a'] }, all)).toEqual({ kind: 'scan' });
    expect(plan({ status: { nested: 1 } }, all)).toEqual({ kind: 'scan' });
    expect(plan({ opt: null }, all)).toEqual({ kind: 'scan' });
    expect(plan({ opt: 'x' }, all)).toMatchObject({ kind: 'index', index: sparse });
  });

  it('plans an $or whose every clause has a plan as the union of the clauses\' plans', () => {
    expect(plan({ $or: [{ status: 'a' }, { kind: 'k', status: 'b' }, { _id: { $in: ['x', 'y'] } }] }, all)).toEqual({
      kind: 'union',
      plans: [
        { kind: 'index', index: byStatus, prefixes: [['sa']], exact: true },
        { kind: 'index', index: byKindStatus, prefixes: [['sk', 'sb']], exact: true },
        { kind: 'ids', ids: ['x', 'y'] },
      ],
    });
    // Nested: an $or inside an $and inside an $or adds its clauses' plans to the union.
    const nested = plan({ $or: [{ $and: [{ other: 1 }, { $or: [{ status: 'a' }, { opt: 'o' }] }] }, { status: 'c' }] }, all);
    expect(nested).toMatchObject({ kind: 'union', plans: [{ index: byStatus, prefixes: [['sa']] }, { index: sparse, prefixes: [['so']] }, { index: byStatus, prefixes: [['sc']] }] });
  });

  it('plans a one-clause $or as its clause (it holds exactly when the clause does), exact when the clause is', () => {
    expect(plan({ $or: [{ status: 'a' }] }, all)).toEqual({ kind: 'index', index: byStatus, prefixes: [['sa']], exact: true });
    expect(plan({ $and: [{ $or: [{ kind: 'a' }] }, { $or: [{ status: 'x' }] }] }, all)).toEqual({ kind: 'index', index: byKindStatus, prefixes: [['sa', 'sx']], exact: true });
    // Its clause's own $or of several clauses is still a union.
    expect(plan({ $or: [{ $or: [{ status: 'a' }, { status: 'b' }] }] }, all)).toMatchObject({ kind: 'union', plans: [{ prefixes: [['sa']] }, { prefixes: [['sb']] }] });
    // A range inside it bounds the index, and the plan is not exact (the keys are tested against the bounds).
    const byDay = index({ kind: 1, day: 1 });
    const ranged = plan({ $or: [{ kind: 'a', day: { $gte: '2026-12-01', $lte: '2026-12-31' } }] }, [byDay]);
    expect(ranged).toMatchObject({ kind: 'index', index: byDay, prefixes: [['sa']], range: { position: 1 } });
    expect(ranged).not.toHaveProperty('exact');
    // Beside other conditions, as the access scope is added to a query's own filter.
    expect(plan({ $and: [{ other: 1 }, { $or: [{ status: 'a' }] }] }, all)).toMatchObject({ kind: 'index', index: byStatus, prefixes: [['sa']] });
  });

  it('reads an $elemMatch\'s equalities through a multikey index on the element field', () => {
    const byUser = index({ 'people.userId': 1 });
    const byRoleUser = index({ 'people.role': 1, 'people.userId': 1 });
    expect(plan({ people: { $elemMatch: { role: 'W', userId: 'u1' } } }, [byUser])).toEqual({ kind: 'index', index: byUser, prefixes: [['su1']] });
    expect(plan({ people: { $elemMatch: { role: 'W', userId: { $in: ['u1', 'u2'] } } } }, [byUser, byRoleUser])).toEqual({
      kind: 'index', index: byRoleUser, prefixes: [['sW', 'su1'], ['sW', 'su2']],
    });
    // Operators and positions inside the $elemMatch are left to mingo.
    expect(plan({ people: { $elemMatch: { role: 'W', userId: { $ne: 'u1' }, '0': 'u1', $or: [{ userId: 'u2' }] } } }, [byUser])).toEqual({ kind: 'scan' });
    // mingo matches a scalar element 'u1' against { userId: 'u1' } (and { role: 'u1', userId: 'u1' }):
    // no index entry shows it, so only conditions no scalar can meet at once are looked up.
    expect(plan({ people: { $elemMatch: { userId: 'u1' } } }, [byUser])).toEqual({ kind: 'scan' });
    expect(plan({ people: { $elemMatch: { role: 'u1', userId: { $in: ['u1', 'u2'] } } } }, [byUser])).toEqual({ kind: 'scan' });
    expect(plan({ people: { $elemMatch: { role: null, userId: 'u1' } } }, [byUser])).toEqual({ kind: 'scan' });
    // The access filter of a role with several rules: a union of the clauses' indexes.
    const access = { $or: [{ people: { $elemMatch: { role: 'W', userId: 'u1' } } }, { status: 'mine' }] };
    expect(plan(access, [byUser, byStatus])).toMatchObject({ kind: 'union', plans: [{ index: byUser }, { index: byStatus }] });
  });

  it('counts only one of two range plans that name the same candidates (same leading fields and flags)', () => {
    const short = index({ form: 1, day: 1 });
    const covering = index({ form: 1, day: 1, who: 1, kind: 1 });
    const filter = { form: 'f', day: { $gte: '2026-12-01', $lte: '2026-12-31' } };
    const counted: string[] = [];
    const entries = (chosen: Exclude<Plan, { kind: 'scan' }>): unknown[] => {
      if (chosen.kind === 'index') counted.push(chosen.index.definition.name);
      return [1, 2, 3];
    };
    expect(plan(filter, [short, covering], entries)).toMatchObject({ kind: 'index', index: short });
    expect(counted).toEqual([]);
    // Another flag on a leading field can give other windows: both are counted.
    const arrays = { ...covering, definition: { ...covering.definition, multikey: [false, true, false, false] } };
    expect(plan(filter, [short, arrays], entries)).toMatchObject({ kind: 'index' });
    expect(counted).toEqual(['form_day', 'form_day_who_kind']);
  });

  it('chooses between a union and the other pieces of an $and by the entries each reads, when it can count them', () => {
    const byUser = index({ 'people.userId': 1 });
    const filter = { $and: [{ kind: 'k', status: { $in: ['a', 'b'] } }, { $or: [{ 'people.userId': 'u1' }, { opt: 'o' }] }] };
    // Without counts the higher score wins: kind and status pinned beat one field per clause.
    expect(plan(filter, [byUser, byKindStatus, sparse])).toMatchObject({ kind: 'index', index: byKindStatus });
    // Counting: the plan reading the fewest entries wins (a union reads the sum of its clauses).
    const entries = (counts: Record<string, number>) => (chosen: Exclude<Plan, { kind: 'scan' }>): unknown[] => {
      const parts = chosen.kind === 'union' ? chosen.plans : [chosen];
      return Array.from({ length: parts.reduce((n, part) => n + (part.kind === 'index' ? counts[part.index.definition.name] : part.ids.length), 0) });
    };
    expect(plan(filter, [byUser, byKindStatus, sparse], entries({ 'people.userId': 300, opt: 200, kind_status: 90_000 }))).toMatchObject({ kind: 'union' });
    expect(plan(filter, [byUser, byKindStatus, sparse], entries({ 'people.userId': 30_000, opt: 200, kind_status: 900 }))).toMatchObject({ kind: 'index', index: byKindStatus });
    // So are index plans of any score, but an exact one (its keys are the answer) wins outright.
    expect(plan({ status: 'a', opt: 'o' }, all, entries({ status: 5000, opt: 3, kind_status: 0 }))).toMatchObject({ index: sparse });
    expect(plan({ status: 'a', opt: 'o' }, all, entries({ status: 3, opt: 5000, kind_status: 0 }))).toMatchObject({ index: byStatus });
    expect(plan({ kind: 'k', opt: 'o' }, all, entries({ status: 0, opt: 3, kind_status: 5000 }))).toMatchObject({ index: sparse });
    expect(plan({ kind: 'k', opt: 'o' }, all)).toMatchObject({ index: byKindStatus });
    expect(plan({ kind: 'k', status: 'a', opt: 'o' }, all, entries({ status: 50, opt: 1, kind_status: 5000 }))).toMatchObject({ index: sparse });
    expect(plan({ status: { $in: ['a', 'b'] } }, [byStatus, index({ status: 1, other: 1 })], entries({ status: 5000, status_other: 3 }))).toMatchObject({ index: byStatus, exact: true });
    // A plan pinning fewer of the same fields names more documents whatever the counts: it is not counted.
    const byKind = index({ kind: 1 });
    const byKindStatusOther = index({ kind: 1, status: 1, other: 1 });
    expect(plan({ kind: 'k', status: 'a', x: 1 }, [byKind, byKindStatusOther], entries({ kind: 1, kind_status_other: 5000 }))).toMatchObject({ index: byKindStatusOther });
  });
});
