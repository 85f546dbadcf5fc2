/**
 * Checks that a JSON Schema (draft-07) is one ajv can compile, naming each problem by its
 * pointer into the content (`/schema/properties/age/type`).
 */
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError } from '../errors.js';
import { isPlainObject, parsePointer, pointer } from '../json-pointer.js';
import { deref, forEachSubschema } from './schema-navigation.js';

const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

const TYPE_WORDS: Record<string, string> = {
  array: 'a list (array)',
  object: 'an object',
  string: 'text (a string)',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'null',
};

/** The ajv set-up forms are checked with: all errors, unknown keywords allowed, ajv-formats. */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
  addFormats.default(ajv);
  return ajv;
}

/** Every problem with `schema`, each at `base` + its pointer in the schema; empty when ajv compiles it. */
export function validateJsonSchema(schema: unknown, base: string): FieldError[] {
  if (!isPlainObject(schema)) return [{ path: base, message: 'The schema must be a JSON object' }];
  if (schema.$schema !== undefined && (typeof schema.$schema !== 'string' || !DRAFT_07.test(schema.$schema))) {
    return [{
      path: pointer(base, '$schema'),
      message: `Only JSON Schema draft-07 is supported: "$schema" must be "http://json-schema.org/draft-07/schema#" or be left out`,
    }];
  }
  const ajv = createAjv();
  if (!ajv.validateSchema(schema)) return describeMetaSchemaErrors(ajv.errors ?? [], schema, base);

  const problems = findUncompilableParts(schema, base, new Set(Object.keys(ajv.formats)));
  if (problems.length > 0) return problems;
  try {
    ajv.compile(schema);
  } catch (error) {
    return [{ path: base, message: `The schema cannot be used: ${(error as Error).message}` }];
  }
  return [];
}

/** One message per place: ajv reports a failed `anyOf` and each branch; the clearest one is kept. */
function describeMetaSchemaErrors(errors: ErrorObject[], schema: unknown, base: string): FieldError[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const list = byPath.get(error.instancePath) ?? [];
    list.push(error);
    byPath.set(error.instancePath, list);
  }
  const result: FieldError[] = [];
  for (const [at, group] of byPath) {
    const specific = group.filter((e) => !['anyOf', 'oneOf', 'allOf', 'if', 'not'].includes(e.keyword));
    const chosen = specific.find((e) => e.keyword === 'enum') ?? specific[0] ?? group[0];
    result.push({ path: base + at, message: describeMetaSchemaError(chosen, at, valueAt(schema, at)) });
  }
  return result;
}

function describeMetaSchemaError(error: ErrorObject, at: string, value: unknown): string {
  const tokens = parsePointer(at) ?? [];
  const name = tokens.length > 0 ? `"${tokens[tokens.length - 1]}"` : 'The schema';
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'enum':
      return `${name} is ${JSON.stringify(value)}, which JSON Schema does not know; use one of: ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'type': {
      const types: string[] = Array.isArray(params.type) ? params.type : String(params.type).split(',');
      return `${name} must be ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}, not ${JSON.stringify(value)}`;
    }
    case 'minItems':
      return `${name} must list at least ${params.limit} ${params.limit === 1 ? 'entry' : 'entries'}`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `${name} must be ${params.comparison === '>' ? 'more than' : 'at least'} ${params.limit}`;
    case 'uniqueItems':
      return `${name} lists the same entry twice (entries ${params.j} and ${params.i})`;
    case 'format':
      return `${name} must be ${params.format === 'regex' ? 'a valid regular expression' : `in ${params.format} format`}`;
    default:
      return `${name} ${error.message ?? 'is not valid JSON Schema'}`;
  }
}

function valueAt(target: unknown, at: string): unknown {
  let node: any = target;
  for (const token of parsePointer(at) ?? []) {
    if (node === null || typeof node !== 'object') return undefined;
    node = node[token];
  }
  return node;
}

/**
 * What the meta-schema lets pass but ajv cannot compile, or would silently ignore: references
 * to nothing, regular expressions that do not compile, formats ajv does not know.
 */
function findUncompilableParts(schema: Record<string, any>, base: string, knownFormats: Set<string>): FieldError[] {
  const problems: FieldError[] = [];
  forEachSubschema(schema, base, (node, at) => {
    if (typeof node.$ref === 'string') {
      const resolved = deref({ $ref: node.$ref }, schema);
      if (resolved.kind === 'missing') {
        problems.push({ path: pointer(at, '$ref'), message: `"$ref" points at "${node.$ref}", which is not in the schema` });
      }
    }
    if (typeof node.pattern === 'string') {
      const reason = regexProblem(node.pattern);
      if (reason) problems.push({ path: pointer(at, 'pattern'), message: `"pattern" is not a valid regular expression: ${reason}` });
    }
    if (isPlainObject(node.patternProperties)) {
      for (const key of Object.keys(node.patternProperties)) {
        const reason = regexProblem(key);
        if (reason) {
          problems.push({ path: pointer(at, 'patternProperties', key), message: `"${key}" is not a valid regular expression: ${reason}` });
        }
      }
    }
    if (typeof node.format === 'string' && !knownFormats.has(node.format)) {
      problems.push({
        path: pointer(at, 'format'),
        message: `"format" is "${node.format}", which is not a known format; use one of: ${[...knownFormats].sort().join(', ')}`,
      });
    }
  });
  return problems;
}

function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source, 'u');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
