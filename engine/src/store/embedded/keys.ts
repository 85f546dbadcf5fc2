/**
 * Index keys. Each indexed value becomes one string component: a type tag and a canonical
 * text, equal exactly when MongoDB's equality says the values are equal (1 and 1.0, two Dates
 * at the same instant), never equal across types. An index entry's LMDB key is
 * `[component..., _id]`. Keys only narrow the candidates; every candidate is re-tested with
 * mingo, so a key may be broader than the query but must never miss a match.
 */
import { createHash } from 'node:crypto';

/** A path that leads nowhere in a document; indexed like null (MongoDB does the same). */
export const MISSING: unique symbol = Symbol('missing');
/** An empty array at the end of a path (MongoDB indexes it as `undefined`). */
const EMPTY_ARRAY: unique symbol = Symbol('empty array');

export const NULL_KEY = 'z';
export const EMPTY_ARRAY_KEY = 'u';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function isContainer(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array) && !(value instanceof RegExp);
}

/**
 * Every value a document holds at a dotted path, the way a MongoDB multikey index sees it: an
 * array on the way applies the rest of the path to each element (and a numeric segment may
 * also pick one element); an array at the end contributes each element.
 */
export function valuesAtPath(doc: unknown, parts: string[]): unknown[] {
  const out: unknown[] = [];
  walk(doc, parts, 0, out);
  return out;
}

function walk(node: unknown, parts: string[], depth: number, out: unknown[]): void {
  if (depth === parts.length) {
    if (!Array.isArray(node)) out.push(node === undefined ? MISSING : node);
    else if (node.length === 0) out.push(EMPTY_ARRAY);
    else out.push(...node);
    return;
  }
  if (Array.isArray(node)) {
    if (node.length === 0) out.push(MISSING);
    for (const element of node) {
      if (isContainer(element)) walk(element, parts, depth, out);
      else out.push(MISSING);
    }
    const segment = parts[depth];
    if (/^\d+$/.test(segment) && Number(segment) < node.length) walk(node[Number(segment)], parts, depth + 1, out);
    return;
  }
  if (isContainer(node) && Object.hasOwn(node, parts[depth])) {
    walk(node[parts[depth]], parts, depth + 1, out);
    return;
  }
  out.push(MISSING);
}

/** Whether an array lies on the path in the document (at its end too, even an empty one). */
export function holdsArray(doc: unknown, parts: string[]): boolean {
  let node = doc;
  for (const part of parts) {
    if (Array.isArray(node)) return true;
    if (!isContainer(node) || !Object.hasOwn(node, part)) return false;
    node = node[part];
  }
  return Array.isArray(node);
}

/** Whether the document lacks the path: a field on the way (or the last) is absent, or not a document. */
export function lacksPath(doc: unknown, parts: string[]): boolean {
  let node = doc;
  for (const part of parts) {
    if (!isContainer(node) || Array.isArray(node) || !Object.hasOwn(node, part)) return true;
    node = node[part];
  }
  return false;
}

/** The canonical text of one value (type tag first). */
export function canonical(value: unknown): string {
  if (value === MISSING || value === null || value === undefined) return NULL_KEY;
  if (value === EMPTY_ARRAY) return EMPTY_ARRAY_KEY;
  switch (typeof value) {
    case 'string':
      // Lone surrogates do not survive UTF-8; escape such strings under their own tag.
      return LONE_SURROGATE.test(value) ? 'S' + JSON.stringify(value) : 's' + value;
    case 'number':
      return 'n' + (Object.is(value, -0) ? '0' : String(value));
    case 'bigint':
      return 'n' + (Number.isSafeInteger(Number(value)) ? String(Number(value)) : value.toString());
    case 'boolean':
      return value ? 'b1' : 'b0';
    default:
      break;
  }
  if (value instanceof Date) return 'd' + value.getTime();
  if (value instanceof Uint8Array) return 'x' + Buffer.from(value).toString('hex');
  if (value instanceof RegExp) return 'r' + String(value);
  if (Array.isArray(value)) return 'a' + JSON.stringify(value.map(canonical));
  if (typeof value === 'object') {
    // MongoDB compares embedded documents field by field in order.
    return 'o' + JSON.stringify(Object.entries(value).map(([k, v]) => [k, canonical(v)]));
  }
  return 'q' + String(value);
}

/** Bytes of an LMDB key (at most 1978) left for the components; the rest holds the `_id`. */
const COMPONENTS_BUDGET = 1200;

/**
 * Bounds a component so `[components..., _id]` fits LMDB's key size: a long text becomes its
 * prefix plus a hash of the whole, under its own tag `T` (no canonical text starts with it), so
 * equal values still give equal components and different values (but for a hash collision)
 * different ones.
 */
export function keyComponent(text: string, fieldCount: number): string {
  const budget = Math.floor(COMPONENTS_BUDGET / fieldCount);
  if (text.length * 3 <= budget || Buffer.byteLength(text) <= budget) return text;
  const hash = createHash('sha256').update(text).digest('base64url');
  let head = text.slice(0, Math.max(0, Math.floor((budget - hash.length - 2) / 3)));
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return 'T' + head + '#' + hash;
}

/** A document's entry for an index: one component per indexed field, with the raw values. */
export interface IndexEntry {
  components: string[];
  values: unknown[];
}

/** Compound entries are the cartesian product of the fields' values; this caps that product. */
const MAX_ENTRIES_PER_DOCUMENT = 10_000;

/**
 * The index entries of a document, or none when `sparse` and it has none of the fields.
 * Throws RangeError when the document would need too many entries.
 */
export function indexEntries(doc: unknown, fieldParts: string[][], sparse: boolean): IndexEntry[] {
  const perField = fieldParts.map((parts) => {
    const seen = new Map<string, unknown>();
    for (const value of valuesAtPath(doc, parts)) {
      const text = keyComponent(canonical(value), fieldParts.length);
      if (!seen.has(text)) seen.set(text, value === MISSING || value === EMPTY_ARRAY ? null : value);
    }
    return seen;
  });
  if (sparse && perField.every((seen, i) => [...seen.keys()].every((k) => k === NULL_KEY && !hasNull(doc, fieldParts[i])))) {
    return [];
  }
  let entries: IndexEntry[] = [{ components: [], values: [] }];
  for (const seen of perField) {
    if (entries.length * seen.size > MAX_ENTRIES_PER_DOCUMENT) {
      throw new RangeError(`a document would need more than ${MAX_ENTRIES_PER_DOCUMENT} entries in one index`);
    }
    const next: IndexEntry[] = [];
    for (const entry of entries) {
      for (const [text, value] of seen) next.push({ components: [...entry.components, text], values: [...entry.values, value] });
    }
    entries = next;
  }
  return entries;
}

/** True when the path holds an explicit null somewhere (sparse indexes keep such documents). */
function hasNull(doc: unknown, parts: string[]): boolean {
  return valuesAtPath(doc, parts).some((v) => v === null);
}

/** Identity of an entry within one index, for set differences. */
export function entryId(entry: IndexEntry): string {
  return JSON.stringify(entry.components);
}
