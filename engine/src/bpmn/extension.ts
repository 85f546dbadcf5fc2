/**
 * The project's BPMN extension namespace (`wf:`), read by the runtime and understood by the
 * designer. A user task declares who may act and what it asks for:
 *
 *   <bpmn:userTask id="review">
 *     <bpmn:extensionElements>
 *       <wf:task candidateRoles="Supervisor" scope="=list contains(caseRoles, &quot;Supervisor&quot;)"
 *                due="P3D" decisions="approve,reject" reasonRequiredOn="reject" form="intake" />
 *     </bpmn:extensionElements>
 *   </bpmn:userTask>
 *
 * and a service task names an engine service with its inputs (literals, or FEEL after `=`):
 *
 *   <wf:service name="setCaseStatus"><wf:input name="status" value="Approved" /></wf:service>
 */
export const WF_NAMESPACE = 'urn:forms-workflow-engine:bpmn:1';

export { wfModdleDescriptor } from './moddle-extension.js';

export interface TaskSpec {
  candidateRoles: string[];
  /** FEEL expression over { user, case, caseRoles, variables }; absent means any holder of a candidate role. */
  scope?: string;
  /** ISO duration/date or FEEL; when the task is due. */
  due?: string;
  form?: string;
  decisions: string[];
  reasonRequiredOn: string[];
  reassignRoles: string[];
}

export interface ServiceSpec {
  name: string;
  inputs: { name: string; value: string }[];
}

const list = (value: unknown): string[] =>
  typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : [];

/** Extension elements of a BPMN element, whether read by bpmn-moddle or serialised for bpmn-engine. */
function extensionValues(element: any): any[] {
  return element?.extensionElements?.values ?? element?.behaviour?.extensionElements?.values ?? [];
}

export function readTaskSpec(element: any): TaskSpec | undefined {
  const task = extensionValues(element).find((v) => v.$type === 'wf:Task');
  if (!task) return undefined;
  return {
    candidateRoles: list(task.candidateRoles),
    scope: task.scope || undefined,
    due: task.due || undefined,
    form: task.form || undefined,
    decisions: list(task.decisions).length > 0 ? list(task.decisions) : ['complete'],
    reasonRequiredOn: list(task.reasonRequiredOn),
    reassignRoles: list(task.reassignRoles),
  };
}

export function readServiceSpec(element: any): ServiceSpec | undefined {
  const service = extensionValues(element).find((v) => v.$type === 'wf:Service');
  if (!service) return undefined;
  return {
    name: String(service.name ?? ''),
    inputs: (service.inputs ?? []).map((i: any) => ({ name: String(i.name ?? ''), value: String(i.value ?? '') })),
  };
}
