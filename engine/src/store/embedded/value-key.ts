/**
 * A string standing for a value under mingo's equality (isEqual, as its HashMap groups): two
 * values get the same key exactly when they are equal. Object keys are taken in sorted order
 * (equality ignores field order); primitives keep their type. Values mingo compares some other
 * way (class instances, typed arrays, invalid dates) have no key: the caller leaves them to mingo.
 */
import { NotCompiled } from './not-compiled.js';

function encode(value: unknown, out: string[]): void {
  switch (typeof value) {
    case 'undefined':
      out.push('u');
      return;
    case 'boolean':
      out.push(value ? 't' : 'f');
      return;
    case 'number':
      // String(-0) is "0", as equality has it; NaN equals NaN.
      out.push('n', String(value), ';');
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new NotCompiled(`a ${typeof value} value`);
  }
  if (value === null) {
    out.push('z');
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (const item of value) {
      encode(item, out);
      out.push(',');
    }
    out.push(']');
    return;
  }
  if (value instanceof Date) {
    const time = value.getTime();
    if (Number.isNaN(time)) throw new NotCompiled('an invalid date');
    out.push('d', String(time), ';');
    return;
  }
  if (value instanceof RegExp) {
    out.push('r', JSON.stringify(value.source), JSON.stringify(value.flags));
    return;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) throw new NotCompiled('a class instance');
  out.push('{');
  for (const key of Object.keys(value).sort()) {
    out.push(JSON.stringify(key), ':');
    encode((value as Record<string, unknown>)[key], out);
    out.push(',');
  }
  out.push('}');
}

export function valueKey(value: unknown): string {
  const out: string[] = [];
  encode(value, out);
  return out.join('');
}

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
