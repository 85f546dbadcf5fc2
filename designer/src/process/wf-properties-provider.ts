/**
 * The properties panel group for what the runtime reads from the `wf:` namespace (see
 * processes/README.md and engine/src/bpmn/moddle-extension.ts): a user task's candidate roles,
 * scope rule, due date, form and decisions; a service task's engine service and its inputs
 * (notification rules are the inputs of the notification service); a sequence flow's FEEL
 * condition; a timer's duration, date or cycle. Entries are Preact components (the panel's own
 * framework), written with `h` so this file needs no second JSX runtime.
 */
import { h } from '@bpmn-io/properties-panel/preact';
import { isTextFieldEntryEdited, SelectEntry, TextAreaEntry, TextFieldEntry } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';

type Bo = Record<string, any>;

/**
 * Each keystroke is applied at once rather than debounced: a debounced change still pending when
 * the user selects another element or presses Validate would be lost.
 */
const debounce = <F,>(fn: F): F => fn;
interface ShapeLike {
  id: string;
  businessObject: Bo;
}
interface EntryProps {
  element: ShapeLike;
  id: string;
}

const is = (bo: Bo | undefined, type: string) => !!bo && typeof bo.$instanceOf === 'function' && bo.$instanceOf(type);

function extension(bo: Bo, type: string): Bo | undefined {
  return (bo.extensionElements?.values ?? []).find((value: Bo) => value.$type === type);
}

/** The element's `wf:` extension of that type, created (with its extension elements) when absent. */
function ensureExtension(element: ShapeLike, type: string, services: { bpmnFactory: any; modeling: any }): Bo {
  const bo = element.businessObject;
  const found = extension(bo, type);
  if (found) return found;
  let extensionElements = bo.extensionElements;
  if (!extensionElements) {
    extensionElements = services.bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    extensionElements.$parent = bo;
    services.modeling.updateModdleProperties(element, bo, { extensionElements });
  }
  const created = services.bpmnFactory.create(type, {});
  created.$parent = extensionElements;
  services.modeling.updateModdleProperties(element, extensionElements, { values: [...extensionElements.get('values'), created] });
  return created;
}

/** A text (or multi-line text) entry editing one attribute of the element's `wf:` extension. */
function extensionAttributeEntry(type: string, attribute: string, label: string, description: string, multiline = false) {
  return function Entry({ element, id }: EntryProps) {
    const modeling = useService('modeling');
    const bpmnFactory = useService('bpmnFactory');
    const getValue = () => extension(element.businessObject, type)?.[attribute] ?? '';
    // The panel hands an emptied field over as undefined.
    const setValue = (value: string | undefined) => {
      const target = ensureExtension(element, type, { bpmnFactory, modeling });
      modeling.updateModdleProperties(element, target, { [attribute]: value?.trim() ? value : undefined });
    };
    return h(multiline ? TextAreaEntry : TextFieldEntry, { element, id, label, description, getValue, setValue, debounce, ...(multiline ? { rows: 3, monospace: true } : {}) });
  };
}

const TASK = 'wf:Task';
const taskEntries: [string, string, string, boolean][] = [
  ['candidateRoles', 'Candidate roles', 'Who may act: roles, comma separated (e.g. SCSW,SDPO)', false],
  ['scope', 'Scope rule (FEEL)', 'Which of those users: a FEEL rule over user, case and caseRoles', true],
  ['due', 'Due date', 'A duration from when the task opens (P5D), or FEEL, e.g. =add business days(today(), 5)', false],
  ['form', 'Form', 'The key of the form the task shows or asks for', false],
  ['decisions', 'Decisions', 'The decisions offered, comma separated (e.g. approve,reject)', false],
  ['reasonRequiredOn', 'Reason required on', 'Decisions that need a written reason, comma separated', false],
  ['reassignRoles', 'Reassign roles', 'Roles that may reassign the task, comma separated', false],
];

// Made once: a component made on each render would remount and lose the cursor.
const taskComponents = taskEntries.map(([attribute, label, description, multiline]) => [attribute, extensionAttributeEntry(TASK, attribute, label, description, multiline)] as const);
const ServiceNameEntry = extensionAttributeEntry('wf:Service', 'name', 'Engine service', 'The engine service this step calls (e.g. setCaseStatus, queueNotification)');

