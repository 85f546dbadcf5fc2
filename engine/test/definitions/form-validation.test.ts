import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError, type FieldError } from '../../src/errors.js';
import { DefinitionService, DEFINITIONS_COLLECTION } from '../../src/definitions/index.js';
import type { Store } from '../../src/store/types.js';
import { validCaseType, validForm, validLookup } from './fixtures.js';
import { openTestStore } from './test-store.js';

let store: Store;
let close: () => Promise<void>;
let service: DefinitionService;

beforeEach(async () => {
  ({ store, close } = await openTestStore());
  service = new DefinitionService(store);
});

afterEach(async () => {
  await close();
});

/** Publishes, expects a refusal with nothing stored, and answers the problems. */
async function problems(kind: 'form' | 'caseType' | 'lookup', content: unknown): Promise<FieldError[]> {
  const error = await service.publish(kind, 'subject', content, 'ada').then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  expect(await store.collection(DEFINITIONS_COLLECTION).countDocuments({})).toBe(0);
  return (error as ValidationError).errors;
}

function paths(errors: FieldError[]): string[] {
  return errors.map((e) => e.path);
}

describe('forms', () => {
  it('accepts a valid form and a valid case type', async () => {
    expect((await service.publish('form', 'intake', validForm(), 'ada')).created).toBe(true);
    expect((await service.publish('caseType', 'case', validCaseType(), 'ada')).created).toBe(true);
  });

  it('names an unknown type by its pointer, once, in plain words', async () => {
    const form = validForm();
    form.schema.properties.age.type = 'strng';
    const errors = await problems('form', form);
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('/schema/properties/age/type');
    expect(errors[0].message).toContain('"strng"');
    expect(errors[0].message).toContain('string');
  });

  it('reports every meta-schema problem at its own pointer', async () => {
    const form = validForm();
    form.schema.properties.person.required = 'name';
    form.schema.properties.age.minimum = 'zero';
    form.schema.properties.language.enum = [];
    const errors = await problems('form', form);
    expect(paths(errors).sort()).toEqual([
      '/schema/properties/age/minimum',
      '/schema/properties/language/enum',
      '/schema/properties/person/required',
    ]);
    expect(errors.find((e) => e.path.endsWith('/minimum'))!.message).toBe('"minimum" must be a number, not "zero"');
  });

  it('refuses what the meta-schema allows but ajv cannot compile or would ignore', async () => {
    const form = validForm();
    form.schema.properties.age = { $ref: '#/definitions/missing' };
    form.schema.properties.person.properties.name.pattern = '([a-z';
    form.schema.properties.person.properties.dob.format = 'dat';
    const errors = await problems('form', form);
    expect(paths(errors).sort()).toEqual([
      '/schema/properties/age/$ref',
      '/schema/properties/person/properties/dob/format',
      '/schema/properties/person/properties/name/pattern',
    ]);
  });

  it('follows local $refs and accepts them when they resolve', async () => {
    const form = validForm();
    form.schema.definitions = { count: { type: 'integer', minimum: 0 } };
    form.schema.properties.age = { $ref: '#/definitions/count', title: 'Age' };
    expect((await service.publish('form', 'intake', form, 'ada')).created).toBe(true);
  });

  it('refuses a schema that is not draft-07', async () => {
    const form = validForm();
    form.schema.$schema = 'https://json-schema.org/draft/2020-12/schema';
    expect(paths(await problems('form', form))).toEqual(['/schema/$schema']);
  });

  it('requires the schema root to be an object', async () => {
    const form = validForm();
    form.schema = { type: 'string' };
    form.uischema = { type: 'VerticalLayout', elements: [] };
    form.prefill = undefined;
    expect(paths(await problems('form', form))).toEqual(['/schema/type']);
  });

  it('requires title, schema and uischema', async () => {
    const errors = await problems('form', { description: 5 });
    expect(paths(errors).sort()).toEqual(['/description', '/schema', '/title', '/uischema']);
    expect(paths(await problems('form', 'text'))).toEqual(['']);
  });

  it('reports every UI scope that points at nothing, controls and rule conditions alike', async () => {
    const form = validForm();
    form.uischema.elements[0].scope = '#/properties/person/properties/nmae';
    form.uischema.elements[2].elements[0].scope = '#/properties/agee';
    form.uischema.elements[2].elements[1].rule.condition.scope = '#/properties/missing';
    form.uischema.elements[3].options.detail.elements[0].scope = '#/properties/fax';
    form.uischema.elements.push({ type: 'Control' }, { type: 'Control', scope: 'properties/age' });
    const errors = await problems('form', form);
    expect(paths(errors)).toEqual([
      '/uischema/elements/0/scope',
      '/uischema/elements/2/elements/0/scope',
      '/uischema/elements/2/elements/1/rule/condition/scope',
      '/uischema/elements/3/options/detail/elements/0/scope',
      '/uischema/elements/4/scope',
      '/uischema/elements/5/scope',
    ]);
    expect(errors[0].message).toBe(
      'A Control points at "#/properties/person/properties/nmae", but the schema has no property "nmae" inside "#/properties/person"',
    );
    expect(errors[1].message).toBe('A Control points at "#/properties/agee", but the schema has no property "agee"');
    expect(errors[5].message).toContain('a scope starts with "#/"');
  });

  it('walks categorizations and composed conditions', async () => {
    const form = validForm();
    form.uischema = {
      type: 'Categorization',
      elements: [
        { type: 'Category', label: 'A', elements: [{ type: 'Control', scope: '#/properties/age' }] },
        {
          type: 'Category',
          label: 'B',
          elements: [{ type: 'Control', scope: '#/properties/nope' }],
          rule: { effect: 'HIDE', condition: { type: 'OR', conditions: [{ type: 'LEAF', scope: '#/properties/gone', expectedValue: 1 }] } },
        },
        { label: 'no type' },
      ],
    };
    form.prefill = undefined;
    expect(paths(await problems('form', form))).toEqual([
      '/uischema/elements/1/elements/0/scope',
      '/uischema/elements/1/rule/condition/conditions/0/scope',
      '/uischema/elements/2/type',
    ]);
  });

  it('checks prefill pointers against the form\'s fields', async () => {
    const form = validForm();
    form.prefill = { '/person/dob': '/data/dob', '/person/shoe': '/data/shoe', 'age': '/data/age', '/age': 5 };
    expect(paths(await problems('form', form))).toEqual(['/prefill/~1person~1shoe', '/prefill/age', '/prefill/~1age']);
  });
});

