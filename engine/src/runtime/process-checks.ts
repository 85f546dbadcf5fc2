/**
 * Publish-time checks of a process against what this runtime can run. Definitions are edited
 * by administrators in a browser, so nothing may run code on the server: script tasks and
 * script (JavaScript) conditions are refused; expressions are FEEL, checked for syntax here.
 */
import type { FieldError } from '../errors.js';
import { readServiceSpec, readTaskSpec, taskInputErrors } from '../bpmn/extension.js';
import { taskInputSourceError } from './task-choices.js';
import type { ModdleElement } from '../bpmn/moddle.js';
import { dueTimerType } from './time/index.js';

export interface ProcessCheckEnv {
  /** Names of the registered engine services. */
  serviceNames: () => string[];
  /** A FEEL syntax error message, or null. */
  feelSyntaxError: (expression: string) => string | null;
  /** Why a literal (non-FEEL) timer value is invalid, or null. */
  timerValueError: (timerType: string, value: string) => string | null;
  /** Problems with a service's literal (non-FEEL) inputs, as messages; FEEL inputs are only known at run time. */
  serviceInputProblems?: (service: string, literals: Record<string, string>) => string[];
}

const RUNNABLE = new Set([
  'bpmn:StartEvent', 'bpmn:EndEvent', 'bpmn:IntermediateCatchEvent', 'bpmn:IntermediateThrowEvent', 'bpmn:BoundaryEvent',
  'bpmn:UserTask', 'bpmn:ServiceTask', 'bpmn:ReceiveTask', 'bpmn:ExclusiveGateway', 'bpmn:ParallelGateway',
  'bpmn:EventBasedGateway', 'bpmn:SubProcess', 'bpmn:SequenceFlow',
  // Not executed, only drawn:
  'bpmn:TextAnnotation', 'bpmn:Association', 'bpmn:Group', 'bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference',
]);

const RUNNABLE_EVENTS = new Set([
  'bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition', 'bpmn:SignalEventDefinition',
  'bpmn:TerminateEventDefinition', 'bpmn:ErrorEventDefinition',
]);

const WHY_NOT: Record<string, string> = {
  'bpmn:ScriptTask': 'Script tasks cannot run here: a definition may not run code on the server. Use a service task naming one of the engine services instead.',
  'bpmn:BusinessRuleTask': 'Business rule tasks are not supported. Use an exclusive gateway with FEEL conditions.',
  'bpmn:SendTask': 'Send tasks are not supported. Use a service task with the notification service.',
  'bpmn:ManualTask': 'Manual tasks are not supported. Use a user task so someone is asked to act.',
  'bpmn:CallActivity': 'Call activities are not supported yet. Draw the called steps in this process or in an embedded sub-process.',
  'bpmn:Task': 'A plain task does nothing here. Make it a user task (a person acts) or a service task (the engine acts).',
  'bpmn:InclusiveGateway': 'Inclusive gateways are not supported. Use exclusive or parallel gateways.',
  'bpmn:ComplexGateway': 'Complex gateways are not supported. Use exclusive or parallel gateways.',
  'bpmn:Transaction': 'Transaction sub-processes are not supported.',
  'bpmn:AdHocSubProcess': 'Ad-hoc sub-processes are not supported.',
};

function isFeel(value: string): boolean {
  return value.trim().startsWith('=');
}

