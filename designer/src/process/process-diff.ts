/**
 * Which elements of a process changed between two versions: ids only in the newer one (added),
 * only in the older one (removed), and in both with different content (changed). An element's
 * content is its own properties and owned children (extension elements, conditions, timers),
 * with references to other elements reduced to their ids; its drawing (position) is ignored.
 */
type Bo = Record<string, any>;

export interface ProcessDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Properties that point at other elements, or hold elements compared on their own. */
const REFERENCES = new Set(['incoming', 'outgoing', 'sourceRef', 'targetRef', 'attachedToRef', 'default', 'messageRef', 'signalRef', 'errorRef', 'processRef', 'categoryValueRef', 'dataObjectRef', 'flowNodeRef']);
const OWN_ELEMENTS = new Set(['flowElements', 'artifacts', 'laneSets', 'rootElements', 'diagrams']);

function isElement(value: unknown): value is Bo {
  return !!value && typeof value === 'object' && typeof (value as Bo).$type === 'string';
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isElement(value)) return value;
  const out: Record<string, unknown> = { $type: value.$type };
  for (const key of Object.keys(value).sort()) {
    if (key.startsWith('$') || key === 'di' || OWN_ELEMENTS.has(key)) continue;
    const v = value[key];
    if (v === undefined) continue;
    out[key] = REFERENCES.has(key) ? (Array.isArray(v) ? v.map((r: Bo) => r?.id) : v?.id) : canonical(v);
  }
  const attrs = value.$attrs && Object.keys(value.$attrs).length ? value.$attrs : undefined;
  if (attrs) out.$attrs = attrs;
  return out;
}

/** Every flow element and artifact of every process (and sub-process), by id, as comparable text. */
export function collectElements(definitions: Bo): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (element: Bo) => {
    if (element.id && element.$type !== 'bpmn:Definitions') found.set(element.id, JSON.stringify(canonical(element)));
    for (const key of ['rootElements', 'flowElements', 'artifacts']) for (const child of element[key] ?? []) visit(child);
  };
  visit(definitions);
  return found;
}

export function diffProcesses(older: Bo, newer: Bo): ProcessDiff {
  const before = collectElements(older);
  const after = collectElements(newer);
  return {
    added: [...after.keys()].filter((id) => !before.has(id)),
    removed: [...before.keys()].filter((id) => !after.has(id)),
    changed: [...after.keys()].filter((id) => before.has(id) && before.get(id) !== after.get(id)),
  };
}
