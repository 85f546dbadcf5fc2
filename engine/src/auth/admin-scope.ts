/**
 * Which users an administrator may see and manage, as configuration: each rule names an
 * administering role and the accounts it manages (their roles, and attributes that must
 * equal a fixed value or the administrator's own). The same rules give the store filter
 * for searches and the check for every change, so an admin never sees or touches an
 * account outside them.
 */
import { readFileSync } from 'node:fs';
import type { Filter } from '../store/types.js';
import type { FieldError } from '../errors.js';
import type { Principal } from './principal.js';

export type AttributeValue = string | number | boolean;

export interface AccountAdminRule {
  /** The administering role. */
  role: string;
  manages: {
    /** Roles the managed accounts may hold (every one of them) and the admin may give; "*" for any. */
    roles: string[] | '*';
    /** Attributes that must equal the administrator's own (e.g. the organisation). */
    sameAttribute?: string | string[];
    /** Attributes that must have these values. */
    attributes?: Record<string, AttributeValue>;
  };
  /** Further attributes the administrator fills in on the accounts (shown by the admin screens). */
  fields?: AccountField[];
}

/** An attribute of managed accounts the administrator edits: a text, or codes of a lookup (one or several). */
export interface AccountField {
  attribute: string;
  title: string;
  lookup?: string;
  multiple?: boolean;
}

/** What the caller may do with accounts, for the admin screens: the roles they may give, the attributes fixed for them, the fields they fill. */
export interface AdministrationView {
  roles: string[] | '*';
  fixedAttributes: Record<string, AttributeValue>;
  fields: AccountField[];
}

/** The parts of an account the rules look at. */
export interface ManagedAccount {
  roles: string[];
  attributes: Record<string, unknown>;
}

const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

function isScalar(value: unknown): value is AttributeValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function sameAttributes(rule: AccountAdminRule): string[] {
  const same = rule.manages.sameAttribute;
  return same === undefined ? [] : Array.isArray(same) ? same : [same];
}

/** A stored attribute matches a value as the store's equality does: equal, or an array holding it. */
function attributeMatches(stored: unknown, value: AttributeValue): boolean {
  return stored === value || (Array.isArray(stored) && stored.includes(value));
}

/** The caller's rules: those of every role the caller holds. */
export function rulesFor(admin: Principal, rules: readonly AccountAdminRule[]): AccountAdminRule[] {
  return rules.filter((rule) => admin.roles.includes(rule.role));
}

/** The attribute values a rule requires of a managed account, or null when the admin lacks one of their own. */
function requiredAttributes(rule: AccountAdminRule, admin: Principal): Record<string, AttributeValue> | null {
  const required: Record<string, AttributeValue> = { ...(rule.manages.attributes ?? {}) };
  for (const name of sameAttributes(rule)) {
    const own = admin.attributes[name];
    // An admin without the attribute manages nobody under this rule (never "everyone without it").
    if (!isScalar(own)) return null;
    required[name] = own;
  }
  return required;
}

/** The caller's account administration, merged over their rules; null when they manage no accounts. */
export function administrationOf(admin: Principal, rules: readonly AccountAdminRule[]): AdministrationView | null {
  const usable = rulesFor(admin, rules).filter((rule) => requiredAttributes(rule, admin));
  if (usable.length === 0) return null;
  const roles = usable.some((r) => r.manages.roles === '*') ? '*' : [...new Set(usable.flatMap((r) => r.manages.roles as string[]))];
  // Attributes are fixed only when every rule fixes them alike (otherwise they depend on the roles given).
  const [first, ...others] = usable.map((r) => requiredAttributes(r, admin)!);
  const fixedAttributes = Object.fromEntries(Object.entries(first).filter(([name, value]) => others.every((o) => o[name] === value)));
  const fields = new Map<string, AccountField>();
  for (const rule of usable) for (const field of rule.fields ?? []) if (!fields.has(field.attribute)) fields.set(field.attribute, field);
  return { roles, fixedAttributes, fields: [...fields.values()] };
}

