/**
 * A new version of a lookup keeps every code of the one before: documents store codes, and a
 * document on an older form version may hold any code its form offered, so a code that is no
 * longer to be chosen is retired (`"retired": true`), never removed. Labels may change (a
 * rename) and codes may be added or brought back from retirement.
 */
import type { FieldError } from '../errors.js';
import type { DefinitionService } from './service.js';
import type { DefinitionCheck, LookupContent } from './types.js';

export function lookupVersionCheck(definitions: Pick<DefinitionService, 'latest'>): DefinitionCheck {
  return async (content, { key }) => {
    const previous = await definitions.latest('lookup', key).then((d) => d.content as LookupContent, () => undefined);
    if (!previous) return [];
    const codes = new Set((content as LookupContent).items.map((item) => item.code));
    const dropped = previous.items.filter((item) => !codes.has(item.code));
    return dropped.map((item): FieldError => ({
      path: '/items',
      message: `The code "${item.code}" (${item.label}) is in the published lookup and documents may hold it: keep it with "retired": true instead of removing it`,
    }));
  };
}
