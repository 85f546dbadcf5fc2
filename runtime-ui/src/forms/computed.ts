/**
 * Computed fields (a form's `computed` FEEL block) are the server's: after a save, their values
 * are copied from the server's answer into what is on the page. Only those fields: anything typed
 * while the save was on its way stays as typed. (Imports carry .js extensions: the root type
 * check, Node ESM, reads the form helpers through their tests.)
 */
import { getAt, isPlainObject, parsePointer, pointer, setAt } from '../../../engine/src/json-pointer.js';
import { splitEachPointer } from '../../../engine/src/documents/computed-fields.js';

function put(target: Record<string, any>, at: string, value: unknown): void {
  if (value !== undefined) {
    setAt(target, at, structuredClone(value));
    return;
  }
  const tokens = parsePointer(at) ?? [];
  const parent = tokens.length > 1 ? getAt(target, pointer('', ...tokens.slice(0, -1))) : target;
  if (isPlainObject(parent)) delete parent[tokens[tokens.length - 1]];
}

/** A copy of `current` with each computed field taken from `fromServer`. */
export function withServerComputed(current: Record<string, any>, fromServer: Record<string, any>, computed: Record<string, string> | undefined): Record<string, any> {
  const result = structuredClone(current);
  for (const target of Object.keys(computed ?? {})) {
    const each = splitEachPointer(target);
    if (!each) {
      put(result, target, getAt(fromServer, target));
      continue;
    }
    const mine = getAt(result, each.list);
    const theirs = getAt(fromServer, each.list);
    if (!Array.isArray(mine) || !Array.isArray(theirs)) continue;
    mine.forEach((item, i) => {
      if (isPlainObject(item) && isPlainObject(theirs[i])) put(item, each.rest, getAt(theirs[i], each.rest));
    });
  }
  return result;
}
