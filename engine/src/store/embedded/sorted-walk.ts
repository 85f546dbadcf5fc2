/**
 * Sort + limit from index keys: when a regular index holds the sort field after fields the filter
 * pins to one value each, every matching document has an entry under that key prefix, and the
 * entry's component is the document's sort value. Ordering the ids by those components (no
 * document decoded) lets the caller decode and re-test documents in order and stop after
 * skip + limit matches. The order is exactly mingo's `$sort` (stable, so ties keep `_id` order;
 * null and missing equal and first ascending) or no plan at all: only null/missing and one type
 * family that a component shows exactly (numbers, strings, dates) are ordered here, and a
 * document with several values for the field (an array) gives up, since mingo orders arrays its
 * own way.
 */
import { compareKeys } from 'lmdb';
import type { Filter, SortSpec } from '../types.js';
import { KEY_END } from './environment.js';
import type { LiveIndex } from './indexes.js';
import { NULL_KEY } from './keys.js';
import { components, singleValues } from './planner.js';

export interface SortWalk {
  index: LiveIndex;
  prefix: string[];
  position: number;
  field: string;
  direction: 1 | -1;
  /** Direction of `_id` when the sort names it after the field (ties), else stable (`_id` ascending). */
  idDirection: 1 | -1;
}

/** An index that serves `sort` (one field, optionally then `_id`) under the filter, or null. */
export function sortWalk(filter: Filter, indexes: LiveIndex[], sort: SortSpec): SortWalk | null {
  const spec = Object.entries(sort);
  if (spec.length === 0 || spec.length > 2) return null;
  const [[field, direction], tie] = spec;
  if (field === '_id' || (tie && tie[0] !== '_id')) return null;
  const pinned = singleValues(filter);
  let best: SortWalk | null = null;
  for (const index of indexes) {
    const { unique, sparse } = index.definition;
    if (unique || sparse) continue;
    const position = index.fields.indexOf(field);
    if (position < 0) continue;
    const prefix: string[] = [];
    for (const leading of index.fields.slice(0, position)) {
      if (!pinned.has(leading)) break;
      prefix.push(components([pinned.get(leading)], index.fields.length)[0]);
    }
    if (prefix.length < position) continue;
    // More pinned fields: fewer keys to read.
    if (!best || position > best.position) best = { index, prefix, position, field, direction, idDirection: tie ? tie[1] : 1 };
  }
  return best;
}

type Family = 'number' | 'string' | 'date';

function familyOf(tag: string): Family | null {
  return tag === 'n' ? 'number' : tag === 's' ? 'string' : tag === 'd' ? 'date' : null;
}

interface Row {
  id: string;
  value: string | number | null;
}

/**
 * The ids under the walk's prefix in sort order, lazily (a heap: a page needs only its first
 * few), or null when the keys cannot tell that order exactly.
 */
export function sortedIds(walk: SortWalk): Iterable<string> | null {
  const { index, prefix, position, direction, idDirection } = walk;
  const rows = new Map<string, Row>();
  let family: Family | null = null;
  for (const key of index.db.getKeys({ start: prefix, end: [...prefix, KEY_END] })) {
    const id = key[key.length - 1] as string;
    const component = key[position] as string;
    let value: string | number | null;
    if (component === NULL_KEY) value = null;
    else {
      const tag = familyOf(component[0]);
      if (!tag || (family && tag !== family)) return null;
      family = tag;
      const text = component.slice(1);
      if (tag === 'string') value = text;
      else {
        value = Number(text);
        // A value the text does not show exactly (NaN, a big integer): leave it to mingo.
        if (Number.isNaN(value) || String(value) !== text) return null;
      }
    }
    const known = rows.get(id);
    if (known && known.value !== value) return null; // several values (an array)
    if (!known) rows.set(id, { id, value });
  }
  const before = (a: Row, b: Row): boolean => {
    const x = a.value;
    const y = b.value;
    if (x !== y) {
      if (x === null) return direction === 1;
      if (y === null) return direction === -1;
      return direction === 1 ? x < y : x > y;
    }
    return idDirection * compareKeys(a.id, b.id) < 0;
  };
  return heapOrder([...rows.values()], before);
}

/** The rows in `before` order, one at a time: a binary heap built in linear time, popped as read. */
function* heapOrder(heap: Row[], before: (a: Row, b: Row) => boolean): Generator<string> {
  const down = (i: number, size: number) => {
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) return;
      const child = left + 1 < size && before(heap[left + 1], heap[left]) ? left + 1 : left;
      if (!before(heap[child], heap[i])) return;
      [heap[i], heap[child]] = [heap[child], heap[i]];
      i = child;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i, heap.length);
  for (let size = heap.length; size > 0; size--) {
    const top = heap[0];
    heap[0] = heap[size - 1];
    down(0, size - 1);
    yield top.id;
  }
}
