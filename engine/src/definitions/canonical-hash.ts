/**
 * A content hash that does not depend on key order or formatting: two contents hash alike
 * exactly when they are the same JSON.
 */
import { createHash } from 'node:crypto';

/** The value as plain JSON with every object's keys sorted (undefined dropped, as JSON.stringify does). */
export function canonicalize(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalize((value as { toJSON(): unknown }).toJSON());
  }
  if (Array.isArray(value)) {
    return value.map((item) => (item === undefined || typeof item === 'function' ? null : canonicalize(item)));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined || typeof item === 'function') continue;
      out[key] = canonicalize(item);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value)) ?? 'null';
}

/** sha256 (hex) of the canonical JSON. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** Deep equality in JSON terms (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * A plain JSON copy (key order kept): what is validated, hashed and stored. Throws a
 * TypeError for what JSON cannot hold (cycles, BigInt).
 */
export function toPlainJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}
