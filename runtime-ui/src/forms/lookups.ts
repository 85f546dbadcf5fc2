/**
 * Lookups named by a form (`"x-lookup": "<key>"` beside an `enum`) become labelled choices: the
 * enum is shown as `oneOf` entries with each code's label from the lookup definition. Retired codes
 * are offered only where the document already holds them (old values stay readable, new ones
 * cannot pick them). Validation keeps using the form's own schema.
 */
import { api } from '../api/client';

export interface LookupItem {
  code: string;
  label: string;
  retired?: boolean;
}

const cache = new Map<string, Promise<LookupItem[]>>();

function loadLookup(key: string): Promise<LookupItem[]> {
  let items = cache.get(key);
  if (!items) {
    items = api.get<{ content: { items: LookupItem[] } }>(`/api/definitions/lookup/${encodeURIComponent(key)}`).then((d) => d.content.items);
    cache.set(key, items);
    items.catch(() => cache.delete(key));
  }
  return items;
}

type Node = Record<string, any>;

function visit(node: unknown, each: (node: Node) => void): void {
  if (Array.isArray(node)) return node.forEach((n) => visit(n, each));
  if (!node || typeof node !== 'object') return;
  each(node as Node);
  for (const value of Object.values(node)) visit(value, each);
}

/** Every string value held anywhere in the data (the codes a document already uses). */
function heldValues(data: unknown, into = new Set<string>()): Set<string> {
  if (typeof data === 'string') into.add(data);
  else if (Array.isArray(data)) data.forEach((d) => heldValues(d, into));
  else if (data && typeof data === 'object') Object.values(data).forEach((d) => heldValues(d, into));
  return into;
}

/** The schema to render: a copy with each lookup field's enum turned into labelled oneOf choices. */
export async function withLookupChoices(schema: object, data: unknown): Promise<object> {
  const copy = structuredClone(schema) as Node;
  const fields: Node[] = [];
  visit(copy, (node) => {
    if (typeof node['x-lookup'] === 'string' && Array.isArray(node.enum)) fields.push(node);
  });
  if (fields.length === 0) return copy;
  const keys = [...new Set(fields.map((f) => f['x-lookup'] as string))];
  const loaded = new Map(await Promise.all(keys.map(async (k) => [k, await loadLookup(k).catch(() => [])] as const)));
  const held = heldValues(data);
  for (const field of fields) {
    const items = new Map(loaded.get(field['x-lookup'])!.map((i) => [i.code, i]));
    const offered = (field.enum as unknown[]).filter((code) => {
      const item = items.get(String(code));
      return !item?.retired || held.has(String(code));
    });
    field.oneOf = offered.map((code) => ({ const: code, title: items.get(String(code))?.label ?? String(code) }));
    delete field.enum;
  }
  return copy;
}
