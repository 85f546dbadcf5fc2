/**
 * Planning the move of running instances from one process version to another: the activity-id
 * mapping (proposed where ids match), where each waiting activity and timer of an instance
 * lands, what blocks it, and the saved engine state rewritten to the new version's ids.
 * Pure functions over parsed models and saved records; instance-migration.ts saves the result.
 */
import type { FieldError } from '../errors.js';
import { isPlainObject } from '../json-pointer.js';
import type { InstanceRecord } from './instance-record.js';
import type { ProcessModel } from './process-models.js';

/** Old activity id -> new activity id (null: no target in the new version). */
export type ActivityMapping = Record<string, string | null>;

export interface MigrationBlocker {
  activityId: string;
  reason: string;
}

/** Where one active element of an instance lands. */
export interface Landing {
  activityId: string;
  type: string;
  targetId: string | null;
  targetType?: string;
}

/** bpmn-engine state keys whose value is an element id (see a saved state). */
const ID_KEYS = new Set(['id', 'targetId', 'sourceId', 'attachedTo']);

const isFlowNode = (element: any): boolean => typeof element?.$instanceOf === 'function' && element.$instanceOf('bpmn:FlowNode');

/** The flow nodes of a model (activities, events, gateways), by id. */
export function flowNodes(model: ProcessModel): Map<string, any> {
  return new Map([...model.elements].filter(([, element]) => isFlowNode(element)));
}

/** Every flow node of the old version mapped to the node of the same id in the new one, or null. */
export function proposeMapping(from: ProcessModel, to: ProcessModel): { mapping: ActivityMapping; unmatched: string[] } {
  const targets = flowNodes(to);
  const mapping: ActivityMapping = {};
  for (const id of flowNodes(from).keys()) mapping[id] = targets.has(id) ? id : null;
  return { mapping, unmatched: Object.keys(mapping).filter((id) => mapping[id] === null) };
}

