/**
 * The caller's access scope (a filter over case records, from CaseAccess) moved under the field
 * a joined case sits at, so it can filter records of another collection after the join.
 */
import { isPlainObject } from '../store/hygiene.js';
import type { Filter } from '../store/types.js';

const LOGICAL = new Set(['$and', '$or', '$nor']);

export function filterUnder(prefix: string, filter: Filter): Filter {
  const out: Filter = {};
  for (const [key, condition] of Object.entries(filter)) {
    if (LOGICAL.has(key) && Array.isArray(condition)) {
      out[key] = condition.map((clause) => (isPlainObject(clause) ? filterUnder(prefix, clause) : clause));
    } else if (key.startsWith('$')) {
      throw new Error(`a scope filter with ${key} at its top level cannot be moved under ${prefix}`);
    } else {
      // Field conditions ($elemMatch, $in, ...) are relative to the field: only the path moves.
      out[`${prefix}.${key}`] = condition;
    }
  }
  return out;
}