export function checkProcessModel(root: ModdleElement, env: ProcessCheckEnv): FieldError[] {
  const problems: FieldError[] = [];
  const problem = (element: ModdleElement, message: string) => problems.push({ path: element.id ?? '/xml', message });

  const checkExpression = (element: ModdleElement, what: string, value: string) => {
    if (!isFeel(value)) return;
    const error = env.feelSyntaxError(value.trim().slice(1));
    if (error) problem(element, `${what} is not valid FEEL: ${error}`);
  };

  const visit = (element: ModdleElement) => {
    const type = element.$type;
    const label = `${element.name ?? element.id} (${type.replace('bpmn:', '')})`;
    if (!RUNNABLE.has(type)) {
      problem(element, `${label}: ${WHY_NOT[type] ?? `${type.replace('bpmn:', '')} elements cannot run in this engine.`}`);
      return;
    }
    if (element.loopCharacteristics) problem(element, `${label}: repeating (multi-instance or loop) activities are not supported.`);

    for (const definition of (element.eventDefinitions ?? []) as ModdleElement[]) {
      if (!RUNNABLE_EVENTS.has(definition.$type)) {
        problem(element, `${label}: ${definition.$type.replace('bpmn:', '').replace('EventDefinition', '')} events are not supported.`);
        continue;
      }
      if (definition.$type === 'bpmn:TimerEventDefinition') {
        const kinds = (['timeDuration', 'timeDate', 'timeCycle'] as const).filter((k) => definition[k]);
        if (kinds.length !== 1) problem(element, `${label}: a timer needs exactly one of a duration, a date or a cycle.`);
        for (const kind of kinds) {
          const body = String(definition[kind]?.body ?? '').trim();
          if (!body) problem(element, `${label}: the timer's ${kind} is empty.`);
          else if (isFeel(body)) checkExpression(element, `${label}: the timer's ${kind}`, body);
          else {
            const error = env.timerValueError(kind, body);
            if (error) problem(element, `${label}: ${error}`);
          }
        }
      }
    }

    if (type === 'bpmn:SequenceFlow' && element.conditionExpression) {
      const condition = element.conditionExpression as ModdleElement;
      const language = String(condition.language ?? '').toLowerCase();
      const body = String(condition.body ?? '').trim();
      if (language && language !== 'feel') {
        problem(element, `${label}: conditions in ${condition.language} cannot run here; write the condition in FEEL (language="feel" or a body starting with "=").`);
      } else if (!body) {
        problem(element, `${label}: the condition is empty.`);
      } else if (!language && !isFeel(body)) {
        problem(element, `${label}: write the condition in FEEL: start it with "=" or set language="feel".`);
      } else {
        checkExpression(element, `${label}: the condition`, isFeel(body) ? body : `=${body}`);
      }
    }

    if (type === 'bpmn:UserTask') {
      const spec = readTaskSpec(element);
      if (!spec || spec.candidateRoles.length === 0) {
        problem(element, `${label}: say who acts on it with <wf:task candidateRoles="..."/> in its extension elements.`);
      } else {
        if (spec.scope) checkExpression(element, `${label}: the scope rule`, spec.scope.startsWith('=') ? spec.scope : `=${spec.scope}`);
        if (spec.due) {
          if (isFeel(spec.due)) checkExpression(element, `${label}: the due date`, spec.due);
          else {
            const error = env.timerValueError(dueTimerType(spec.due), spec.due);
            if (error) problem(element, `${label}: the due date: ${error}`);
          }
        }
        for (const decision of spec.reasonRequiredOn) {
          if (!spec.decisions.includes(decision)) problem(element, `${label}: a reason is required on "${decision}", which is not one of its decisions (${spec.decisions.join(', ')}).`);
        }
        for (const message of taskInputErrors(element)) problem(element, `${label}: ${message}.`);
        for (const input of spec.inputs) {
          if (!spec.decisions.includes(input.decision)) problem(element, `${label}: the input "${input.name}" belongs to "${input.decision}", which is not one of its decisions (${spec.decisions.join(', ')}).`);
          const sourceError = taskInputSourceError(input.source);
          if (sourceError) problem(element, `${label}: the input "${input.name}": ${sourceError}.`);
        }
      }
    }

    if (type === 'bpmn:ServiceTask') {
      const spec = readServiceSpec(element);
      const names = env.serviceNames();
      if (!spec || !spec.name) problem(element, `${label}: name the engine service it calls with <wf:service name="..."/> (one of: ${names.join(', ')}).`);
      else if (!names.includes(spec.name)) problem(element, `${label}: there is no engine service "${spec.name}" (there are: ${names.join(', ')}).`);
      for (const input of spec?.inputs ?? []) checkExpression(element, `${label}: the input "${input.name}"`, input.value);
      if (spec?.name && names.includes(spec.name) && env.serviceInputProblems) {
        const literals = Object.fromEntries((spec.inputs ?? []).filter((i) => !isFeel(i.value)).map((i) => [i.name, i.value]));
        for (const message of env.serviceInputProblems(spec.name, literals)) problem(element, `${label}: ${message}`);
      }
    }

    for (const child of (element.flowElements ?? []) as ModdleElement[]) visit(child);
    for (const artifact of (element.artifacts ?? []) as ModdleElement[]) visit(artifact);
  };

  for (const rootElement of (root.rootElements ?? []) as ModdleElement[]) {
    if (rootElement.$type !== 'bpmn:Process') continue;
    for (const element of (rootElement.flowElements ?? []) as ModdleElement[]) visit(element);
  }
  return problems;
}
