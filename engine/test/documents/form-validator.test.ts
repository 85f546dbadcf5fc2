import { describe, expect, it } from 'vitest';
import { FormValidator } from '../../src/documents/form-validator.js';

const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', title: 'Name', minLength: 1 },
    dob: { type: 'string', format: 'date', title: 'Date of birth' },
    count: { type: 'integer', minimum: 0, title: 'Count' },
    kind: { type: 'string', enum: ['a', 'b'], title: 'Kind' },
    tags: { type: 'array', items: { type: 'string', enum: ['x', 'y', 'z'] }, title: 'Tags' },
    more: { type: 'array', items: { type: 'string' }, title: 'More' },
    contact: { type: 'object', properties: { email: { type: 'string', format: 'email', title: 'E-mail' } }, required: ['email'] },
  },
  required: ['name', 'dob', 'contact'],
  if: { properties: { kind: { const: 'b' } }, required: ['kind'] },
  then: { required: ['count'] },
  anyOf: [
    { properties: { tags: { minItems: 1 } }, required: ['tags'] },
    { properties: { more: { minItems: 2 } }, required: ['more'] },
  ],
};

const validator = new FormValidator();
const check = (data: unknown, mode: 'draft' | 'submit') => validator.validate('test:1', schema, data, mode);

describe('FormValidator', () => {
  it('lets a draft miss required fields, conditional requirements and unmet combinations', () => {
    expect(check({}, 'draft')).toEqual([]);
    expect(check({ kind: 'b', more: ['one'] }, 'draft')).toEqual([]);
  });

  it('still refuses wrong types, formats and values in a draft, naming the field by title', () => {
    expect(check({ dob: '12/01/2010', count: 1.5, kind: 'c', contact: { email: 'nope' } }, 'draft')).toEqual([
      { path: '/dob', message: 'Date of birth must be a date (YYYY-MM-DD)' },
      { path: '/count', message: 'Count must be a whole number' },
      { path: '/kind', message: 'Kind must be one of: a, b' },
      { path: '/contact/email', message: 'E-mail must be an e-mail address' },
    ]);
  });

  it('refuses a draft whose list holds a value outside its choices', () => {
    expect(check({ tags: ['q'] }, 'draft')).toEqual([{ path: '/tags/0', message: 'Tags entry 1 must be one of: x, y, z' }]);
  });

  it('on submit names every missing field, the conditional one and the unmet combination', () => {
    const errors = check({ kind: 'b', more: ['one'] }, 'submit');
    expect(errors).toEqual(expect.arrayContaining([
      { path: '/name', message: 'Name is required' },
      { path: '/dob', message: 'Date of birth is required' },
      { path: '/contact', message: 'contact is required' },
      { path: '/count', message: 'Count is required' },
      { path: '', message: 'The form does not meet any of the allowed combinations' },
    ]));
  });

  it('accepts complete data on submit', () => {
    expect(check({ name: 'A', dob: '2010-01-12', contact: { email: 'a@example.org' }, tags: ['x'] }, 'submit')).toEqual([]);
  });
});
