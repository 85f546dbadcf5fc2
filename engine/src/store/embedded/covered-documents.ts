/**
 * Documents rebuilt from index keys for a covered aggregation (see covered-fields.ts): the
 * inverse of keys.ts `canonical()` for the components that show their value exactly. Null and
 * missing share one component (it is null on a field no document ever lacked), long values keep
 * only a prefix and a hash, documents and arrays lose their types: for such a component there is
 * no inverse and the caller reads the document itself.
 */
import type { Doc } from '../types.js';
import { NULL_KEY } from './keys.js';

/** Marks a component that does not show its value exactly. */
export const NOT_EXACT: unique symbol = Symbol('not exact');

/** The value a key component stands for, or NOT_EXACT. */
export function componentValue(component: string): unknown {
  const text = component.slice(1);
  switch (component[0]) {
    case 's':
      return text;
    case 'n':
      // Every double prints as text that parses back to it; 'n0' is also -0, which the
      // documents read back as 0 (MessagePack stores it as the integer 0).
      return Number(text);
    case 'd': {
      const time = Number(text);
      return Number.isSafeInteger(time) ? new Date(time) : NOT_EXACT;
    }
    case 'b':
      return text === '1' ? true : text === '0' ? false : NOT_EXACT;
    default:
      return NOT_EXACT;
  }
}

/**
 * How to rebuild documents from one index's keys `[component..., _id]`: `fields` are the index
 * fields' path segments, `wanted` the positions of the fields the pipeline reads.
 */
export interface CoveredShape {
  fieldParts: string[][];
  wanted: number[];
  /** Per index field: its null component is a stored null (no document ever lacked the field). */
  nulls?: readonly boolean[];
}

/** At most this many distinct strings are shared between the documents of one builder. */
const MAX_SHARED_STRINGS = 1 << 17;
/** After this many strings of a field, the field stops sharing them if more than half were new. */
const MOSTLY_DISTINCT_AFTER = 256;

/** A field of the documents built: a value from one key position, or an object of fields. */
interface FieldNode {
  name: string;
  position: number;
  fields: FieldNode[] | null;
  /** Strings of this field looked up among the shared ones, and how many were new. */
  looked: number;
  missed: number;
}

/**
 * Builds the documents holding the key's values at the wanted fields' paths (nested objects for
 * dotted paths, fields in the order the wanted ones first name them) and its `_id`; null for a
 * key with a wanted component that is not exact, and for every key when two paths collide (one
 * is the other or lies under it, or under `_id`). Only valid for fields that never held an array
 * (one entry per document, values as stored).
 */
export function coveredBuilder(shape: CoveredShape): (key: readonly unknown[]) => Doc | null {
  const top: FieldNode[] = [];
  for (const position of shape.wanted) {
    const parts = shape.fieldParts[position];
    if (parts[0] === '_id' || parts.includes('__proto__')) return () => null;
    let fields = top;
    for (let i = 0; i < parts.length; i++) {
      const leaf = i === parts.length - 1;
      const found = fields.find((field) => field.name === parts[i]);
      // A path through a value, or onto a field already there.
      if (found && (leaf || !found.fields)) return () => null;
      if (found) {
        fields = found.fields!;
        continue;
      }
      const node: FieldNode = { name: parts[i], position, fields: leaf ? null : [], looked: 0, missed: 0 };
      fields.push(node);
      if (!leaf) fields = node.fields!;
    }
  }
  // The strings of this builder's documents, by component: a value met again is the same string,
  // so later lookups of it (group keys, join ids) compare it by identity with its hash known.
  const strings = new Map<string, string>();
  // A field whose values are mostly distinct (ids, names) is not looked up: sharing would cost more than it saves.
  const stringOf = (field: FieldNode, component: string): string => {
    if (field.looked >= MOSTLY_DISTINCT_AFTER && field.missed * 2 > field.looked) return component.slice(1);
    field.looked++;
    let value = strings.get(component);
    if (value === undefined) {
      field.missed++;
      value = component.slice(1);
      if (strings.size < MAX_SHARED_STRINGS) strings.set(component, value);
    }
    return value;
  };
  const { nulls } = shape;
  const fill = (target: Record<string, unknown>, fields: FieldNode[], key: readonly unknown[]): boolean => {
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      if (field.fields) {
        const inner: Record<string, unknown> = {};
        target[field.name] = inner;
        if (!fill(inner, field.fields, key)) return false;
        continue;
      }
      const component = key[field.position];
      const value = typeof component !== 'string'
        ? NOT_EXACT
        : component[0] === 's' ? stringOf(field, component) : component === NULL_KEY && nulls?.[field.position] ? null : componentValue(component);
      if (value === NOT_EXACT) return false;
      target[field.name] = value;
    }
    return true;
  };
  return (key) => {
    const doc: Record<string, unknown> = { _id: key[key.length - 1] };
    return fill(doc, top, key) ? (doc as Doc) : null;
  };
}

/** One document built as coveredBuilder does. */
export function coveredDocument(shape: CoveredShape, key: readonly unknown[]): Doc | null {
  return coveredBuilder(shape)(key);
}
