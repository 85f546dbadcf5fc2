/**
 * The `import` block of a case type: how rows of an external extract (CSV or JSON) become cases.
 *
 * ```json
 * "import": {
 *   "roles": ["data-steward"],                      user roles that may import
 *   "key": "/data/externalId",                      the case field that identifies a row's case
 *   "columns": {                                    column name -> case field
 *     "External #": "/data/externalId",
 *     "Birth Date": { "to": "/data/dob", "date": "MM/DD/YYYY" },
 *     "Flag": { "to": "/data/flag", "values": { "Y": true, "N": false } }
 *   },
 *   "people": { "Worker": { "column": "Worker E-mail", "matchBy": "email", "userRole": "worker" } },
 *   "only": { "column": "Status", "in": ["Open"] },  rows with any other value are refused
 *   "validation": "complete",                       "complete": the whole schema; "partial" (default): types and formats
 *   "onPersonChange": {
 *     "Worker": { "notify": ["Helper"], "cc": ["Lead"], "template": "worker-changed", "exceptStatuses": ["Closed"] }
 *   }
 * }
 * ```
 * Case fields are JSON pointers into the case record (`/data/...`); `people` and
 * `onPersonChange` are keyed by roles on the case. Validated when the case type is published.
 */
import type { FieldError } from '../errors.js';
import { schemaAtDataPointer } from '../definitions/index.js';
import { isPlainObject, parsePointer, pointer } from '../json-pointer.js';
import { dateFormatError } from './date-format.js';

export type CellValue = string | number | boolean;

export interface ColumnRule {
  to: string;
  /** The cells' date layout (e.g. `MM/DD/YYYY`); stored as YYYY-MM-DD. ISO dates are always accepted. */
  date?: string;
  /** Cell text -> stored value (e.g. "Y" -> true). Cells not listed are kept as they are. */
  values?: Record<string, CellValue>;
}

export interface PersonRule {
  column: string;
  matchBy: 'email';
  /** The user role the matched account must hold. */
  userRole?: string;
}

export interface PersonChangeRule {
  /** Roles on the case whose holders are told. */
  notify: string[];
  cc?: string[];
  template: string;
  /** No notice while the case is in one of these statuses (e.g. closed ones). */
  exceptStatuses?: string[];
}

export interface CaseImportConfig {
  roles: string[];
  key: string;
  columns: Record<string, string | ColumnRule>;
  people?: Record<string, PersonRule>;
  only?: { column: string; in: string[] };
  validation?: 'complete' | 'partial';
  onPersonChange?: Record<string, PersonChangeRule>;
}

const SETTINGS = ['roles', 'key', 'columns', 'people', 'only', 'validation', 'onPersonChange'];
const MAX_NAME = 200;
/** Key fields are looked up in the store by dotted path, so their names are plain. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The column rule in its long form. */
export function columnRule(rule: string | ColumnRule): ColumnRule {
  return typeof rule === 'string' ? { to: rule } : rule;
}

/** `/data/a/b` -> `/a/b` (the pointer inside the case data), or undefined for anything else. */
export function dataPointerOf(target: string): string | undefined {
  const tokens = parsePointer(target);
  return tokens && tokens.length >= 2 && tokens[0] === 'data' ? target.slice('/data'.length) : undefined;
}

const text = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '' && value.length <= MAX_NAME;

class Problems {
  readonly list: FieldError[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
  unknownKeys(value: Record<string, unknown>, at: string, allowed: string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.add(pointer(at, key), `is not a setting here (allowed: ${allowed.join(', ')})`);
    }
  }
  nameList(value: unknown, at: string, what: string, allowedNames?: string[]): void {
    if (!Array.isArray(value) || value.length === 0) {
      this.add(at, `must be a list of ${what} (at least one)`);
      return;
    }
    value.forEach((name: unknown, i) => {
      if (!text(name)) this.add(pointer(at, i), `each entry must be a ${what.replace(/s$/, '')} name`);
      else if (allowedNames && !allowedNames.includes(name)) this.add(pointer(at, i), `"${name}" is not one of the ${what} of this case type (${allowedNames.join(', ')})`);
    });
  }
}

function checkColumns(columns: unknown, schema: unknown, at: string, problems: Problems): Set<string> {
  const targets = new Set<string>();
  if (!isPlainObject(columns) || Object.keys(columns).length === 0) {
    problems.add(at, 'must map each column name to a case field such as "/data/dob" (at least one column)');
    return targets;
  }
  for (const [name, rawRule] of Object.entries(columns)) {
    const here = pointer(at, name);
    if (name.trim() === '' || name !== name.trim() || name.length > MAX_NAME) problems.add(here, `a column name must be non-blank text of up to ${MAX_NAME} characters without surrounding spaces`);
    if (typeof rawRule !== 'string' && !isPlainObject(rawRule)) {
      problems.add(here, 'must be a case field ("/data/...") or { "to": "/data/...", "date"?: "MM/DD/YYYY", "values"?: { ... } }');
      continue;
    }
    const rule = columnRule(rawRule as string | ColumnRule);
    const ruleAt = typeof rawRule === 'string' ? here : pointer(here, 'to');
    if (isPlainObject(rawRule)) problems.unknownKeys(rawRule, here, ['to', 'date', 'values']);
    const inData = typeof rule.to === 'string' ? dataPointerOf(rule.to) : undefined;
    if (inData === undefined) {
      problems.add(ruleAt, 'must be a case field: a JSON pointer starting with /data/');
    } else if (!isPlainObject(schemaAtDataPointer(schema, inData))) {
      problems.add(ruleAt, `"${rule.to}" is not a field of the case type's schema`);
    } else if (targets.has(rule.to)) {
      problems.add(ruleAt, `another column already fills "${rule.to}"`);
    } else {
      targets.add(rule.to);
    }
    if (rule.date !== undefined) {
      const error = typeof rule.date === 'string' ? dateFormatError(rule.date) : 'must be a date layout such as MM/DD/YYYY';
      if (error) problems.add(pointer(here, 'date'), error);
    }
    if (rule.values !== undefined) {
      if (!isPlainObject(rule.values)) problems.add(pointer(here, 'values'), 'must map cell texts to stored values');
      else {
        for (const [cell, value] of Object.entries(rule.values)) {
          if (!['string', 'number', 'boolean'].includes(typeof value)) problems.add(pointer(here, 'values', cell), 'must be text, a number or true/false');
        }
      }
    }
  }
  return targets;
}

