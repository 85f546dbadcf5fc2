/**
 * How screens name a case of a type: what one case is called ("Case", or the program's own
 * word), the heading of their list, the data fields that make a case's name, and the few data
 * fields shown under its heading. Checked at publish; the runtime UI reads it.
 */
import type { FieldError } from '../errors.js';
import { isPlainObject, pointer } from '../json-pointer.js';

export interface CaseDisplay {
  /** One case and several ("Case", "Cases" unless the type says). */
  caseLabel?: string;
  casesLabel?: string;
  listingTitle?: string;
  /** Top-level data fields joined with spaces: the case's name beside its number. */
  nameFields?: string[];
  /** Top-level data fields shown under the case's heading, with their labels. */
  details?: { label: string; field: string; format?: 'date' }[];
}

const KEYS = new Set(['caseLabel', 'casesLabel', 'listingTitle', 'nameFields', 'details']);

function topLevelField(schema: unknown, field: unknown): boolean {
  return typeof field === 'string' && isPlainObject(schema) && isPlainObject(schema.properties) && Object.hasOwn(schema.properties, field);
}

function text(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '' && value.length <= 80;
}

export function validateCaseDisplay(display: unknown, schema: unknown): FieldError[] {
  if (!isPlainObject(display)) return [{ path: '/display', message: '"display" must be an object with caseLabel, casesLabel, listingTitle, nameFields and details (each optional)' }];
  const problems: FieldError[] = [];
  for (const key of Object.keys(display)) {
    if (!KEYS.has(key)) problems.push({ path: pointer('/display', key), message: `"${key}" is not a display setting (${[...KEYS].join(', ')})` });
  }
  for (const key of ['caseLabel', 'casesLabel', 'listingTitle'] as const) {
    if (display[key] !== undefined && !text(display[key])) problems.push({ path: pointer('/display', key), message: 'A label of 1 to 80 characters is required' });
  }
  const field = (value: unknown, at: string) => {
    if (!topLevelField(schema, value)) problems.push({ path: at, message: `"${String(value)}" is not a top-level field of the case schema` });
  };
  if (display.nameFields !== undefined) {
    if (!Array.isArray(display.nameFields)) problems.push({ path: '/display/nameFields', message: 'The name fields are a list of data field names' });
    else display.nameFields.forEach((name, i) => field(name, pointer('/display/nameFields', i)));
  }
  if (display.details !== undefined) {
    if (!Array.isArray(display.details)) problems.push({ path: '/display/details', message: 'The details are a list of { label, field }' });
    else display.details.forEach((detail, i) => {
      const at = pointer('/display/details', i);
      if (!isPlainObject(detail)) {
        problems.push({ path: at, message: 'Each detail is { label, field }' });
        return;
      }
      if (!text(detail.label)) problems.push({ path: pointer(at, 'label'), message: 'A label of 1 to 80 characters is required' });
      field(detail.field, pointer(at, 'field'));
      if (detail.format !== undefined && detail.format !== 'date') problems.push({ path: pointer(at, 'format'), message: 'The only format is "date" (shown MM/DD/YYYY)' });
    });
  }
  return problems;
}
