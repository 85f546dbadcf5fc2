/**
 * The form designer's model: the UI schema is the tree (layouts and groups are sections, controls
 * are fields); each field's properties live in the JSON Schema property its scope points to.
 * Every edit returns a new { schema, uischema } pair, so the tree, the raw JSON views and the
 * preview always show the same thing.
 */
export type Json = Record<string, any>;

export interface FormParts {
  schema: Json;
  uischema: Json;
}

/** A node's place in the tree: child indexes from the root layout. */
export type NodePath = number[];

export const isSection = (node: Json) => Array.isArray(node?.elements);

export function nodeAt(root: Json, path: NodePath): Json {
  return path.reduce((node, index) => node.elements[index], root);
}

/** "#/properties/a/properties/b" → ["a", "b"]. */
export function scopeNames(scope: string): string[] {
  return scope.replace(/^#\//, '').split('/').filter((part, i) => i % 2 === 1);
}

/** The schema property a control's scope names, with its parent object (for `required`). */
export function propertyOf(schema: Json, scope: string): { parent: Json; name: string; property: Json } | null {
  const names = scopeNames(scope);
  let parent = schema;
  for (let i = 0; i < names.length - 1; i++) {
    parent = parent.properties?.[names[i]];
    if (!parent) return null;
  }
  const name = names[names.length - 1];
  const property = parent.properties?.[name];
  return property ? { parent, name, property } : null;
}

export type FieldKind = 'text' | 'number' | 'date' | 'yesNo' | 'lookup' | 'multiChoice' | 'table' | 'file' | 'signature';

export const PALETTE: { kind: FieldKind; label: string }[] = [
  { kind: 'text', label: 'Text' },
  { kind: 'number', label: 'Number' },
  { kind: 'date', label: 'Date' },
  { kind: 'yesNo', label: 'Yes/No' },
  { kind: 'lookup', label: 'Choice from a lookup' },
  { kind: 'multiChoice', label: 'Multi-choice' },
  { kind: 'table', label: 'Table of rows' },
  { kind: 'file', label: 'File' },
  { kind: 'signature', label: 'Signature' },
];

/** A new field's schema; a lookup's codes are filled in by the caller. */
export function newFieldSchema(kind: FieldKind, title: string, lookup?: { key: string; codes: string[] }): Json {
  switch (kind) {
    case 'text': return { type: 'string', title, maxLength: 200 };
    case 'number': return { type: 'number', title };
    case 'date': return { type: 'string', format: 'date', title };
    case 'yesNo': return { type: 'boolean', title };
    case 'lookup': return { type: 'string', title, 'x-lookup': lookup?.key, enum: lookup?.codes ?? [] };
    case 'multiChoice': return { type: 'array', title, uniqueItems: true, items: { type: 'string', 'x-lookup': lookup?.key, enum: lookup?.codes ?? [] } };
    case 'table': return { type: 'array', title, items: { type: 'object', properties: { item: { type: 'string', title: 'Item', maxLength: 200 }, notes: { type: 'string', title: 'Notes', maxLength: 500 } } } };
    case 'file': return { type: 'string', title, 'x-case-file': true, description: 'The id of a file uploaded to the case' };
    case 'signature': return {
      type: 'object', title,
      properties: { signedBy: { type: 'string', title: 'Signed by', maxLength: 120 }, signedOn: { type: 'string', format: 'date', title: 'Date signed' } },
      required: ['signedBy', 'signedOn'],
    };
  }
}

/** A property name not yet used at the top level, from the title ("Safety contact" → "safetyContact"). */
export function freshName(schema: Json, title: string): string {
  const words = title.replace(/[^A-Za-z0-9 ]/g, ' ').trim().split(/\s+/).filter(Boolean);
  const base = words.length ? words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('') : 'field';
  let name = /^[a-z]/.test(base) ? base : `field${base}`;
  for (let n = 2; schema.properties?.[name]; n++) name = `${base}${n}`;
  return name;
}

/** Adds a field at the top level of the data, its control at the end of the section. */
export function addField(parts: FormParts, section: NodePath, kind: FieldKind, title: string, lookup?: { key: string; codes: string[] }): { parts: FormParts; path: NodePath } {
  const next = structuredClone(parts);
  const name = freshName(next.schema, title);
  next.schema.properties = { ...(next.schema.properties ?? {}), [name]: newFieldSchema(kind, title, lookup) };
  const target = nodeAt(next.uischema, section);
  target.elements.push({ type: 'Control', scope: `#/properties/${name}` });
  return { parts: next, path: [...section, target.elements.length - 1] };
}

export function addSection(parts: FormParts, label: string): { parts: FormParts; path: NodePath } {
  const next = structuredClone(parts);
  next.uischema.elements.push({ type: 'Group', label, elements: [] });
  return { parts: next, path: [next.uischema.elements.length - 1] };
}

/** Removes a node; a removed field's property goes too when no other control shows it. */
export function removeNode(parts: FormParts, path: NodePath): FormParts {
  const next = structuredClone(parts);
  const parent = nodeAt(next.uischema, path.slice(0, -1));
  const [removed] = parent.elements.splice(path[path.length - 1], 1);
  const scopes = new Set<string>();
  const collect = (node: Json) => { if (node.scope) scopes.add(node.scope); (node.elements ?? []).forEach(collect); };
  collect(removed);
  const remaining = new Set<string>();
  const collectRemaining = (node: Json) => { if (node.scope) remaining.add(node.scope); (node.elements ?? []).forEach(collectRemaining); };
  collectRemaining(next.uischema);
  for (const scope of scopes) {
    if (remaining.has(scope)) continue;
    const found = propertyOf(next.schema, scope);
    if (!found) continue;
    delete found.parent.properties[found.name];
    if (Array.isArray(found.parent.required)) found.parent.required = found.parent.required.filter((r: string) => r !== found.name);
  }
  return next;
}

/** Moves a node one place up or down among its siblings (keyboard and buttons). */
export function moveNode(parts: FormParts, path: NodePath, delta: -1 | 1): { parts: FormParts; path: NodePath } {
  const index = path[path.length - 1];
  const target = index + delta;
  if (target < 0 || target >= nodeAt(parts.uischema, path.slice(0, -1)).elements.length) return { parts, path };
  const next = structuredClone(parts);
  const siblings = nodeAt(next.uischema, path.slice(0, -1)).elements;
  [siblings[index], siblings[target]] = [siblings[target], siblings[index]];
  return { parts: next, path: [...path.slice(0, -1), target] };
}

/**
 * Moves a node to just before the node at `before` (dragging onto it), or to the end of the
 * section at `before` when `intoSection`. Paths are read before the node is taken out.
 */
export function moveTo(parts: FormParts, from: NodePath, before: NodePath, intoSection = false): { parts: FormParts; path: NodePath } {
  const startsWith = (path: NodePath, prefix: NodePath) => prefix.every((v, i) => path[i] === v);
  if (startsWith(before, from)) return { parts, path: from }; // onto itself or into its own children
  const next = structuredClone(parts);
  const target = intoSection ? nodeAt(next.uischema, before) : nodeAt(next.uischema, before.slice(0, -1));
  const anchor = intoSection ? null : nodeAt(next.uischema, before);
  const fromParent = nodeAt(next.uischema, from.slice(0, -1));
  const [node] = fromParent.elements.splice(from[from.length - 1], 1);
  const index = anchor ? target.elements.indexOf(anchor) : target.elements.length;
  target.elements.splice(index, 0, node);
  return { parts: next, path: pathOf(next.uischema, node)! };
}

/** The path of a node object in the tree. */
export function pathOf(root: Json, wanted: Json, at: NodePath = []): NodePath | null {
  if (root === wanted) return at;
  for (const [i, child] of (root.elements ?? []).entries()) {
    const found = pathOf(child, wanted, [...at, i]);
    if (found) return found;
  }
  return null;
}

/** A field's label: its control's label, else its schema title, else its name. */
export function labelOf(parts: FormParts, node: Json): string {
  if (isSection(node)) return node.label ?? (node.type === 'HorizontalLayout' ? 'Row' : 'Section');
  if (node.type === 'Label') return node.text ?? 'Text';
  const found = node.scope ? propertyOf(parts.schema, node.scope) : null;
  return (typeof node.label === 'string' ? node.label : undefined) ?? found?.property.title ?? found?.name ?? node.scope ?? 'Field';
}
