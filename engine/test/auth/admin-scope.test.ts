import { describe, expect, it } from 'vitest';
import {
  administrationOf, checkAdminRules, managedAccountsFilter, managementProblems, manages, withRequiredAttributes, type AccountAdminRule, type ManagedAccount,
} from '../../src/auth/admin-scope.js';
import type { Principal } from '../../src/auth/principal.js';
import { compileFilter } from '../../src/store/embedded/mingo.js';

// Generic names: the engine's own tests know no business roles.
const rules: AccountAdminRule[] = [
  { role: 'root', manages: { roles: '*' } },
  { role: 'unit-admin', manages: { roles: ['worker', 'lead'], attributes: { unit: 'North' } } },
  { role: 'org-admin', manages: { roles: ['member'], sameAttribute: 'org' } },
];

const admin = (roles: string[], attributes: Record<string, unknown> = {}): Principal => ({ userId: 'a', email: 'a@example.org', name: 'A', roles, attributes });

const accounts: ManagedAccount[] = [
  { roles: ['worker'], attributes: { unit: 'North' } },
  { roles: ['worker', 'lead'], attributes: { unit: 'North' } },
  { roles: ['worker', 'member'], attributes: { unit: 'North', org: 'Acme' } },
  { roles: ['worker'], attributes: { unit: 'South' } },
  { roles: ['member'], attributes: { org: 'Acme' } },
  { roles: ['member'], attributes: { org: 'Globex' } },
  { roles: ['member'], attributes: {} },
  { roles: ['member'], attributes: { org: ['Acme', 'Globex'] } },
  { roles: [], attributes: { unit: 'North' } },
  { roles: ['root'], attributes: {} },
];

const admins: [string, Principal, number[]][] = [
  ['root', admin(['root']), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
  ['unit admin', admin(['unit-admin']), [0, 1]],
  ['org admin of Acme', admin(['org-admin'], { org: 'Acme' }), [4, 7]],
  ['org admin without an org', admin(['org-admin']), []],
  ['unit and org admin', admin(['unit-admin', 'org-admin'], { org: 'Globex' }), [0, 1, 5, 7]],
  ['nobody', admin(['worker']), []],
];

describe('account administration rules', () => {
  for (const [who, principal, expected] of admins) {
    it(`${who}: the store filter and the in-memory check agree`, () => {
      const filter = managedAccountsFilter(principal, rules);
      const byFilter = filter ? accounts.flatMap((a, i) => (compileFilter(filter).test(a) ? [i] : [])) : [];
      const byCheck = accounts.flatMap((a, i) => (manages(principal, a, rules) ? [i] : []));
      expect(byFilter).toEqual(expected);
      expect(byCheck).toEqual(expected);
    });
  }

  it('gives no filter to a caller who manages nobody', () => {
    expect(managedAccountsFilter(admin(['worker']), rules)).toBeNull();
    expect(managedAccountsFilter(admin(['org-admin']), rules)).toBeNull();
  });

  it('fills in the attributes a rule fixes, keeping what was given', () => {
    const orgAdmin = admin(['org-admin'], { org: 'Acme' });
    expect(withRequiredAttributes(orgAdmin, { roles: ['member'], attributes: { areas: ['x'] } }, rules)).toEqual({ areas: ['x'], org: 'Acme' });
    expect(withRequiredAttributes(orgAdmin, { roles: ['member'], attributes: { org: 'Globex' } }, rules)).toEqual({ org: 'Globex' });
    expect(withRequiredAttributes(admin(['unit-admin']), { roles: ['lead'], attributes: {} }, rules)).toEqual({ unit: 'North' });
  });

  it('names the roles and attributes an admin may not give', () => {
    const orgAdmin = admin(['org-admin'], { org: 'Acme' });
    expect(managementProblems(orgAdmin, { roles: ['member', 'root'], attributes: { org: 'Acme' } }, rules)).toEqual([
      { path: '/roles/1', message: '"root" is not a role you may give' },
    ]);
    expect(managementProblems(orgAdmin, { roles: ['member'], attributes: { org: 'Globex' } }, rules)).toEqual([
      { path: '/attributes/org', message: 'must be "Acme"' },
    ]);
    const both = admin(['unit-admin', 'org-admin'], { org: 'Acme' });
    expect(managementProblems(both, { roles: ['worker', 'member'], attributes: { unit: 'North', org: 'Acme' } }, rules)).toEqual([
      { path: '/roles', message: 'you may not give this combination of roles' },
    ]);
    expect(managementProblems(orgAdmin, { roles: ['member'], attributes: { org: 'Acme' } }, rules)).toEqual([]);
  });

  it('checks a rules file, naming each problem', () => {
    expect(checkAdminRules(rules)).toEqual([]);
    expect(checkAdminRules({})).toEqual([{ path: '', message: 'must be a list of rules' }]);
    expect(checkAdminRules([{ role: '', manages: { roles: [], sameAttribute: 'a.b', attributes: { x: {} }, extra: 1 } }])).toEqual([
      { path: '/0/role', message: 'must be a role name' },
      { path: '/0/manages/extra', message: 'is not a known field' },
      { path: '/0/manages/roles', message: 'must be "*" or a non-empty list of role names' },
      { path: '/0/manages/sameAttribute', message: 'must be an attribute name or a list of them' },
      { path: '/0/manages/attributes/x', message: 'must be a text, number or true/false value under a plain attribute name' },
    ]);
  });
});

describe('the administration an admin screen shows', () => {
  const withFields: AccountAdminRule[] = [
    { role: 'unit-admin', manages: { roles: ['worker', 'lead'], attributes: { unit: 'North' } }, fields: [{ attribute: 'desk', title: 'Desk' }] },
    { role: 'org-admin', manages: { roles: ['member'], sameAttribute: 'org' }, fields: [{ attribute: 'areas', title: 'Areas', lookup: 'areas', multiple: true }] },
  ];

  it('gives the roles to give, the attributes every rule fixes alike, and the fields of every rule', () => {
    expect(administrationOf(admin(['org-admin'], { org: 'Acme' }), withFields)).toEqual({
      roles: ['member'], fixedAttributes: { org: 'Acme' }, fields: [{ attribute: 'areas', title: 'Areas', lookup: 'areas', multiple: true }],
    });
    expect(administrationOf(admin(['unit-admin', 'org-admin'], { org: 'Acme' }), withFields)).toEqual({
      roles: ['worker', 'lead', 'member'], fixedAttributes: {}, fields: [{ attribute: 'desk', title: 'Desk' }, { attribute: 'areas', title: 'Areas', lookup: 'areas', multiple: true }],
    });
    expect(administrationOf(admin(['root', 'unit-admin']), rules)).toMatchObject({ roles: '*' });
  });

  it('is null for an admin who manages nobody (no rule, or lacking their own attribute)', () => {
    expect(administrationOf(admin(['worker']), withFields)).toBeNull();
    expect(administrationOf(admin(['org-admin']), withFields)).toBeNull();
  });
});
