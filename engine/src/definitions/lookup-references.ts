/**
 * Lookups named by forms: a subschema with `"x-lookup": "<lookup key>"` offers the codes of that
 * lookup in its `enum`. Publishing a form (or case type) checks each reference against the latest
 * published lookup: the lookup must exist and every offered value must be one of its codes. A
 * retired code still offered, or an active code not offered, is a warning, not a refusal.
 */
import type { FieldError } from '../errors.js';
import { pointer } from '../json-pointer.js';
import { forEachSubschema } from './schema-navigation.js';
import type { DefinitionService } from './service.js';
import { KEY_PATTERN, type CheckOutcome, type DefinitionCheck, type LookupContent } from './types.js';

export const LOOKUP_KEYWORD = 'x-lookup';

export function lookupReferenceCheck(definitions: Pick<DefinitionService, 'latest'>): DefinitionCheck {
  return async (content: { schema?: unknown }): Promise<CheckOutcome> => {
    const references: { node: Record<string, any>; at: string }[] = [];
    forEachSubschema(content.schema, '/schema', (node, at) => {
      if (node[LOOKUP_KEYWORD] !== undefined) references.push({ node, at });
    });
    const errors: FieldError[] = [];
    const warnings: FieldError[] = [];
    for (const { node, at } of references) {
      const key = node[LOOKUP_KEYWORD];
      const where = pointer(at, LOOKUP_KEYWORD);
      if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
        errors.push({ path: where, message: `"${LOOKUP_KEYWORD}" must be the key of a lookup, e.g. "languages"` });
        continue;
      }
      const lookup = await definitions.latest('lookup', key).then((d) => d.content as LookupContent, () => undefined);
      if (!lookup) {
        errors.push({ path: where, message: `There is no lookup "${key}": publish it before the forms that use it` });
        continue;
      }
      if (!Array.isArray(node.enum)) {
        errors.push({ path: pointer(at, 'enum'), message: `A field using the lookup "${key}" lists its codes in "enum"` });
        continue;
      }
      const codes = new Map(lookup.items.map((item) => [item.code, item]));
      const unknown = node.enum.filter((value: unknown) => typeof value !== 'string' || !codes.has(value));
      if (unknown.length > 0) {
        errors.push({ path: pointer(at, 'enum'), message: `${unknown.map((v: unknown) => JSON.stringify(v)).join(', ')} ${unknown.length === 1 ? 'is not a code' : 'are not codes'} of the lookup "${key}"` });
      }
      const retired = node.enum.filter((value: string) => codes.get(value)?.retired === true);
      if (retired.length > 0) warnings.push({ path: pointer(at, 'enum'), message: `The lookup "${key}" has retired ${retired.join(', ')}` });
      const offered = new Set(node.enum);
      const missing = lookup.items.filter((item) => !item.retired && !offered.has(item.code)).map((item) => item.code);
      if (missing.length > 0) warnings.push({ path: pointer(at, 'enum'), message: `The lookup "${key}" also has ${missing.join(', ')}, which this field does not offer` });
    }
    return { errors, warnings };
  };
}
