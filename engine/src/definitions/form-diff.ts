/**
 * Compares the fields of two versions of a form (or case type): which fields were added,
 * removed, or changed in type, format, required-ness, allowed values, title, limits, ...
 */
import { sameJson } from './canonical-hash.js';
import { hasOwn, isPlainObject, pointer } from '../json-pointer.js';
import { derefSchema } from './schema-navigation.js';
import type { FieldChange, FieldInfo } from './types.js';

/** The schema attributes compared between versions (besides `required`). */
export const COMPARED_ATTRIBUTES = [
  'type', 'format', 'title', 'description', 'enum', 'const', 'default',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'readOnly',
  // A leaf's labelled choices (`oneOf: [{ const, title }]`) and a list of plain values' item schema.
  'oneOf', 'anyOf', 'items',
] as const;

/** Attributes that describe children when the field is an object or a list of objects: left to the children. */
const STRUCTURAL = new Set(['oneOf', 'anyOf', 'items']);
const MAX_DEPTH = 32;

/**
 * Every leaf and object property of the schema, by pointer into the data, in schema order.
 * The items of a list are under `-` (e.g. `/children/-/name`).
 */
export function collectFields(schema: unknown): FieldInfo[] {
  const fields: FieldInfo[] = [];
  visitObject(schema, schema, '', fields, new Set(), 0);
  return fields;
}

function visitObject(node: unknown, root: unknown, at: string, fields: FieldInfo[], seen: Set<unknown>, depth: number): void {
  const schema = derefSchema(node, root);
  if (!schema || seen.has(schema) || depth > MAX_DEPTH) return;
  seen = new Set(seen).add(schema); // guards against recursive schemas along this path only
  const { properties, required } = gatherProperties(schema, root);
  for (const [name, raw] of properties) {
    const property = derefSchema(raw, root) ?? {};
    const fieldPointer = pointer(at, name);
    const children = hasChildren(property, root);
    fields.push(describeField(property, fieldPointer, name, required.has(name), children));
    if (children === 'object') {
      visitObject(property, root, fieldPointer, fields, seen, depth + 1);
    } else if (children === 'items') {
      visitObject(property.items, root, pointer(fieldPointer, '-'), fields, seen, depth + 1);
    }
  }
}

/** Properties of the object schema and of its `allOf`/`anyOf`/`oneOf`/`if-then-else` parts. */
function gatherProperties(schema: Record<string, any>, root: unknown): { properties: Map<string, unknown>; required: Set<string> } {
  const properties = new Map<string, unknown>();
  const required = new Set<string>();
  const add = (part: Record<string, any>, countsRequired: boolean, depth: number): void => {
    if (isPlainObject(part.properties)) {
      for (const [name, sub] of Object.entries(part.properties)) if (!properties.has(name)) properties.set(name, sub);
    }
    if (countsRequired && Array.isArray(part.required)) for (const name of part.required) required.add(String(name));
    if (depth >= 8) return;
    for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
      if (!Array.isArray(part[keyword])) continue;
      for (const sub of part[keyword]) {
        const resolved = derefSchema(sub, root);
        if (resolved) add(resolved, countsRequired && keyword === 'allOf', depth + 1);
      }
    }
    for (const keyword of ['then', 'else']) {
      const resolved = derefSchema(part[keyword], root);
      if (resolved) add(resolved, false, depth + 1);
    }
  };
  add(schema, true, 0);
  return { properties, required };
}

function hasChildren(property: Record<string, any>, root: unknown): 'object' | 'items' | undefined {
  if (gatherProperties(property, root).properties.size > 0) return 'object';
  const items = Array.isArray(property.items) ? undefined : derefSchema(property.items, root);
  if (items && gatherProperties(items, root).properties.size > 0) return 'items';
  return undefined;
}

function describeField(property: Record<string, any>, at: string, name: string, required: boolean, children: string | undefined): FieldInfo {
  const attributes: Record<string, unknown> = {};
  for (const attribute of COMPARED_ATTRIBUTES) {
    if (children && STRUCTURAL.has(attribute)) continue;
    if (hasOwn(property, attribute) && property[attribute] !== undefined) attributes[attribute] = property[attribute];
  }
  const label = typeof property.title === 'string' && property.title.trim() !== '' ? property.title : name;
  return { pointer: at, label, required, attributes };
}

export function diffFields(from: FieldInfo[], to: FieldInfo[]): { added: FieldInfo[]; removed: FieldInfo[]; changed: FieldChange[] } {
  const before = new Map(from.map((field) => [field.pointer, field]));
  const after = new Map(to.map((field) => [field.pointer, field]));
  const added = to.filter((field) => !before.has(field.pointer));
  const removed = from.filter((field) => !after.has(field.pointer));
  const changed: FieldChange[] = [];
  for (const field of to) {
    const old = before.get(field.pointer);
    if (!old) continue;
    const changes: FieldChange['changes'] = {};
    if (old.required !== field.required) changes.required = { from: old.required, to: field.required };
    const names = new Set([...Object.keys(old.attributes), ...Object.keys(field.attributes)]);
    for (const name of COMPARED_ATTRIBUTES) {
      if (!names.has(name)) continue;
      const a = old.attributes[name];
      const b = field.attributes[name];
      if (!sameJson(a, b)) changes[name] = { from: a, to: b };
    }
    if (Object.keys(changes).length > 0) changed.push({ pointer: field.pointer, label: field.label, changes });
  }
  return { added, removed, changed };
}
