/**
 * The project's BPMN extension namespace (`wf:`), read by the runtime and understood by the
 * designer. A user task declares who may act and what it asks for:
 *
 *   <bpmn:userTask id="review">
 *     <bpmn:extensionElements>
 *       <wf:task candidateRoles="Supervisor" scope="=list contains(caseRoles, &quot;Supervisor&quot;)"
 *                due="P3D" decisions="approve,reject" reasonRequiredOn="reject" form="intake"
 *                inputs="approve:team=lookup:teams" />
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
  /** Values a decision carries, each chosen from a source: `lookup:<key>` or a users rule (`users:<role> where <attribute> = /data/<field>`). */
  inputs: TaskInput[];
}

export interface TaskInput {
  decision: string;
  /** The variable the chosen value is sent as (`data.<name>` of the decision). */
  name: string;
  source: string;
}

/** `inputs="approve:team=lookup:teams; assign:userId=users:Worker"`: entries that do not parse are left to the publish check. */
export function parseTaskInputs(value: unknown): { inputs: TaskInput[]; errors: string[] } {
  const inputs: TaskInput[] = [];
  const errors: string[] = [];
  const entries = typeof value === 'string' ? value.split(';').map((v) => v.trim()).filter(Boolean) : [];
  for (const entry of entries) {
    const match = /^([A-Za-z][\w-]*)\s*:\s*([A-Za-z_][\w]*)\s*=\s*(.+)$/.exec(entry);
    if (match) inputs.push({ decision: match[1], name: match[2], source: match[3].trim() });
    else errors.push(`"${entry}" is not an input: write <decision>:<variable>=<source>, e.g. approve:team=lookup:teams`);
  }
  return { inputs, errors };
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
    inputs: parseTaskInputs(task.inputs).inputs,
  };
}

/** Problems of the `inputs` attribute of an element's wf:task, as written. */
export function taskInputErrors(element: any): string[] {
  const task = extensionValues(element).find((v) => v.$type === 'wf:Task');
  return parseTaskInputs(task?.inputs).errors;
}

export function readServiceSpec(element: any): ServiceSpec | undefined {
  const service = extensionValues(element).find((v) => v.$type === 'wf:Service');
  if (!service) return undefined;
  return {
    name: String(service.name ?? ''),
    inputs: (service.inputs ?? []).map((i: any) => ({ name: String(i.name ?? ''), value: String(i.value ?? '') })),
  };
}
