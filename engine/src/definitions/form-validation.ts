/**
 * Validation of form content — `{ title, description?, schema, uischema, prefill? }` — which is
 * also the data part of a case type. Other metadata is kept as it is.
 */
import type { FieldError } from '../errors.js';
import { isPlainObject, parsePointer, pointer } from '../json-pointer.js';
import { validateJsonSchema } from './json-schema-validation.js';
import { derefSchema, schemaAtDataPointer } from './schema-navigation.js';
import { validateUiSchema } from './uischema-validation.js';
import { KEY_PATTERN } from './types.js';
import { checkFeelSyntax, isFeelExpression } from '../runtime/time/feel.js';

export function validateFormContent(content: unknown): FieldError[] {
  if (!isPlainObject(content)) return [{ path: '', message: 'The content must be a JSON object with title, schema and uischema' }];
  const problems: FieldError[] = [];

  if (typeof content.title !== 'string' || content.title.trim() === '') {
    problems.push({ path: '/title', message: 'A title is required' });
  }
  if (content.description !== undefined && typeof content.description !== 'string') {
    problems.push({ path: '/description', message: 'The description must be text' });
  }

  const schemaProblems = content.schema === undefined
    ? [{ path: '/schema', message: 'A JSON Schema ("schema") is required' }]
    : validateJsonSchema(content.schema, '/schema');
  problems.push(...schemaProblems);
  const schemaUsable = schemaProblems.length === 0;

  if (schemaUsable) {
    const root = derefSchema(content.schema, content.schema);
    if (!root || root.type !== 'object') {
      problems.push({ path: '/schema/type', message: 'The schema must describe an object: its "type" must be "object"' });
    }
  }

  if (content.uischema === undefined) {
    problems.push({ path: '/uischema', message: 'A UI schema ("uischema") is required' });
  } else if (isPlainObject(content.schema)) {
    // Scopes only need the schema's property structure, so they are checked (and every bad one
    // reported) even when a keyword elsewhere in the schema is wrong.
    problems.push(...validateUiSchema(content.uischema, content.schema, '/uischema'));
  } else if (!isPlainObject(content.uischema)) {
    problems.push({ path: '/uischema', message: 'The UI schema must be a JSON object' });
  }

  if (content.onSubmit !== undefined) {
    const process = isPlainObject(content.onSubmit) ? content.onSubmit.process : undefined;
    if (typeof process !== 'string' || !KEY_PATTERN.test(process)) {
      problems.push({ path: '/onSubmit/process', message: 'Name the process to start on submit by its key, e.g. { "process": "intake-approval" }' });
    }
  }
  if (content.prefill !== undefined) problems.push(...validatePrefill(content.prefill, schemaUsable ? content.schema : undefined));
  if (content.computed !== undefined) problems.push(...validateComputed(content.computed, schemaUsable ? content.schema : undefined));
  return problems;
}

/**
 * `computed` maps a pointer into the document (one `-` allowed, for every entry of a list) to a
 * FEEL expression starting with "=", which the server evaluates on every save and submit.
 */
function validateComputed(computed: unknown, schema: Record<string, any> | undefined): FieldError[] {
  if (!isPlainObject(computed)) {
    return [{ path: '/computed', message: '"computed" must map a field of this form (e.g. "/total") to a FEEL expression (e.g. "=quantity * price")' }];
  }
  const problems: FieldError[] = [];
  for (const [target, expression] of Object.entries(computed)) {
    const at = pointer('/computed', target);
    const tokens = target.startsWith('/') ? parsePointer(target) : undefined;
    if (!tokens || tokens.length === 0) {
      problems.push({ path: at, message: `"${target}" is not a field pointer: it must start with "/", e.g. "/total"` });
    } else if (tokens.filter((t) => t === '-').length > 1) {
      problems.push({ path: at, message: `"${target}" has more than one "-": a computed field may stand for every entry of one list only` });
    } else if (tokens[tokens.length - 1] === '-') {
      problems.push({ path: at, message: `"${target}" names list entries, not a field: add the field, e.g. "${target}/total"` });
    } else if (schema && schemaAtDataPointer(schema, target) === undefined) {
      problems.push({ path: at, message: `"${target}" is not a field of this form` });
    }
    if (typeof expression !== 'string' || !isFeelExpression(expression)) {
      problems.push({ path: at, message: `The value of "${target}" must be a FEEL expression starting with "=", e.g. "=quantity * price"` });
      continue;
    }
    const syntax = checkFeelSyntax(expression);
    if (syntax) problems.push({ path: at, message: `The expression for "${target}" is not valid FEEL: ${syntax}` });
    const hidden = shadowedCalls(expression, schema);
    if (hidden) {
      problems.push({ path: at, message: `The expression for "${target}" calls ${hidden}(), but the form's field "${hidden}" hides that function: rename the field` });
    }
  }
  return problems;
}

/** A top-level field the expression calls as a function: fields are FEEL variables and hide functions of the same name. */
function shadowedCalls(expression: string, schema: Record<string, any> | undefined): string | undefined {
  const names = isPlainObject(schema?.properties) ? Object.keys(schema.properties) : [];
  return names.find((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && new RegExp(`(^|[^A-Za-z0-9_.])${name}\\s*\\(`).test(expression));
}

/** `prefill` maps a pointer into the document to a pointer into the case record. */
function validatePrefill(prefill: unknown, schema: Record<string, any> | undefined): FieldError[] {
  if (!isPlainObject(prefill)) {
    return [{ path: '/prefill', message: '"prefill" must map a field of this form (e.g. "/dob") to a field of the case (e.g. "/data/dob")' }];
  }
  const problems: FieldError[] = [];
  for (const [target, source] of Object.entries(prefill)) {
    const at = pointer('/prefill', target);
    if (!target.startsWith('/') || parsePointer(target) === undefined) {
      problems.push({ path: at, message: `"${target}" is not a field pointer: it must start with "/", e.g. "/dob"` });
    } else if (schema && schemaAtDataPointer(schema, target) === undefined) {
      problems.push({ path: at, message: `"${target}" is not a field of this form` });
    }
    if (typeof source !== 'string' || !source.startsWith('/')) {
      problems.push({ path: at, message: `The case field to copy into "${target}" must be a pointer starting with "/", e.g. "/data/dob"` });
    }
  }
  return problems;
}