/** The store filter of the accounts `admin` may see and manage; null when none. */
export function managedAccountsFilter(admin: Principal, rules: readonly AccountAdminRule[]): Filter | null {
  const alternatives: Filter[] = [];
  for (const rule of rulesFor(admin, rules)) {
    const required = requiredAttributes(rule, admin);
    if (!required) continue;
    const parts: Filter[] = [];
    const roles = rule.manages.roles;
    // At least one role, and none outside the rule's list.
    if (roles !== '*') parts.push({ roles: { $in: roles, $not: { $elemMatch: { $nin: roles } } } });
    for (const [name, value] of Object.entries(required)) parts.push({ [`attributes.${name}`]: value });
    alternatives.push(parts.length === 0 ? {} : parts.length === 1 ? parts[0] : { $and: parts });
  }
  if (alternatives.length === 0) return null;
  return alternatives.some((f) => Object.keys(f).length === 0) ? {} : { $or: alternatives };
}

function ruleCoversRoles(rule: AccountAdminRule, roles: readonly string[]): boolean {
  const allowed = rule.manages.roles;
  return allowed === '*' || (roles.length > 0 && roles.every((r) => allowed.includes(r)));
}

function ruleCovers(rule: AccountAdminRule, admin: Principal, account: ManagedAccount): boolean {
  const required = requiredAttributes(rule, admin);
  return !!required && ruleCoversRoles(rule, account.roles)
    && Object.entries(required).every(([name, value]) => attributeMatches(account.attributes[name], value));
}

/** Whether `admin` may see and manage `account` (the in-memory twin of `managedAccountsFilter`). */
export function manages(admin: Principal, account: ManagedAccount, rules: readonly AccountAdminRule[]): boolean {
  return rulesFor(admin, rules).some((rule) => ruleCovers(rule, admin, account));
}

/**
 * Fills attributes a rule fixes (its own values, or the admin's) that the new account data
 * leaves out, using the first of the admin's rules that covers the account's roles.
 */
export function withRequiredAttributes(admin: Principal, account: ManagedAccount, rules: readonly AccountAdminRule[]): Record<string, unknown> {
  const rule = rulesFor(admin, rules).find((r) => ruleCoversRoles(r, account.roles) && requiredAttributes(r, admin));
  const required = rule ? requiredAttributes(rule, admin) ?? {} : {};
  const attributes = { ...account.attributes };
  for (const [name, value] of Object.entries(required)) if (!Object.hasOwn(attributes, name)) attributes[name] = value;
  return attributes;
}

/** Why `admin` may not give an account these roles and attributes, field by field; empty when allowed. */
export function managementProblems(admin: Principal, account: ManagedAccount, rules: readonly AccountAdminRule[]): FieldError[] {
  if (manages(admin, account, rules)) return [];
  const own = rulesFor(admin, rules);
  const givable = new Set(own.flatMap((r) => (r.manages.roles === '*' ? account.roles : r.manages.roles)));
  const roleErrors = account.roles.flatMap((role, i) => (givable.has(role) ? [] : [{ path: `/roles/${i}`, message: `"${role}" is not a role you may give` }]));
  if (roleErrors.length > 0) return roleErrors;
  const covering = own.filter((r) => ruleCoversRoles(r, account.roles));
  if (covering.length === 0) return [{ path: '/roles', message: 'you may not give this combination of roles' }];
  const required = requiredAttributes(covering[0], admin);
  if (!required) return [{ path: '/attributes', message: 'your own account lacks an attribute needed to manage accounts' }];
  return Object.entries(required)
    .filter(([name, value]) => !attributeMatches(account.attributes[name], value))
    .map(([name, value]) => ({ path: `/attributes/${name}`, message: `must be "${String(value)}"` }));
}

