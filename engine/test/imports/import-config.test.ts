import { describe, expect, it } from 'vitest';
import { validateImportConfig, type CaseImportConfig } from '../../src/imports/import-config.js';
import { mapRow } from '../../src/imports/row-mapping.js';

const schema = {
  type: 'object',
  properties: {
    ref: { type: 'string' },
    born: { type: 'string', format: 'date' },
    flagged: { type: 'boolean' },
    count: { type: 'integer' },
    score: { type: 'number' },
    place: { type: 'object', properties: { city: { type: 'string' } } },
  },
};

function caseType(importBlock: unknown) {
  return { title: 'T', schema, roles: ['Owner', 'Helper'], statuses: ['Open', 'Closed'], import: importBlock };
}

const good: CaseImportConfig = {
  roles: ['steward'],
  key: '/data/ref',
  columns: {
    Ref: '/data/ref', Born: { to: '/data/born', date: 'MM/DD/YYYY' }, Flag: '/data/flagged', Count: '/data/count', Score: '/data/score',
    City: '/data/place/city', Kind: { to: '/data/place/city', values: { X: 'Elsewhere' } },
  },
  people: { Owner: { column: 'Owner Mail', matchBy: 'email', userRole: 'owner' } },
  only: { column: 'State', in: ['Open'] },
  validation: 'complete',
  onPersonChange: { Owner: { notify: ['Helper'], cc: ['Owner'], template: 'owner-changed', exceptStatuses: ['Closed'] } },
};

describe('the import block of a case type', () => {
  it('is optional', () => {
    expect(validateImportConfig({ title: 'T', schema, roles: ['Owner'], statuses: ['Open'] })).toEqual([]);
  });

  it('accepts a complete, consistent block except for two columns filling one field', () => {
    expect(validateImportConfig(caseType(good))).toEqual([{ path: '/import/columns/Kind/to', message: 'another column already fills "/data/place/city"' }]);
    const { Kind: _kind, ...columns } = good.columns;
    expect(validateImportConfig(caseType({ ...good, columns }))).toEqual([]);
  });

  it('names each problem by its pointer', () => {
    const problems = validateImportConfig(caseType({
      roles: ['steward', ''],
      key: '/data/place/city',
      columns: { ' Padded': '/data/ref', Ref: 'ref', Born: { to: '/data/born', date: 7, values: [] }, City: '/data/place/city' },
      people: { Helper: { column: '', matchBy: 'email', also: 1 }, Stranger: 'x' },
      only: { column: 'State', in: [] },
      onPersonChange: { Owner: { notify: ['Helper'], template: 't', exceptStatuses: ['Gone'] } },
    }));
    expect(problems).toEqual(expect.arrayContaining([
      { path: '/import/roles/1', message: 'each entry must be a user role name' },
      { path: '/import/columns/ Padded', message: expect.stringMatching(/without surrounding spaces/) },
      { path: '/import/columns/Ref', message: 'must be a case field: a JSON pointer starting with /data/' },
      { path: '/import/columns/Born/date', message: 'must be a date layout such as MM/DD/YYYY' },
      { path: '/import/columns/Born/values', message: 'must map cell texts to stored values' },
      { path: '/import/people/Helper/column', message: 'must name the column holding the person' },
      { path: '/import/people/Helper/also', message: expect.stringMatching(/^is not a setting here/) },
      { path: '/import/people/Stranger', message: expect.stringMatching(/"Stranger" is not a role on this case type/) },
      { path: '/import/only/in', message: 'must be a list of accepted values (at least one)' },
      { path: '/import/onPersonChange/Owner', message: expect.stringMatching(/"Owner" is not one of the roles the import fills/) },
      { path: '/import/onPersonChange/Owner/exceptStatuses/0', message: expect.stringMatching(/"Gone" is not one of the statuses/) },
    ]));
    expect(problems.some((p) => p.path === '/import/key')).toBe(false);
  });

  it('refuses a key no column fills and one that is not a plain field path', () => {
    expect(validateImportConfig(caseType({ ...good, key: '/data/count', columns: { Ref: '/data/ref' } }))).toEqual(
      expect.arrayContaining([{ path: '/import/key', message: 'no column fills "/data/count"; map one column to it' }]),
    );
    expect(validateImportConfig(caseType({ ...good, key: '/number' })).map((p) => p.path)).toContain('/import/key');
  });
});

describe('a row read through the import block', () => {
  it('converts cells to the schema types and skips empty cells', () => {
    const { Kind: _kind, ...columns } = good.columns;
    const mapped = mapRow({ ...good, columns }, schema, {
      Ref: ' r-1 ', Born: '05/14/2011', Flag: 'Y', Count: '3', Score: '2.5', City: '', 'Owner Mail': 'Owner@Example.org',
    });
    expect(mapped.problems).toEqual([]);
    expect(mapped.values.map((v) => [v.path, v.value])).toEqual([['/ref', 'r-1'], ['/born', '2011-05-14'], ['/flagged', true], ['/count', 3], ['/score', 2.5]]);
    expect(mapped.people).toEqual([{ role: 'Owner', column: 'Owner Mail', email: 'Owner@Example.org' }]);
  });

  it('reports cells that do not fit, by column and case field', () => {
    const mapped = mapRow(good, schema, { Ref: 'r', Born: '14/05/2011', Flag: 'maybe', Count: '2.5', Score: 'lots', Kind: 'X' });
    expect(mapped.problems).toEqual([
      { field: 'Born', path: '/data/born', message: '"14/05/2011" is not a date in the form MM/DD/YYYY' },
      { field: 'Flag', path: '/data/flagged', message: '"maybe" is not yes/no (accepted: yes, no, y, n, true, false, 1, 0)' },
      { field: 'Count', path: '/data/count', message: '"2.5" is not a whole number' },
      { field: 'Score', path: '/data/score', message: '"lots" is not a number' },
    ]);
    expect(mapped.values.find((v) => v.column === 'Kind')?.value).toBe('Elsewhere');
  });
});