function checkPeople(people: unknown, at: string, caseRoles: string[], problems: Problems): string[] {
  if (!isPlainObject(people)) {
    problems.add(at, 'must map roles on the case to { "column": "...", "matchBy": "email" }');
    return [];
  }
  for (const [role, rule] of Object.entries(people)) {
    const here = pointer(at, role);
    if (!caseRoles.includes(role)) problems.add(here, `"${role}" is not a role on this case type (${caseRoles.join(', ')})`);
    if (!isPlainObject(rule)) {
      problems.add(here, 'must be { "column": "...", "matchBy": "email" }');
      continue;
    }
    problems.unknownKeys(rule, here, ['column', 'matchBy', 'userRole']);
    if (!text(rule.column)) problems.add(pointer(here, 'column'), 'must name the column holding the person');
    if (rule.matchBy !== 'email') problems.add(pointer(here, 'matchBy'), 'must be "email" (people are matched by their login e-mail)');
    if (rule.userRole !== undefined && !text(rule.userRole)) problems.add(pointer(here, 'userRole'), 'must be a user role name');
  }
  return Object.keys(people);
}

function checkPersonChanges(changes: unknown, at: string, importedRoles: string[], caseRoles: string[], statuses: string[], problems: Problems): void {
  if (!isPlainObject(changes)) {
    problems.add(at, 'must map imported roles to { "notify": [roles], "template": "..." }');
    return;
  }
  for (const [role, rule] of Object.entries(changes)) {
    const here = pointer(at, role);
    if (!importedRoles.includes(role)) problems.add(here, `"${role}" is not one of the roles the import fills ("people": ${importedRoles.join(', ') || 'none'})`);
    if (!isPlainObject(rule)) {
      problems.add(here, 'must be { "notify": [roles], "template": "..." }');
      continue;
    }
    problems.unknownKeys(rule, here, ['notify', 'cc', 'template', 'exceptStatuses']);
    problems.nameList(rule.notify, pointer(here, 'notify'), 'roles', caseRoles);
    if (rule.cc !== undefined) problems.nameList(rule.cc, pointer(here, 'cc'), 'roles', caseRoles);
    if (!text(rule.template)) problems.add(pointer(here, 'template'), 'must name the notification template');
    if (rule.exceptStatuses !== undefined) problems.nameList(rule.exceptStatuses, pointer(here, 'exceptStatuses'), 'statuses', statuses);
  }
}

/**
 * Problems with a case type's `import` block, by JSON pointer into the case type. Runs on a
 * case type that passed the built-in checks, so its schema, roles and statuses are well formed.
 */
export function validateImportConfig(caseType: Record<string, any>): FieldError[] {
  const config = caseType.import;
  if (config === undefined) return [];
  const problems = new Problems();
  if (!isPlainObject(config)) {
    problems.add('/import', 'must be an object with roles, key and columns');
    return problems.list;
  }
  const caseRoles: string[] = Array.isArray(caseType.roles) ? caseType.roles : [];
  const statuses: string[] = Array.isArray(caseType.statuses) ? caseType.statuses : [];
  problems.unknownKeys(config, '/import', SETTINGS);
  problems.nameList(config.roles, '/import/roles', 'user roles');
  const targets = checkColumns(config.columns, caseType.schema, '/import/columns', problems);
  if (typeof config.key !== 'string' || dataPointerOf(config.key) === undefined || !parsePointer(config.key)!.every((t) => FIELD_NAME.test(t))) {
    problems.add('/import/key', 'must be the case field (a pointer such as /data/externalId, names of letters, digits, _ and -) that identifies the case of a row');
  } else if (!targets.has(config.key)) {
    problems.add('/import/key', `no column fills "${config.key}"; map one column to it`);
  }
  const importedRoles = config.people === undefined ? [] : checkPeople(config.people, '/import/people', caseRoles, problems);
  if (config.only !== undefined) {
    if (!isPlainObject(config.only)) problems.add('/import/only', 'must be { "column": "...", "in": ["value", ...] }');
    else {
      problems.unknownKeys(config.only, '/import/only', ['column', 'in']);
      if (!text(config.only.column)) problems.add('/import/only/column', 'must name the column to check');
      problems.nameList(config.only.in, '/import/only/in', 'accepted values');
    }
  }
  if (config.validation !== undefined && config.validation !== 'complete' && config.validation !== 'partial') {
    problems.add('/import/validation', 'must be "complete" (rows must satisfy the whole schema) or "partial" (types and formats only)');
  }
  if (config.onPersonChange !== undefined) checkPersonChanges(config.onPersonChange, '/import/onPersonChange', importedRoles, caseRoles, statuses, problems);
  return problems.list;
}
