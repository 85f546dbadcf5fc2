/**
 * Who receives a notification, as rules over the case rather than addresses in a process:
 *
 *   case:<role>                          every person holding that role on the case
 *   users:<role>                         every active user holding that user role
 *   users:<role> where <attr> = <value>  ... whose attribute equals a value, or a case field (/data/...)
 *   inbox:<name>                         a fixed inbox from configuration
 *   user:<id>                            one user (e.g. built with FEEL from a process variable)
 *
 * Rules come as a list or as one comma-separated string. A rule that finds nobody is reported,
 * not fatal: a case may not have someone in every role yet.
 */
import type { FieldError } from '../errors.js';
import { getAt, isPlainObject } from '../json-pointer.js';
import type { Collection } from '../store/types.js';
import type { UserRecord } from '../auth/users.js';
import { displayName } from '../auth/users.js';

export interface Recipient {
  email: string;
  name?: string;
  userId?: string;
}

export type RecipientRule =
  | { kind: 'case'; role: string }
  | { kind: 'users'; role: string; where?: { attribute: string; value: string } }
  | { kind: 'inbox'; name: string }
  | { kind: 'user'; id: string };

const RULE = /^(case|users|inbox|user):\s*(.+?)\s*$/;
const WHERE = /^(.+?)\s+where\s+([A-Za-z_][\w]*)\s*=\s*(.+)$/;

export function parseRule(text: string): RecipientRule | string {
  const match = RULE.exec(text.trim());
  if (!match) return `"${text}" is not a recipient rule: use case:<role>, users:<role>, users:<role> where <attribute> = <value>, inbox:<name> or user:<id>`;
  const [, kind, rest] = match;
  if (kind === 'case') return { kind, role: rest };
  if (kind === 'inbox') return { kind, name: rest };
  if (kind === 'user') return { kind, id: rest };
  const where = WHERE.exec(rest);
  return where ? { kind: 'users', role: where[1].trim(), where: { attribute: where[2], value: where[3].trim() } } : { kind: 'users', role: rest };
}

/** The rules of a `to`/`cc` value: a list of rule strings, or one comma-separated string. */
export function parseRules(value: unknown, path: string): { rules: RecipientRule[]; errors: FieldError[] } {
  if (value === undefined || value === null || value === '') return { rules: [], errors: [] };
  const texts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  if (!texts || texts.some((t) => typeof t !== 'string')) return { rules: [], errors: [{ path, message: 'must be recipient rules: a list of strings or one comma-separated string' }] };
  const rules: RecipientRule[] = [];
  const errors: FieldError[] = [];
  for (const text of texts.map((t: string) => t.trim()).filter(Boolean)) {
    const rule = parseRule(text);
    if (typeof rule === 'string') errors.push({ path, message: rule });
    else rules.push(rule);
  }
  return { rules, errors };
}

/** What rules read of a case: the people on it, and fields by JSON pointer. */
export interface CaseView {
  people?: { role: string; userId: string }[];
}

export interface Resolution {
  recipients: Recipient[];
  /** Rules that found nobody (or a user without an address). */
  unresolved: string[];
}

export class RecipientResolver {
  constructor(
    private readonly users: Collection<UserRecord>,
    private readonly inboxes: ReadonlyMap<string, Recipient>,
  ) {}

  hasInbox(name: string): boolean {
    return this.inboxes.has(name);
  }

  private async usersBy(filter: Record<string, unknown>): Promise<Recipient[]> {
    const found = await this.users.find({ ...filter, active: true }, { projection: { email: 1, firstName: 1, lastName: 1 }, sort: { email: 1 } });
    return found.map((u) => ({ email: u.email, name: displayName(u), userId: u._id }));
  }

  private async one(rule: RecipientRule, record: CaseView | null): Promise<Recipient[]> {
    switch (rule.kind) {
      case 'inbox': {
        const inbox = this.inboxes.get(rule.name);
        return inbox ? [inbox] : [];
      }
      case 'user':
        return this.usersBy({ _id: rule.id });
      case 'case': {
        const ids = [...new Set((record?.people ?? []).filter((p) => p.role === rule.role).map((p) => p.userId))];
        return ids.length > 0 ? this.usersBy({ _id: { $in: ids } }) : [];
      }
      case 'users': {
        if (!rule.where) return this.usersBy({ roles: rule.role });
        const wanted = rule.where.value.startsWith('/') ? (record ? getAt(record, rule.where.value) : undefined) : rule.where.value;
        if (wanted === undefined || wanted === null || isPlainObject(wanted)) return [];
        return this.usersBy({ roles: rule.role, [`attributes.${rule.where.attribute}`]: wanted });
      }
    }
  }

  /** Resolves every rule; an address appears once, in the first rule (and list) that finds it. */
  async resolve(rules: RecipientRule[], record: CaseView | null, already: Set<string> = new Set()): Promise<Resolution> {
    const recipients: Recipient[] = [];
    const unresolved: string[] = [];
    for (const rule of rules) {
      const found = await this.one(rule, record);
      if (found.length === 0) unresolved.push(describe(rule));
      for (const recipient of found) {
        const key = recipient.email.toLowerCase();
        if (already.has(key)) continue;
        already.add(key);
        recipients.push(recipient);
      }
    }
    return { recipients, unresolved };
  }
}

export function describe(rule: RecipientRule): string {
  switch (rule.kind) {
    case 'case': return `case:${rule.role}`;
    case 'inbox': return `inbox:${rule.name}`;
    case 'user': return `user:${rule.id}`;
    case 'users': return rule.where ? `users:${rule.role} where ${rule.where.attribute} = ${rule.where.value}` : `users:${rule.role}`;
  }
}