describe('case types', () => {
  it('checks numbering, statuses, initial status and roles', async () => {
    const caseType = validCaseType();
    caseType.numbering = { prefix: 'has space ', digits: 0 };
    caseType.statuses = ['open', 'open', ''];
    caseType.initialStatus = 'new';
    caseType.roles = [];
    const errors = await problems('caseType', caseType);
    expect(paths(errors)).toEqual([
      '/numbering/prefix', '/numbering/digits', '/statuses/1', '/statuses/2', '/initialStatus', '/roles',
    ]);
  });

  it('requires the initial status to be one of the statuses', async () => {
    const caseType = validCaseType();
    caseType.initialStatus = 'new';
    const errors = await problems('caseType', caseType);
    expect(errors).toEqual([{ path: '/initialStatus', message: 'The initial status "new" is not one of the statuses: open, closed' }]);
  });

  it('requires what a form requires too', async () => {
    const caseType = validCaseType();
    caseType.schema.properties.age.type = 'strng';
    delete caseType.numbering;
    expect(paths(await problems('caseType', caseType))).toEqual(['/schema/properties/age/type', '/numbering']);
  });

  it('refuses computed fields, which only forms have', async () => {
    const caseType = validCaseType();
    (caseType as Record<string, unknown>).computed = { '/age': '=1' };
    expect(await problems('caseType', caseType)).toEqual([{ path: '/computed', message: expect.stringContaining('only forms do') }]);
  });
});

describe('lookups', () => {
  it('accepts a valid lookup', async () => {
    expect((await service.publish('lookup', 'langs', validLookup(), 'ada')).created).toBe(true);
  });

  it('names each bad item', async () => {
    const errors = await problems('lookup', {
      title: '',
      items: [{ code: 'en', label: 'English' }, { code: 'en', label: 'Again' }, { code: '', label: '' }, 'x', { code: 'fr', label: 'French', retired: 'yes' }],
    });
    expect(paths(errors)).toEqual(['/title', '/items/1/code', '/items/2/code', '/items/2/label', '/items/3', '/items/4/retired']);
    expect(errors[1].message).toBe('The code "en" is used twice (also by item 1)');
  });

  it('requires at least one item', async () => {
    expect(paths(await problems('lookup', { title: 'Empty', items: [] }))).toEqual(['/items']);
  });
});
