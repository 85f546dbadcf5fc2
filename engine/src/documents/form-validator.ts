/**
 * Validates data against a published form's JSON Schema and explains each problem in
 * words a user understands, naming the field by its JSON pointer.
 *
 * Two modes: `submit` applies the whole schema; `draft` checks types and formats but lets
 * fields be missing (required-ness, and any rule that fails only because a field is
 * still empty, is not enforced until submit).
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
// Imported module by module (not through definitions/index) so the runtime UI can bundle this file
// and validate in the browser with exactly the server's rules.
import { createAjv } from '../definitions/json-schema-validation.js';
import { schemaAtDataPointer } from '../definitions/schema-navigation.js';
import type { FieldError } from '../errors.js';
import { escapeToken } from '../json-pointer.js';

export type ValidationMode = 'draft' | 'submit';

/** Keywords that only say "this must be present". */
const PRESENCE_KEYWORDS = new Set(['required', 'dependentRequired', 'dependencies', 'minProperties', 'minItems']);
/** Keywords whose failure is the sum of their branches' failures. */
const COMPOSITE_KEYWORDS = new Set(['anyOf', 'oneOf', 'if', 'allOf', 'contains']);

const FORMAT_WORDS: Record<string, string> = {
  date: 'a date (YYYY-MM-DD)',
  'date-time': 'a date and time',
  time: 'a time (HH:MM)',
  email: 'an e-mail address',
  uri: 'a web address',
  uuid: 'an identifier',
};

function describe(error: ErrorObject): string {
  const p = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'required': return 'is required';
    case 'type': return `must be ${Array.isArray(p.type) ? p.type.join(' or ') : p.type === 'integer' ? 'a whole number' : `a ${p.type}`}`;
    case 'format': return `must be ${FORMAT_WORDS[p.format] ?? `in ${p.format} format`}`;
    case 'enum': return `must be one of: ${(p.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const': return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'minLength': return p.limit === 1 ? 'must not be empty' : `must be at least ${p.limit} characters`;
    case 'maxLength': return `must be at most ${p.limit} characters`;
    case 'minimum': return `must be ${p.limit} or more`;
    case 'maximum': return `must be ${p.limit} or less`;
    case 'exclusiveMinimum': return `must be more than ${p.limit}`;
    case 'exclusiveMaximum': return `must be less than ${p.limit}`;
    case 'pattern': return 'is not in the expected form';
    case 'minItems': return `needs at least ${p.limit} ${p.limit === 1 ? 'entry' : 'entries'}`;
    case 'maxItems': return `allows at most ${p.limit} entries`;
    case 'uniqueItems': return 'must not list the same entry twice';
    case 'additionalProperties': return `is not a field of this form ("${p.additionalProperty}")`;
    case 'anyOf': return 'does not meet any of the allowed combinations';
    case 'oneOf': return 'must meet exactly one of the allowed combinations';
    default: return error.message ?? 'is not valid';
  }
}

function pointerOf(error: ErrorObject): string {
  if (error.keyword === 'required') return `${error.instancePath}/${escapeToken((error.params as any).missingProperty)}`;
  if (error.keyword === 'additionalProperties') {
    return `${error.instancePath}/${escapeToken((error.params as any).additionalProperty)}`;
  }
  return error.instancePath || '';
}

/** In draft mode: drops presence errors, and composite errors whose branches failed only on presence. */
function dropPresenceErrors(errors: ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  // Innermost first: a composite's branches sit deeper in the schema path than the composite itself.
  const byDepth = [...errors].sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const error of byDepth) {
    if (PRESENCE_KEYWORDS.has(error.keyword)) {
      dropped.add(error);
    } else if (COMPOSITE_KEYWORDS.has(error.keyword)) {
      const base = error.schemaPath.slice(0, -error.keyword.length);
      const branchPrefixes = error.keyword === 'if' ? [`${base}then/`, `${base}else/`] : [`${error.schemaPath}/`];
      const branches = errors.filter((e) => e !== error && branchPrefixes.some((prefix) => e.schemaPath.startsWith(prefix)));
      if (branches.length > 0 && branches.every((b) => dropped.has(b))) dropped.add(error);
    }
  }
  return errors.filter((e) => !dropped.has(e));
}

/** What a user calls the field at `path`: its title, else its name; list entries are counted from 1. */
function labelOf(schema: object, path: string): string {
  if (path === '') return 'The form';
  const title = (schemaAtDataPointer(schema, path) as { title?: unknown } | undefined)?.title;
  if (typeof title === 'string' && title.trim()) return title;
  const cut = path.lastIndexOf('/');
  const token = path.slice(cut + 1).replace(/~1/g, '/').replace(/~0/g, '~');
  return /^\d+$/.test(token) ? `${labelOf(schema, path.slice(0, cut))} entry ${Number(token) + 1}` : token;
}

export class FormValidator {
  private readonly ajv = createAjv();
  private readonly compiled = new Map<string, ValidateFunction>();

  /** Validates `data`; `cacheKey` names the immutable schema version (for example `form:intake:3`). */
  validate(cacheKey: string, schema: object, data: unknown, mode: ValidationMode): FieldError[] {
    let validateFn = this.compiled.get(cacheKey);
    if (!validateFn) {
      validateFn = this.ajv.compile(schema);
      this.compiled.set(cacheKey, validateFn);
    }
    if (validateFn(data)) return [];
    const raw = validateFn.errors ?? [];
    const relevant = mode === 'draft' ? dropPresenceErrors(raw) : raw;
    // The branches of a failed anyOf/oneOf repeat what the composite says; report each field once.
    const seen = new Set<string>();
    const result: FieldError[] = [];
    for (const error of relevant) {
      if (error.keyword === 'if') continue; // the failing then/else branch is reported on its own
      const path = pointerOf(error);
      const message = `${labelOf(schema, path)} ${describe(error)}`;
      const key = `${path}\u0000${message}`;
      if (!seen.has(key)) {
        seen.add(key);
        result.push({ path, message });
      }
    }
    return result;
  }
}
