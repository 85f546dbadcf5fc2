/**
 * Validation of case type content: a form (schema + uischema describe the case record's data)
 * plus numbering, statuses, the initial status and the roles people hold on a case.
 */
import type { FieldError } from '../errors.js';
import { validateFormContent } from './form-validation.js';
import { isPlainObject, pointer } from '../json-pointer.js';
import { validateListing } from '../documents/case-listing.js';
import { validateCaseDisplay } from './case-display.js';

const PREFIX_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_./-]{0,19}$/;
const MAX_DIGITS = 12;

export function validateCaseTypeContent(content: unknown): FieldError[] {
  const problems = validateFormContent(content);
  if (!isPlainObject(content)) return problems;
  if (content.computed !== undefined) {
    // A case lives for years: a value computed once (an age) would go stale. Documents are snapshots.
    problems.push({ path: '/computed', message: 'Case types have no computed fields (only forms do): show derived values such as an age in the UI' });
  }

  const numbering = content.numbering;
  if (!isPlainObject(numbering)) {
    problems.push({ path: '/numbering', message: 'Case numbering is required: { "prefix": "AB-", "digits": 6 }' });
  } else {
    if (typeof numbering.prefix !== 'string' || (numbering.prefix !== '' && !PREFIX_PATTERN.test(numbering.prefix))) {
      problems.push({
        path: '/numbering/prefix',
        message: 'The number prefix must be text of up to 20 letters, digits or - _ . / (it may be empty)',
      });
    }
    if (!Number.isInteger(numbering.digits) || numbering.digits < 1 || numbering.digits > MAX_DIGITS) {
      problems.push({ path: '/numbering/digits', message: `The number of digits must be a whole number from 1 to ${MAX_DIGITS}` });
    }
  }

  checkNameList(content.statuses, '/statuses', 'status', problems);
  if (typeof content.initialStatus !== 'string' || content.initialStatus === '') {
    problems.push({ path: '/initialStatus', message: 'The initial status is required and must be one of the statuses' });
  } else if (Array.isArray(content.statuses) && content.statuses.length > 0 && !content.statuses.includes(content.initialStatus)) {
    problems.push({
      path: '/initialStatus',
      message: `The initial status "${content.initialStatus}" is not one of the statuses: ${content.statuses.join(', ')}`,
    });
  }
  checkNameList(content.roles, '/roles', 'role', problems);

  // Optional list of user roles that may open cases.
  if (content.createRoles !== undefined) checkNameList(content.createRoles, '/createRoles', 'role', problems, { allowEmpty: true });
  if (content.visibility !== undefined) checkVisibility(content.visibility, problems);
  if (content.permissions !== undefined) checkPermissions(content.permissions, problems);
  if (content.listing !== undefined) {
    problems.push(...validateListing(content.listing, Array.isArray(content.statuses) ? content.statuses.filter((s): s is string => typeof s === 'string') : [], content.schema));
  }
  if (content.display !== undefined) problems.push(...validateCaseDisplay(content.display, content.schema));
  return problems;
}

const PERMISSION = /^(createDocument:(\*|[a-z][a-z0-9-]{1,63})|editDocument:(\*|[a-z][a-z0-9-]{1,63})|editCase:(\*|\/[A-Za-z_][A-Za-z0-9_]*)|uploadFile)$/;

/** `permissions`: user role -> actions (createDocument:<form>, editDocument:<form>, uploadFile). */
function checkPermissions(permissions: unknown, problems: FieldError[]): void {
  if (!isPlainObject(permissions)) {
    problems.push({ path: '/permissions', message: '"permissions" must map each user role to a list of actions' });
    return;
  }
  for (const [role, actions] of Object.entries(permissions)) {
    if (!Array.isArray(actions)) {
      problems.push({ path: pointer('/permissions', role), message: `The actions of ${role} must be a list` });
      continue;
    }
    actions.forEach((action: unknown, i: number) => {
      if (typeof action !== 'string' || !PERMISSION.test(action)) {
        problems.push({ path: pointer('/permissions', role, i), message: 'An action is createDocument:<form key or *>, editDocument:<form key or *>, editCase:</field or *> or uploadFile' });
      }
    });
  }
}

const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const RULE_SHAPES = [
  'all', 'createdByMe', 'holdsRole', 'caseField + equalsAttribute', 'caseField + equals', 'personWithRole + sameAttribute',
];

/** `visibility`: user role -> list of rules, each one of the shapes documents/case-access.ts reads. */
function checkVisibility(visibility: unknown, problems: FieldError[]): void {
  if (!isPlainObject(visibility)) {
    problems.push({ path: '/visibility', message: '"visibility" must map each user role to a list of rules' });
    return;
  }
  for (const [role, rules] of Object.entries(visibility)) {
    const at = pointer('/visibility', role);
    if (!Array.isArray(rules)) {
      problems.push({ path: at, message: `The rules for ${role} must be a list` });
      continue;
    }
    rules.forEach((rule: unknown, i: number) => {
      const here = pointer(at, i);
      const r = isPlainObject(rule) ? rule : {};
      const keys = Object.keys(r).sort().join(',');
      const text = (v: unknown) => typeof v === 'string' && v.trim() !== '';
      const ok =
        (keys === 'all' && r.all === true) ||
        (keys === 'createdByMe' && r.createdByMe === true) ||
        (keys === 'holdsRole' && text(r.holdsRole)) ||
        (keys === 'caseField,equalsAttribute' && FIELD_PATH.test(String(r.caseField)) && text(r.equalsAttribute)) ||
        (keys === 'caseField,equals' && FIELD_PATH.test(String(r.caseField)) && ['string', 'number', 'boolean'].includes(typeof r.equals)) ||
        (keys === 'personWithRole,sameAttribute' && text(r.personWithRole) && FIELD_PATH.test(String(r.sameAttribute)));
      if (!ok) problems.push({ path: here, message: `Each visibility rule is one of: ${RULE_SHAPES.join('; ')} (case fields are dotted paths such as data.office)` });
    });
  }
}

/** Reports what keeps `value` from being a (non-empty) list of distinct, non-blank names. */
function checkNameList(
  value: unknown,
  at: string,
  noun: string,
  problems: FieldError[],
  { allowEmpty = false }: { allowEmpty?: boolean } = {},
): void {
  if (!Array.isArray(value) || (!allowEmpty && value.length === 0)) {
    problems.push({ path: at, message: `A list of ${noun} names is required${allowEmpty ? '' : ' (at least one)'}` });
    return;
  }
  const seen = new Map<string, number>();
  value.forEach((name, i) => {
    if (typeof name !== 'string' || name.trim() === '') {
      problems.push({ path: pointer(at, i), message: `Each ${noun} must be a non-empty name` });
    } else if (name !== name.trim()) {
      problems.push({ path: pointer(at, i), message: `The ${noun} "${name}" starts or ends with spaces` });
    } else if (seen.has(name)) {
      problems.push({ path: pointer(at, i), message: `The ${noun} "${name}" is listed twice (also at position ${seen.get(name)! + 1})` });
    } else {
      seen.set(name, i);
    }
  });
}