/** Problems with a mapping sent by a client, each naming its key under `/mapping`. */
export function mappingProblems(mapping: unknown, from: ProcessModel, to: ProcessModel): FieldError[] {
  if (mapping === undefined) return [];
  if (!isPlainObject(mapping)) return [{ path: '/mapping', message: 'must be an object of old activity id -> new activity id (or null)' }];
  const sources = flowNodes(from);
  const targets = flowNodes(to);
  const problems: FieldError[] = [];
  for (const [source, target] of Object.entries(mapping)) {
    const at = `/mapping/${source.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (!sources.has(source)) problems.push({ path: at, message: `version ${from.version} has no activity "${source}"` });
    else if (target !== null && typeof target !== 'string') problems.push({ path: at, message: 'must be an activity id of the new version, or null' });
    else if (typeof target === 'string' && !targets.has(target)) problems.push({ path: at, message: `version ${to.version} has no activity "${target}"` });
  }
  return problems;
}

/** The elements of an instance that hold engine state: what waits, timers, and any child still executing. */
function activeElements(instance: InstanceRecord): Map<string, string> {
  const active = new Map<string, string>();
  for (const w of instance.waiting) active.set(w.activityId, w.type);
  for (const t of instance.timers) if (!active.has(t.activityId)) active.set(t.activityId, 'timer');
  const state = instance.state ? JSON.parse(instance.state) : null;
  for (const definition of state?.definitions ?? []) {
    for (const process of definition?.execution?.processes ?? []) {
      for (const child of process?.execution?.children ?? []) {
        if (child?.status && !active.has(child.id)) active.set(child.id, child.type);
      }
    }
  }
  return active;
}

/** The timer an event element declares (kind and value), or undefined. */
function timerOf(element: any): string | undefined {
  const timer = (element?.eventDefinitions ?? []).find((d: any) => d.$type === 'bpmn:TimerEventDefinition');
  if (!timer) return undefined;
  for (const kind of ['timeDuration', 'timeDate', 'timeCycle']) if (timer[kind]) return `${kind} ${String(timer[kind].body ?? '').trim()}`;
  return 'timer';
}

/** Where each active element of an instance lands under the mapping, and what would block the move. */
export function planInstance(instance: InstanceRecord, from: ProcessModel, to: ProcessModel, mapping: ActivityMapping): { landings: Landing[]; blockers: MigrationBlocker[] } {
  const targets = flowNodes(to);
  const sources = flowNodes(from);
  const landings: Landing[] = [];
  const blockers: MigrationBlocker[] = [];
  const taken = new Map<string, string>();
  for (const [activityId, type] of activeElements(instance)) {
    const source = sources.get(activityId);
    const sourceType = source?.$type ?? type;
    const targetId = mapping[activityId] ?? null;
    const target = targetId ? targets.get(targetId) : undefined;
    landings.push({ activityId, type: sourceType, targetId, ...(target ? { targetType: target.$type } : {}) });
    const block = (reason: string) => blockers.push({ activityId, reason });
    if (!targetId || !target) {
      block(`${activityId} (${sourceType}) has no target in version ${to.version}`);
      continue;
    }
    if (taken.has(targetId)) block(`${activityId} and ${taken.get(targetId)} both map to ${targetId}`);
    taken.set(targetId, activityId);
    if (sourceType === 'bpmn:UserTask' && target.$type !== 'bpmn:UserTask') {
      block(`the waiting user task ${activityId} maps to ${targetId}, a ${target.$type}, not a user task`);
    } else if (target.$type !== sourceType) {
      block(`${activityId} (${sourceType}) maps to ${targetId} of a different kind (${target.$type})`);
    }
    const [before, after] = [timerOf(source), timerOf(target)];
    if (before !== after) block(`the timer of ${activityId} (${before ?? 'none'}) differs in ${targetId} (${after ?? 'none'})`);
    const host = source?.attachedToRef?.id as string | undefined;
    if (host && target.attachedToRef?.id !== (mapping[host] ?? null)) {
      block(`${activityId} is attached to ${host}, which maps to ${mapping[host] ?? 'nothing'}, but ${targetId} is attached to ${target.attachedToRef?.id ?? 'nothing'}`);
    }
    if (source && typeof source.cancelActivity === 'boolean' && source.cancelActivity !== target.cancelActivity) {
      block(`${activityId} ${source.cancelActivity ? 'interrupts' : 'does not interrupt'} its host but ${targetId} ${target.cancelActivity ? 'does' : 'does not'}`);
    }
  }
  return { landings, blockers };
}

/** Old id -> new id for every renamed element, with the definitions and process ids of the two versions. */
export function renamedIds(from: ProcessModel, to: ProcessModel, mapping: ActivityMapping): Map<string, string> {
  const renamed = new Map<string, string>();
  for (const [source, target] of Object.entries(mapping)) if (target && target !== source) renamed.set(source, target);
  const roots = (model: ProcessModel) => {
    const definitions = model.moddleContext.rootElement;
    const processes = (definitions?.rootElements ?? []).filter((e: any) => e.$type === 'bpmn:Process');
    return [definitions?.id, ...processes.map((p: any) => p.id)] as string[];
  };
  const [before, after] = [roots(from), roots(to)];
  before.forEach((id, i) => {
    if (id && after[i] && id !== after[i]) renamed.set(id, after[i]);
  });
  return renamed;
}

/** The saved engine state with element ids renamed and the engine named after the new version. */
export function rewriteState(state: unknown, renamed: Map<string, string>, engineName: string): unknown {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isPlainObject(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (ID_KEYS.has(key) && typeof value === 'string' && renamed.has(value)) out[key] = renamed.get(value);
      else out[key] = key === 'children' && Array.isArray(value) ? onePerId(value.map(visit)) : visit(value);
    }
    return out;
  };
  const rewritten = visit(state) as Record<string, unknown>;
  return { ...rewritten, name: engineName };
}

/**
 * A process's child states after renaming: an activity renamed onto the id of another old
 * activity (first -> second while second also existed) leaves two states under one id; the
 * executing one is kept, so the idle one cannot overwrite it on recovery.
 */
function onePerId(children: unknown[]): unknown[] {
  const kept = new Map<unknown, Record<string, unknown>>();
  const rest: unknown[] = [];
  for (const child of children) {
    if (!isPlainObject(child) || typeof child.id !== 'string') {
      rest.push(child);
      continue;
    }
    const other = kept.get(child.id);
    if (!other || (child.status && !other.status)) kept.set(child.id, child);
  }
  return [...kept.values(), ...rest];
}

/** Renames the activity ids of a record keyed or listed by them (waiting, timers, timerFired). */
export function renameActivities(instance: InstanceRecord, mapping: ActivityMapping): Pick<InstanceRecord, 'waiting' | 'timers' | 'timerFired'> {
  const rename = (id: string) => mapping[id] ?? id;
  return {
    waiting: instance.waiting.map((w) => ({ ...w, activityId: rename(w.activityId) })),
    timers: instance.timers.map((t) => ({ ...t, activityId: rename(t.activityId) })),
    timerFired: Object.fromEntries(Object.entries(instance.timerFired ?? {}).map(([id, at]) => [rename(id), at])),
  };
}
