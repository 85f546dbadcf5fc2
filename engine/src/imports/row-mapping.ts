/**
 * One source row (column name -> cell text) read through a case type's `import` block: the
 * case fields it fills, converted to the types the schema wants, and the people it names.
 * An empty cell gives nothing: it neither fills nor clears a field.
 */
import { schemaAtDataPointer } from '../definitions/index.js';
import { columnRule, dataPointerOf, type CaseImportConfig } from './import-config.js';
import { readDate } from './date-format.js';

/** What is wrong with a row: the column (`field`), the case field it fills (`path`) and why. */
export interface RowProblem {
  field: string;
  path?: string;
  message: string;
}

export interface FieldValue {
  /** Pointer into the case data (`/dob`). */
  path: string;
  value: unknown;
  column: string;
}

export interface NamedPerson {
  role: string;
  column: string;
  email: string;
}

export interface MappedRow {
  values: FieldValue[];
  people: NamedPerson[];
  problems: RowProblem[];
}

const TRUE_WORDS = /^(true|yes|y|1)$/i;
const FALSE_WORDS = /^(false|no|n|0)$/i;
const NUMBER = /^-?\d+(\.\d+)?$/;

function typesOf(schema: unknown): string[] {
  const type = (schema as { type?: unknown } | undefined)?.type;
  return Array.isArray(type) ? type.map(String) : typeof type === 'string' ? [type] : [];
}

/** The cell as the schema's type: yes/no words for booleans, digits for numbers; text otherwise. */
function convert(cell: string, fieldSchema: unknown): { value?: unknown; problem?: string } {
  const types = typesOf(fieldSchema);
  if (types.includes('string') || types.length === 0) return { value: cell };
  if (types.includes('boolean')) {
    if (TRUE_WORDS.test(cell)) return { value: true };
    if (FALSE_WORDS.test(cell)) return { value: false };
    return { problem: `"${cell}" is not yes/no (accepted: yes, no, y, n, true, false, 1, 0)` };
  }
  if (types.includes('integer') || types.includes('number')) {
    if (NUMBER.test(cell) && (types.includes('number') || Number.isInteger(Number(cell)))) return { value: Number(cell) };
    return { problem: `"${cell}" is not a ${types.includes('number') ? 'number' : 'whole number'}` };
  }
  return { value: cell };
}

export function mapRow(config: CaseImportConfig, schema: unknown, cells: Record<string, string>): MappedRow {
  const values: FieldValue[] = [];
  const problems: RowProblem[] = [];
  for (const [column, rawRule] of Object.entries(config.columns)) {
    const cell = (cells[column] ?? '').trim();
    if (cell === '') continue;
    const rule = columnRule(rawRule);
    const path = dataPointerOf(rule.to)!;
    if (rule.values && Object.prototype.hasOwnProperty.call(rule.values, cell)) {
      values.push({ path, value: rule.values[cell], column });
    } else if (rule.date) {
      const date = readDate(rule.date, cell);
      if (date === undefined) problems.push({ field: column, path: rule.to, message: `"${cell}" is not a date in the form ${rule.date}` });
      else values.push({ path, value: date, column });
    } else {
      const { value, problem } = convert(cell, schemaAtDataPointer(schema, path));
      if (problem) problems.push({ field: column, path: rule.to, message: problem });
      else values.push({ path, value, column });
    }
  }
  const people: NamedPerson[] = [];
  for (const [role, rule] of Object.entries(config.people ?? {})) {
    const email = (cells[rule.column] ?? '').trim();
    if (email !== '') people.push({ role, column: rule.column, email });
  }
  return { values, people, problems };
}

/** The column that fills a case field (`/data/dob`), for naming it in a report. */
export function columnFor(config: CaseImportConfig, target: string): string | undefined {
  for (const [column, rule] of Object.entries(config.columns)) {
    const to = columnRule(rule).to;
    if (target === to || target.startsWith(`${to}/`)) return column;
  }
  return undefined;
}
