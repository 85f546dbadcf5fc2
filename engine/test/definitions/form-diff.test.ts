import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../src/errors.js';
import { DefinitionService, collectFields } from '../../src/definitions/index.js';
import { validCaseType, validForm, validLookup } from './fixtures.js';
import { openTestStore } from './test-store.js';

let close: () => Promise<void>;
let service: DefinitionService;

beforeEach(async () => {
  const opened = await openTestStore();
  close = opened.close;
  service = new DefinitionService(opened.store);
});

afterEach(async () => {
  await close();
});

describe('collectFields', () => {
  it('lists leaf and object properties by pointer into the data, with label and required', () => {
    const fields = collectFields(validForm().schema);
    expect(fields.map((f) => f.pointer)).toEqual([
      '/person', '/person/name', '/person/dob', '/age', '/language', '/contacts', '/contacts/-/phone',
    ]);
    expect(fields[0]).toEqual({ pointer: '/person', label: 'Person', required: true, attributes: { type: 'object', title: 'Person' } });
    expect(fields[2]).toEqual({
      pointer: '/person/dob', label: 'Date of birth', required: false,
      attributes: { type: 'string', format: 'date', title: 'Date of birth' },
    });
  });

  it('follows $refs and allOf, labels untitled fields by name, and escapes names', () => {
    const fields = collectFields({
      type: 'object',
      definitions: { address: { type: 'object', properties: { city: { type: 'string' } } } },
      properties: { home: { $ref: '#/definitions/address' }, 'a/b': { type: 'string' } },
      allOf: [{ properties: { extra: { type: 'boolean' } }, required: ['extra'] }],
    });
    expect(fields.map((f) => [f.pointer, f.label, f.required])).toEqual([
      ['/home', 'home', false], ['/home/city', 'city', false], ['/a~1b', 'a/b', false], ['/extra', 'extra', true],
    ]);
  });

  it('stops at recursive schemas', () => {
    const fields = collectFields({
      type: 'object',
      definitions: { node: { type: 'object', properties: { name: { type: 'string' }, child: { $ref: '#/definitions/node' } } } },
      properties: { root: { $ref: '#/definitions/node' } },
    });
    expect(fields.map((f) => f.pointer)).toEqual(['/root', '/root/name', '/root/child']);
  });
});

describe('diffForms', () => {
  it('shows fields added, removed and changed between two versions', async () => {
    await service.publish('form', 'intake', validForm(), 'ada');
    const next = validForm();
    delete next.schema.properties.age;
    next.uischema.elements[2].elements.splice(0, 1);
    next.uischema.elements[2].elements[0].rule = undefined;
    next.schema.properties.person.properties.dob.format = 'date-time';
    next.schema.properties.person.properties.dob.title = 'Born';
    next.schema.properties.person.required = ['name', 'dob'];
    next.schema.properties.language.enum = ['en', 'es', 'fr'];
    next.schema.properties.email = { type: 'string', format: 'email', title: 'E-mail' };
    next.schema.required = [];
    await service.publish('form', 'intake', next, 'ada');

    const diff = await service.diffForms('form', 'intake', 1, 2);
    expect(diff).toMatchObject({ kind: 'form', key: 'intake', fromVersion: 1, toVersion: 2 });
    expect(diff.added).toEqual([
      { pointer: '/email', label: 'E-mail', required: false, attributes: { type: 'string', format: 'email', title: 'E-mail' } },
    ]);
    expect(diff.removed.map((f) => f.pointer)).toEqual(['/age']);
    expect(diff.changed).toEqual([
      { pointer: '/person', label: 'Person', changes: { required: { from: true, to: false } } },
      {
        pointer: '/person/dob',
        label: 'Born',
        changes: {
          required: { from: false, to: true },
          format: { from: 'date', to: 'date-time' },
          title: { from: 'Date of birth', to: 'Born' },
        },
      },
      { pointer: '/language', label: 'Language', changes: { enum: { from: ['en', 'es'], to: ['en', 'es', 'fr'] } } },
    ]);

    // The other way round, added and removed swap.
    const back = await service.diffForms('form', 'intake', 2, 1);
    expect(back.added.map((f) => f.pointer)).toEqual(['/age']);
    expect(back.removed.map((f) => f.pointer)).toEqual(['/email']);
  });

  it('shows no differences between a version and itself, and works for case types', async () => {
    await service.publish('caseType', 'case', validCaseType(), 'ada');
    const changed = validCaseType();
    changed.schema.properties.age.maximum = 25;
    changed.statuses.push('archived');
    await service.publish('caseType', 'case', changed, 'ada');
    expect(await service.diffForms('caseType', 'case', 1, 1)).toMatchObject({ added: [], removed: [], changed: [] });
    expect((await service.diffForms('caseType', 'case', 1, 2)).changed).toEqual([
      { pointer: '/age', label: 'Age', changes: { maximum: { from: undefined, to: 25 } } },
    ]);
  });

  it('refuses other kinds and missing versions', async () => {
    await service.publish('lookup', 'langs', validLookup(), 'ada');
    await expect(service.diffForms('lookup', 'langs', 1, 1)).rejects.toBeInstanceOf(ValidationError);
    await service.publish('form', 'intake', validForm(), 'ada');
    await expect(service.diffForms('form', 'intake', 1, 2)).rejects.toBeInstanceOf(NotFoundError);
  });
});
