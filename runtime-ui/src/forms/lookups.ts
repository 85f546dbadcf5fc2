/**
 * Lookups named by a form (`"x-lookup": "<key>"` beside an `enum`) become labelled choices: the
 * enum is shown as `oneOf` entries with each code's label from the lookup definition. Retired codes
 * are offered only where the document already holds them (old values stay readable, new ones
 * cannot pick them). Validation keeps using the form's own schema.
 */
import { api } from '../api/client.js';
import type { LookupItem } from '../api/engine-types.js';

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

/** The lookup keys a schema names. */
export function lookupKeys(schema: object): string[] {
  const keys = new Set<string>();
  visit(schema, (node) => {
    if (typeof node['x-lookup'] === 'string' && Array.isArray(node.enum)) keys.add(node['x-lookup']);
  });
  return [...keys];
}

/** A copy of the schema with each lookup field's enum as labelled oneOf choices (retired codes only where held). */
export function applyLookupChoices(schema: object, lookups: Map<string, LookupItem[]>, data: unknown): object {
  const copy = structuredClone(schema) as Node;
  const held = heldValues(data);
  visit(copy, (field) => {
    if (typeof field['x-lookup'] !== 'string' || !Array.isArray(field.enum)) return;
    const items = new Map((lookups.get(field['x-lookup']) ?? []).map((i) => [i.code, i]));
    const offered = (field.enum as unknown[]).filter((code) => !items.get(String(code))?.retired || held.has(String(code)));
    field.oneOf = offered.map((code) => ({ const: code, title: items.get(String(code))?.label ?? String(code) }));
    delete field.enum;
  });
  return copy;
}

/** The schema to render, with the lookups it names loaded from the definitions API. */
export async function withLookupChoices(schema: object, data: unknown): Promise<object> {
  const keys = lookupKeys(schema);
  const loaded = new Map(await Promise.all(keys.map(async (k) => [k, await loadLookup(k).catch(() => [])] as const)));
  return applyLookupChoices(schema, loaded, data);
}
