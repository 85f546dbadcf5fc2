/**
 * Checks a JSON Forms UI schema against its JSON Schema: every element has a type, every
 * Control has a scope, and every scope (of controls and of rule conditions) names something
 * the schema has. All bad scopes are reported, not just the first.
 */
import type { FieldError } from '../errors.js';
import { isPlainObject, pointer } from '../json-pointer.js';
import { derefSchema, resolveScope } from './schema-navigation.js';

const RULE_EFFECTS = ['HIDE', 'SHOW', 'ENABLE', 'DISABLE'];
const MAX_DEPTH = 64;

export function validateUiSchema(uischema: unknown, schema: Record<string, any>, base: string): FieldError[] {
  const problems: FieldError[] = [];
  if (!isPlainObject(uischema)) return [{ path: base, message: 'The UI schema must be a JSON object' }];
  walkElement(uischema, base, { root: schema, scopeBase: schema, problems }, 0);
  return problems;
}

interface Walk {
  root: Record<string, any>;
  /** What scopes are resolved against: the root schema, or an array's items schema inside its detail. */
  scopeBase: unknown;
  problems: FieldError[];
}

function walkElement(element: unknown, at: string, walk: Walk, depth: number): void {
  if (depth > MAX_DEPTH) {
    walk.problems.push({ path: at, message: `The UI schema is nested more than ${MAX_DEPTH} levels deep` });
    return;
  }
  if (!isPlainObject(element)) {
    walk.problems.push({ path: at, message: 'Each UI element must be a JSON object with a "type"' });
    return;
  }
  if (typeof element.type !== 'string' || element.type === '') {
    walk.problems.push({ path: pointer(at, 'type'), message: 'Each UI element needs a "type", e.g. "VerticalLayout", "Group" or "Control"' });
  }

  let target: unknown;
  if (element.scope !== undefined || element.type === 'Control') {
    target = checkScope(element.scope, pointer(at, 'scope'), walk, 'control');
  }

  if (element.elements !== undefined) {
    if (!Array.isArray(element.elements)) {
      walk.problems.push({ path: pointer(at, 'elements'), message: '"elements" must be a list of UI elements' });
    } else {
      element.elements.forEach((child: unknown, i: number) => walkElement(child, pointer(at, 'elements', i), walk, depth + 1));
    }
  }

  if (element.rule !== undefined) checkRule(element.rule, pointer(at, 'rule'), walk, depth);

  // An array control's detail layout is scoped to the array's items.
  const detail = isPlainObject(element.options) ? element.options.detail : undefined;
  if (isPlainObject(detail)) {
    const arraySchema = derefSchema(target, walk.root);
    const items = arraySchema && derefSchema(Array.isArray(arraySchema.items) ? undefined : arraySchema.items, walk.root);
    if (items) {
      walkElement(detail, pointer(at, 'options', 'detail'), { ...walk, scopeBase: items }, depth + 1);
    } else if (target !== undefined) {
      walk.problems.push({ path: pointer(at, 'options', 'detail'), message: 'A detail layout needs the control to point at a list (an array with "items")' });
    }
  }
}

function checkRule(rule: unknown, at: string, walk: Walk, depth: number): void {
  if (!isPlainObject(rule)) {
    walk.problems.push({ path: at, message: 'A rule must be a JSON object with "effect" and "condition"' });
    return;
  }
  if (!RULE_EFFECTS.includes(rule.effect)) {
    walk.problems.push({ path: pointer(at, 'effect'), message: `A rule's "effect" must be one of: ${RULE_EFFECTS.join(', ')}` });
  }
  if (rule.condition === undefined) {
    walk.problems.push({ path: pointer(at, 'condition'), message: 'A rule needs a "condition"' });
    return;
  }
  checkCondition(rule.condition, pointer(at, 'condition'), walk, depth);
}

function checkCondition(condition: unknown, at: string, walk: Walk, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (!isPlainObject(condition)) {
    walk.problems.push({ path: at, message: 'A rule condition must be a JSON object' });
    return;
  }
  if (Array.isArray(condition.conditions)) {
    // AND / OR of conditions
    condition.conditions.forEach((child: unknown, i: number) => checkCondition(child, pointer(at, 'conditions', i), walk, depth + 1));
    return;
  }
  if (condition.scope !== undefined || condition.schema !== undefined || condition.type === 'LEAF') {
    checkScope(condition.scope, pointer(at, 'scope'), walk, 'rule');
  }
  if (condition.schema !== undefined && !isPlainObject(condition.schema)) {
    walk.problems.push({ path: pointer(at, 'schema'), message: 'A rule condition\'s "schema" must be a JSON Schema object' });
  }
}

/** Reports a missing or dangling scope; returns the subschema it names when it names one. */
function checkScope(scope: unknown, at: string, walk: Walk, owner: 'control' | 'rule'): unknown {
  const who = owner === 'control' ? 'A Control' : 'A rule condition';
  if (typeof scope !== 'string' || scope === '') {
    walk.problems.push({ path: at, message: `${who} needs a "scope" naming a property, e.g. "#/properties/name"` });
    return undefined;
  }
  const resolved = resolveScope(walk.scopeBase, walk.root, scope);
  if (!resolved.ok) {
    walk.problems.push({ path: at, message: `${who} points at "${scope}", but ${resolved.reason}` });
    return undefined;
  }
  return resolved.node;
}
