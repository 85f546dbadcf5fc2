/**
 * Finding one's way in a JSON Schema (draft-07): following local `$ref`s, visiting every
 * subschema, resolving JSON Forms scopes and data pointers to the subschema they name.
 */
import { hasOwn, isPlainObject, parsePointer, pointer } from '../json-pointer.js';

const MAX_REF_HOPS = 32;

/** The node a local `$ref` (`#/definitions/x`) names; `undefined` when it names nothing. */
export function refTarget(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const tokens = parsePointer(decodeURIComponent(ref.slice(1)));
  if (!tokens) return undefined;
  let node: any = root;
  for (const token of tokens) {
    if (node === null || typeof node !== 'object' || !hasOwn(node, token)) return undefined;
    node = node[token];
  }
  return node;
}

export type Deref =
  | { kind: 'schema'; node: any }
  /** A `$ref` this module cannot follow (not a local pointer, e.g. by `$id`): the validator decides. */
  | { kind: 'opaque' }
  | { kind: 'missing'; ref: string };

/** Follows `$ref`s until a schema without one. */
export function deref(node: unknown, root: unknown): Deref {
  let current: any = node;
  for (let hops = 0; hops < MAX_REF_HOPS; hops++) {
    if (!isPlainObject(current) || typeof current.$ref !== 'string') return { kind: 'schema', node: current };
    const ref: string = current.$ref;
    if (!ref.startsWith('#') || (ref.length > 1 && ref[1] !== '/')) return { kind: 'opaque' };
    const target = refTarget(root, ref);
    if (target === undefined) return { kind: 'missing', ref };
    current = target;
  }
  return { kind: 'opaque' };
}

/** Like `deref`, but gives the plain schema object or undefined. */
export function derefSchema(node: unknown, root: unknown): Record<string, any> | undefined {
  const result = deref(node, root);
  return result.kind === 'schema' && isPlainObject(result.node) ? result.node : undefined;
}

const SINGLE_SCHEMA_KEYWORDS = ['additionalItems', 'additionalProperties', 'contains', 'propertyNames', 'if', 'then', 'else', 'not'];
const SCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf'];
const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'definitions', '$defs'];

/**
 * Calls `visit` for the schema and each subschema in it (depth first), with its pointer
 * relative to `base`. Only keywords that hold schemas are entered, so a property named
 * "pattern" is never mistaken for the keyword.
 */
export function forEachSubschema(schema: unknown, base: string, visit: (node: Record<string, any>, at: string) => void): void {
  if (!isPlainObject(schema)) return;
  visit(schema, base);
  for (const keyword of SINGLE_SCHEMA_KEYWORDS) {
    if (hasOwn(schema, keyword)) forEachSubschema(schema[keyword], pointer(base, keyword), visit);
  }
  for (const keyword of SCHEMA_ARRAY_KEYWORDS) {
    if (Array.isArray(schema[keyword])) {
      schema[keyword].forEach((sub: unknown, i: number) => forEachSubschema(sub, pointer(base, keyword, i), visit));
    }
  }
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    if (isPlainObject(schema[keyword])) {
      for (const [name, sub] of Object.entries(schema[keyword])) forEachSubschema(sub, pointer(base, keyword, name), visit);
    }
  }
  if (Array.isArray(schema.items)) {
    schema.items.forEach((sub: unknown, i: number) => forEachSubschema(sub, pointer(base, 'items', i), visit));
  } else if (hasOwn(schema, 'items')) {
    forEachSubschema(schema.items, pointer(base, 'items'), visit);
  }
  if (isPlainObject(schema.dependencies)) {
    for (const [name, dep] of Object.entries(schema.dependencies)) {
      if (isPlainObject(dep)) forEachSubschema(dep, pointer(base, 'dependencies', name), visit);
    }
  }
}

export type ScopeResolution = { ok: true; node: unknown } | { ok: false; reason: string };

/**
 * Resolves a JSON Forms scope (`#/properties/a/properties/b`) against `base` (the root
 * schema, or the items schema inside an array's detail), following `$ref`s and, where a
 * step is not found directly, looking into `allOf`/`anyOf`/`oneOf` as JSON Forms does.
 */
export function resolveScope(base: unknown, root: unknown, scope: string): ScopeResolution {
  if (scope !== '#' && !scope.startsWith('#/')) {
    return { ok: false, reason: `"${scope}" is not a scope: a scope starts with "#/", e.g. "#/properties/name"` };
  }
  const tokens = parsePointer(scope.slice(1)) ?? [];
  let node: unknown = base;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const next = step(node, root, token);
    if (next.kind === 'opaque') return { ok: true, node: undefined };
    if (next.kind === 'missing') {
      if (tokens[i - 1] === 'properties') {
        const parent = i === 1 ? '' : ` inside "#${pointer('', ...tokens.slice(0, i - 1))}"`;
        return { ok: false, reason: `the schema has no property "${token}"${parent}` };
      }
      const where = i === 0 ? '' : ` at "#${pointer('', ...tokens.slice(0, i))}"`;
      return { ok: false, reason: `the schema has no "${token}"${where}` };
    }
    node = next.node;
  }
  return { ok: true, node };
}

type Step = { kind: 'found'; node: unknown } | { kind: 'opaque' } | { kind: 'missing' };

function step(node: unknown, root: unknown, token: string, depth = 0): Step {
  const resolved = deref(node, root);
  if (resolved.kind === 'opaque') return { kind: 'opaque' };
  if (resolved.kind === 'missing') return { kind: 'missing' };
  const schema = resolved.node;
  if (schema === null || typeof schema !== 'object') return { kind: 'missing' };
  if (hasOwn(schema, token)) return { kind: 'found', node: schema[token] };
  if (depth < 8 && !Array.isArray(schema)) {
    for (const keyword of SCHEMA_ARRAY_KEYWORDS) {
      if (!Array.isArray(schema[keyword])) continue;
      for (const sub of schema[keyword]) {
        const found = step(sub, root, token, depth + 1);
        if (found.kind !== 'missing') return found;
      }
    }
  }
  return { kind: 'missing' };
}

/**
 * The subschema describing the data at a pointer into the data (`/youth/dob`, `/children/0/name`,
 * `/children/-/name`), through `properties` and `items`; undefined when the schema has no such field.
 */
export function schemaAtDataPointer(root: unknown, dataPointer: string): unknown {
  const tokens = parsePointer(dataPointer);
  if (!tokens) return undefined;
  let node: unknown = root;
  for (const token of tokens) {
    const schema = derefSchema(node, root);
    if (!schema) return undefined;
    const viaProperties = propertyOf(schema, root, token);
    if (viaProperties !== undefined) {
      node = viaProperties;
    } else if ((token === '-' || /^\d+$/.test(token)) && hasOwn(schema, 'items')) {
      node = Array.isArray(schema.items) ? schema.items[token === '-' ? 0 : Number(token)] : schema.items;
      if (node === undefined) return undefined;
    } else {
      return undefined;
    }
  }
  return node;
}

function propertyOf(schema: Record<string, any>, root: unknown, name: string, depth = 0): unknown {
  if (isPlainObject(schema.properties) && hasOwn(schema.properties, name)) return schema.properties[name];
  if (depth >= 8) return undefined;
  for (const keyword of SCHEMA_ARRAY_KEYWORDS) {
    if (!Array.isArray(schema[keyword])) continue;
    for (const sub of schema[keyword]) {
      const resolved = derefSchema(sub, root);
      const found = resolved && propertyOf(resolved, root, name, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