/** Checks a rules list read from a file; returns the problems, by JSON pointer. */
export function checkAdminRules(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [{ path: '', message: 'must be a list of rules' }];
  const errors: FieldError[] = [];
  value.forEach((rule: any, i) => {
    const at = `/${i}`;
    if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return errors.push({ path: at, message: 'must be an object' });
    for (const key of Object.keys(rule)) if (!['role', 'manages', 'fields'].includes(key)) errors.push({ path: `${at}/${key}`, message: 'is not a known field' });
    errors.push(...fieldProblems(rule.fields, `${at}/fields`));
    if (typeof rule.role !== 'string' || !rule.role.trim()) errors.push({ path: `${at}/role`, message: 'must be a role name' });
    const m = rule.manages;
    if (m === null || typeof m !== 'object' || Array.isArray(m)) return errors.push({ path: `${at}/manages`, message: 'must be an object' });
    for (const key of Object.keys(m)) if (!['roles', 'sameAttribute', 'attributes'].includes(key)) errors.push({ path: `${at}/manages/${key}`, message: 'is not a known field' });
    if (m.roles !== '*' && !(Array.isArray(m.roles) && m.roles.length > 0 && m.roles.every((r: unknown) => typeof r === 'string' && r.trim()))) {
      errors.push({ path: `${at}/manages/roles`, message: 'must be "*" or a non-empty list of role names' });
    }
    const same = m.sameAttribute === undefined ? [] : Array.isArray(m.sameAttribute) ? m.sameAttribute : [m.sameAttribute];
    if (!same.every((s: unknown) => typeof s === 'string' && ATTRIBUTE_NAME.test(s))) {
      errors.push({ path: `${at}/manages/sameAttribute`, message: 'must be an attribute name or a list of them' });
    }
    if (m.attributes !== undefined) {
      if (m.attributes === null || typeof m.attributes !== 'object' || Array.isArray(m.attributes)) {
        errors.push({ path: `${at}/manages/attributes`, message: 'must be an object of attribute values' });
      } else {
        for (const [name, v] of Object.entries(m.attributes)) {
          if (!ATTRIBUTE_NAME.test(name) || !isScalar(v)) errors.push({ path: `${at}/manages/attributes/${name}`, message: 'must be a text, number or true/false value under a plain attribute name' });
        }
      }
    }
  });
  return errors;
}

function fieldProblems(fields: unknown, at: string): FieldError[] {
  if (fields === undefined) return [];
  if (!Array.isArray(fields)) return [{ path: at, message: 'must be a list of fields' }];
  return fields.flatMap((field: any, i): FieldError[] => {
    const here = `${at}/${i}`;
    if (field === null || typeof field !== 'object' || Array.isArray(field)) return [{ path: here, message: 'must be an object' }];
    const problems: FieldError[] = Object.keys(field)
      .filter((key) => !['attribute', 'title', 'lookup', 'multiple'].includes(key))
      .map((key) => ({ path: `${here}/${key}`, message: 'is not a known field' }));
    if (typeof field.attribute !== 'string' || !ATTRIBUTE_NAME.test(field.attribute)) problems.push({ path: `${here}/attribute`, message: 'must be a plain attribute name' });
    if (typeof field.title !== 'string' || !field.title.trim()) problems.push({ path: `${here}/title`, message: 'must be a non-empty text' });
    if (field.lookup !== undefined && (typeof field.lookup !== 'string' || !/^[a-z][a-z0-9-]{1,63}$/.test(field.lookup))) problems.push({ path: `${here}/lookup`, message: 'must be a lookup key' });
    if (field.multiple !== undefined && typeof field.multiple !== 'boolean') problems.push({ path: `${here}/multiple`, message: 'must be true or false' });
    return problems;
  });
}

/** Reads the rules file; a missing file means no rules (nobody administers accounts through the API). */
export function readAdminRules(file: string): AccountAdminRule[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`The account administration file ${file} cannot be read: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new Error(`The account administration file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const errors = checkAdminRules(value);
  if (errors.length > 0) {
    throw new Error(`The account administration file ${file} has errors:\n${errors.map((e) => `  ${e.path || '/'}: ${e.message}`).join('\n')}`);
  }
  return value as AccountAdminRule[];
}
