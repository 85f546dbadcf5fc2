/**
 * A string standing for a value under mingo's equality (isEqual, as its HashMap groups): two
 * values get the same key exactly when they are equal. Object keys are taken in sorted order
 * (equality ignores field order); primitives keep their type. Values mingo compares some other
 * way (class instances, typed arrays, invalid dates) have no key: the caller leaves them to mingo.
 */
import { NotCompiled } from './not-compiled.js';

function encode(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'u';
    case 'boolean':
      return value ? 't' : 'f';
    case 'number':
      // String(-0) is "0", as equality has it; NaN equals NaN.
      return `n${value};`;
    case 'string':
      // Length-prefixed, so no escaping is needed to keep keys apart.
      return `s${value.length}:${value}`;
    case 'object':
      break;
    default:
      throw new NotCompiled(`a ${typeof value} value`);
  }
  if (value === null) return 'z';
  if (Array.isArray(value)) {
    let out = '[';
    for (const item of value) out += `${encode(item)},`;
    return `${out}]`;
  }
  if (value instanceof Date) {
    const time = value.getTime();
    if (Number.isNaN(time)) throw new NotCompiled('an invalid date');
    return `d${time};`;
  }
  if (value instanceof RegExp) return `r${value.source.length}:${value.source}/${value.flags}`;
  if (Object.getPrototypeOf(value) !== Object.prototype) throw new NotCompiled('a class instance');
  let out = '{';
  for (const key of Object.keys(value).sort()) out += `${key.length}:${key}=${encode((value as Record<string, unknown>)[key])},`;
  return `${out}}`;
}

export const valueKey = encode;

/**
 * Values grouped by equality, in the order each was first seen, keeping the first value seen
 * (as mingo's HashMap does). Primitives are their own keys (SameValueZero, like Map).
 */
export class EqualityMap<V> {
  private readonly primitives = new Map<unknown, V>();
  private readonly objects = new Map<string, V>();
  readonly entries: { key: unknown; value: V }[] = [];

  /** The value kept for `key`, created with `create` the first time. */
  obtain(key: unknown, create: () => V): V {
    const primitive = key === null || typeof key !== 'object';
    const slot = primitive ? key : valueKey(key);
    const map = (primitive ? this.primitives : this.objects) as Map<unknown, V>;
    let value = map.get(slot);
    if (value === undefined) {
      value = create();
      map.set(slot, value);
      this.entries.push({ key, value });
    }
    return value;
  }
}

const isPrimitive = (value: unknown) => value === null || (typeof value !== 'object' && typeof value !== 'function');

/**
 * Groups whose keys are objects of the same field names, found by the field values through
 * nested Maps when every value is a primitive; such a key equals exactly the keys with the same
 * values (Map's SameValueZero agrees with valueKey: -0 is 0, NaN is NaN, null is not undefined).
 * New groups are appended to `entries`, shared with the EqualityMap that takes every other key
 * (a key holding an object value can never equal one of primitives only).
 */
export class TupleGroups<V> {
  private readonly root = new Map<unknown, any>();

  constructor(private readonly names: string[], private readonly entries: { key: unknown; value: V }[]) {}

  /** The group of these field values, created the first time; undefined when a value is not a primitive. */
  obtain(values: unknown[], create: () => V): V | undefined {
    for (const value of values) if (!isPrimitive(value)) return undefined;
    let node = this.root;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]);
      if (next === undefined) node.set(values[i], (next = new Map()));
      node = next;
    }
    let group = node.get(values[last]) as V | undefined;
    if (group === undefined) {
      group = create();
      node.set(values[last], group);
      const key: Record<string, unknown> = {};
      this.names.forEach((name, i) => (key[name] = values[i]));
      this.entries.push({ key, value: group });
    }
    return group;
  }
}