/** The service's inputs as lines "name: value" (values starting with = are FEEL). */
function ServiceInputsEntry({ element, id }: EntryProps) {
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const getValue = () => (extension(element.businessObject, 'wf:Service')?.inputs ?? []).map((i: Bo) => `${i.name}: ${i.value ?? ''}`).join('\n');
  const setValue = (text: string | undefined) => {
    const service = ensureExtension(element, 'wf:Service', { bpmnFactory, modeling });
    const inputs = (text ?? '').split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
      const colon = line.indexOf(':');
      const input = bpmnFactory.create('wf:Input', colon < 0 ? { name: line, value: '' } : { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
      input.$parent = service;
      return input;
    });
    modeling.updateModdleProperties(element, service, { inputs });
  };
  return h(TextAreaEntry, {
    element, id, label: 'Inputs', getValue, setValue, debounce, rows: 5, monospace: true,
    description: 'One per line, "name: value". Values starting with = are FEEL; notification recipients (to, cc) are recipient rules.',
  });
}

function ConditionEntry({ element, id }: EntryProps) {
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const getValue = () => element.businessObject.conditionExpression?.body ?? '';
  const setValue = (value: string | undefined) => {
    const conditionExpression = !value?.trim() ? undefined : bpmnFactory.create('bpmn:FormalExpression', { body: value });
    modeling.updateProperties(element, { conditionExpression });
  };
  return h(TextAreaEntry, { element, id, label: 'Condition (FEEL)', description: 'Taken when true, e.g. =decision = "approve". Empty: no condition.', getValue, setValue, debounce, rows: 2, monospace: true });
}

const TIMER_KINDS = [
  { value: 'timeDuration', label: 'Duration (P3D, PT4H)' },
  { value: 'timeDate', label: 'Date (2027-01-04T08:00)' },
  { value: 'timeCycle', label: 'Cycle (R/2026-01-05T08:00/P1D)' },
];

const timerOf = (bo: Bo) => (bo.eventDefinitions ?? []).find((d: Bo) => d.$type === 'bpmn:TimerEventDefinition');
const timerKind = (timer: Bo) => TIMER_KINDS.find((k) => timer[k.value])?.value ?? 'timeDuration';

function TimerKindEntry({ element, id }: EntryProps) {
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const timer = timerOf(element.businessObject);
  const getValue = () => timerKind(timer);
  const setValue = (kind: string) => {
    const body = timer[timerKind(timer)]?.body ?? '';
    modeling.updateModdleProperties(element, timer, {
      timeDuration: undefined, timeDate: undefined, timeCycle: undefined,
      [kind]: bpmnFactory.create('bpmn:FormalExpression', { body }),
    });
  };
  return h(SelectEntry, { element, id, label: 'Timer type', getValue, setValue, getOptions: () => TIMER_KINDS });
}

function TimerValueEntry({ element, id }: EntryProps) {
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const timer = timerOf(element.businessObject);
  const getValue = () => timer[timerKind(timer)]?.body ?? '';
  const setValue = (body: string | undefined) => modeling.updateModdleProperties(element, timer, { [timerKind(timer)]: bpmnFactory.create('bpmn:FormalExpression', { body: body ?? '' }) });
  return h(TextFieldEntry, {
    element, id, label: 'Timer value', getValue, setValue, debounce,
    description: 'ISO 8601 in county time, or FEEL, e.g. =add business days(date(case.data.assignmentDate), 10) for business days',
  });
}

function groupsFor(element: ShapeLike) {
  const bo = element.businessObject;
  const entry = (id: string, component: unknown) => ({ id, element, component, isEdited: isTextFieldEntryEdited });
  const groups = [];
  if (is(bo, 'bpmn:UserTask')) {
    groups.push({
      id: 'wf-task', label: 'Who acts and when',
      entries: taskComponents.map(([attribute, component]) => entry(`wf-task-${attribute}`, component)),
    });
  }
  if (is(bo, 'bpmn:ServiceTask')) {
    groups.push({ id: 'wf-service', label: 'Engine service', entries: [entry('wf-service-name', ServiceNameEntry), entry('wf-service-inputs', ServiceInputsEntry)] });
  }
  if (is(bo, 'bpmn:SequenceFlow') && (bo.conditionExpression || is(bo.sourceRef, 'bpmn:ExclusiveGateway'))) {
    groups.push({ id: 'wf-condition', label: 'Condition', entries: [entry('wf-condition', ConditionEntry)] });
  }
  if (is(bo, 'bpmn:Event') && timerOf(bo)) {
    groups.push({ id: 'wf-timer', label: 'Timer', entries: [entry('wf-timer-kind', TimerKindEntry), entry('wf-timer-value', TimerValueEntry)] });
  }
  return groups;
}

function WfPropertiesProvider(this: any, propertiesPanel: any) {
  this.getGroups = (element: ShapeLike) => (groups: unknown[]) => [...groups, ...groupsFor(element)];
  propertiesPanel.registerProvider(500, this);
}
WfPropertiesProvider.$inject = ['propertiesPanel'];

export const wfPropertiesProviderModule = {
  __init__: ['wfPropertiesProvider'],
  wfPropertiesProvider: ['type', WfPropertiesProvider],
};
