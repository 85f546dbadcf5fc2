/**
 * Documents rebuilt from index keys for a covered aggregation (see covered-fields.ts): the
 * inverse of keys.ts `canonical()` for the components that show their value exactly. Null and
 * missing share one component, long values keep only a prefix and a hash, documents and arrays
 * lose their types: for such a component there is no inverse and the caller reads the document
 * itself.
 */
import type { Doc } from '../types.js';

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
}

/**
 * The document holding the key's values at the wanted fields' paths (nested objects for dotted
 * paths) and its `_id`, or null when a wanted component is not exact or two paths collide.
 * Only valid for fields that never held an array (one entry per document, values as stored).
 */
export function coveredDocument(shape: CoveredShape, key: readonly unknown[]): Doc | null {
  const doc: Record<string, unknown> = { _id: key[key.length - 1] };
  for (const position of shape.wanted) {
    const component = key[position];
    const value = typeof component === 'string' ? componentValue(component) : NOT_EXACT;
    if (value === NOT_EXACT) return null;
    const parts = shape.fieldParts[position];
    let node = doc;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = node[parts[i]];
      if (next === undefined) node = node[parts[i]] = {};
      else if (next !== null && typeof next === 'object' && !(next instanceof Date)) node = next as Record<string, unknown>;
      else return null;
    }
    const last = parts[parts.length - 1];
    if (Object.hasOwn(node, last)) return null;
    node[last] = value;
  }
  return doc as Doc;
}
