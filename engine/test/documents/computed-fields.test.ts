import { describe, expect, it } from 'vitest';
import { applyComputed } from '../../src/documents/computed-fields.js';
import { validateFormContent } from '../../src/definitions/form-validation.js';
import { BusinessCalendar, evaluateFeel } from '../../src/runtime/time/index.js';

const calendar = new BusinessCalendar({ timeZone: 'UTC', weekend: [6, 7], holidays: [] });
const env = { clock: { now: () => new Date('2026-06-01T12:00:00Z') }, calendar };
const evaluate = (expression: string, context: Record<string, unknown>) => evaluateFeel(expression, context, env);

const priced = {
  '/items/-/total': '=if item.quantity = null or item.cost = null then null else item.quantity * item.cost',
  '/grandTotal': '=sum(for i in items return if i.total = null then 0 else i.total)',
  '/age': '=if dob = null then null else years and months duration(date(dob), today()).years',
};

describe('computed fields', () => {
  it('computes per-entry values, then totals over them, in the listed order', () => {
    const { data, failures } = applyComputed(priced, { items: [{ quantity: 2, cost: 1.25 }, { quantity: 3, cost: 10 }] }, evaluate);
    expect(failures).toEqual([]);
    expect(data.items.map((i: any) => i.total)).toEqual([2.5, 30]);
    expect(data.grandTotal).toBe(32.5);
  });

  it('overwrites what the client sent and removes a value that is null', () => {
    const input = { items: [{ quantity: 2, total: 999 }], grandTotal: 999, age: 99 };
    const { data } = applyComputed(priced, input, evaluate);
    expect(data.items[0]).toEqual({ quantity: 2 });
    expect(data).not.toHaveProperty('age');
    expect(data.grandTotal).toBe(0);
    expect(input.grandTotal).toBe(999); // the input is not changed
  });

  it('computes an age from a date of birth on the engine clock', () => {
    expect(applyComputed(priced, { dob: '2010-06-01' }, evaluate).data.age).toBe(16);
    expect(applyComputed(priced, { dob: '2010-06-02' }, evaluate).data.age).toBe(15);
  });

  it('reports an expression that cannot be evaluated by the field it computes', () => {
    const { data, failures } = applyComputed({ '/x': '=date(dob)' }, { dob: 'not a date', x: 1 }, evaluate);
    expect(data).not.toHaveProperty('x');
    expect(failures).toEqual([{ path: '/x', message: expect.stringContaining('date(dob)') }]);
  });
});

describe('publishing computed fields', () => {
  const form = (computed: unknown) => ({
    title: 'Priced',
    schema: {
      type: 'object',
      properties: {
        items: { type: 'array', items: { type: 'object', properties: { quantity: { type: 'number' }, total: { type: 'number' } } } },
        grandTotal: { type: 'number' },
      },
    },
    uischema: { type: 'Control', scope: '#/properties/items' },
    computed,
  });

  it('accepts fields the schema has with expressions that parse', () => {
    expect(validateFormContent(form({ '/items/-/total': '=item.quantity * 2', '/grandTotal': '=sum(items.total)' }))).toEqual([]);
  });

  it('refuses unknown fields, bad pointers, literals and FEEL that does not parse, naming each', () => {
    const problems = validateFormContent(form({
      '/nothing': '=1',
      'grandTotal': '=1',
      '/items/-': '=1',
      '/items/-/total': 'quantity * 2',
      '/grandTotal': '=sum(items.total',
    }));
    expect(problems.map((p) => p.path).sort()).toEqual([
      '/computed/grandTotal', '/computed/~1grandTotal', '/computed/~1items~1-', '/computed/~1items~1-~1total', '/computed/~1nothing',
    ]);
    expect(problems.find((p) => p.path === '/computed/~1nothing')!.message).toMatch(/not a field of this form/);
    expect(problems.find((p) => p.path === '/computed/~1grandTotal')!.message).toMatch(/not valid FEEL/);
    expect(validateFormContent(form('x'))).toEqual([{ path: '/computed', message: expect.stringContaining('FEEL') }]);
  });

  it('refuses an expression calling a function that a field of the same name hides', () => {
    const content = form({ '/grandTotal': '=count(items) + sum(items.total)' });
    content.schema.properties = { ...content.schema.properties, count: { type: 'number' } } as any;
    expect(validateFormContent(content)).toEqual([{ path: '/computed/~1grandTotal', message: expect.stringContaining('field "count" hides that function') }]);
    content.computed = { '/grandTotal': '=sum(items.total) + count' };
    expect(validateFormContent(content)).toEqual([]);
  });
});
