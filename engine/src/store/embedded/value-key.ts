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
