/**
 * The approval tasks of a generated CTS year, as task records of the shape the runtime writes
 * (runtime/task-service.ts): each step's name, candidate roles, scope rule, decisions and form
 * read from the published process with the runtime's own readTaskSpec, so the inbox's scope
 * rules run over them exactly as over real ones. A chain of steps begins when its document (or
 * the referral) is submitted; each step is decided a few days after it opens, by the person the
 * step names, unless that day lies past the end of the data: then it is still open, and so the
 * chain stops there. No process instance is written (instanceId names none): the records serve
 * the inbox and its benchmark, not completion.
 */
import type { EngineServices } from '../src/services.js';
import { readTaskSpec } from '../src/bpmn/extension.js';
import type { TaskRecord } from '../src/runtime/task-service.js';
import { newId } from '../src/store/ids.js';

/** Who decides a step: the case's worker or supervisor, the lead department's CSEC admin, the CPM or the agency's admin. */
export type Decider = 'worker' | 'supervisor' | 'admin' | 'cpm' | 'agency';

export interface Chain {
  processKey: string;
  steps: { activityId: string; decision: string; by: Decider }[];
}

/** The CTS approval routes (processes/*.bpmn) and who decides each step. */
export const CHAINS = {
  referral: {
    processKey: 'referral-approval',
    steps: [{ activityId: 'supervisorReview', decision: 'approve', by: 'supervisor' }, { activityId: 'adminReview', decision: 'approve', by: 'admin' }, { activityId: 'agencyAssigns', decision: 'assign', by: 'agency' }],
  },
  'advocacy-plan': {
    processKey: 'advocacy-plan-approval',
    steps: [{ activityId: 'reviewWorker', decision: 'approve', by: 'worker' }, { activityId: 'reviewSupervisor', decision: 'approve', by: 'supervisor' }],
  },
  'extension-request': {
    processKey: 'extension-request-approval',
    steps: [{ activityId: 'reviewWorker', decision: 'approve', by: 'worker' }, { activityId: 'reviewSupervisor', decision: 'approve', by: 'supervisor' }, { activityId: 'reviewCpm', decision: 'approve', by: 'cpm' }],
  },
  'termination-report': {
    processKey: 'termination-report-approval',
    steps: [{ activityId: 'reviewWorker', decision: 'approve', by: 'worker' }, { activityId: 'reviewSupervisor', decision: 'approve', by: 'supervisor' }],
  },
} satisfies Record<string, Chain>;

type StepTemplate = Omit<TaskRecord, '_id' | 'instanceId' | 'caseId' | 'documentId' | 'executionId' | 'createdAt' | 'status' | 'assignee'>;

/** Reads each step's task declaration from the latest published version of its process. */
export async function taskTemplates(services: EngineServices): Promise<Map<string, StepTemplate>> {
  const templates = new Map<string, StepTemplate>();
  for (const chain of Object.values(CHAINS)) {
    const version = await services.models.latestVersion(chain.processKey);
    const model = await services.models.get(chain.processKey, version);
    for (const { activityId } of chain.steps) {
      const element = model.elements.get(activityId);
      const spec = readTaskSpec(element);
      if (!spec) throw new Error(`${chain.processKey} has no user task ${activityId}`);
      templates.set(`${chain.processKey}:${activityId}`, {
        processKey: chain.processKey, processVersion: version, activityId, name: element.name ?? activityId,
        candidateRoles: spec.candidateRoles, ...(spec.scope ? { scope: spec.scope } : {}), dueAt: null,
        ...(spec.form ? { form: spec.form } : {}), decisions: spec.decisions, reasonRequiredOn: spec.reasonRequiredOn,
        reassignRoles: spec.reassignRoles, ...(spec.inputs.length ? { inputs: spec.inputs } : {}), version: 1,
      });
    }
  }
  return templates;
}

export interface ChainStart {
  chain: Chain;
  caseId: string;
  documentId?: string;
  opensAt: Date;
  deciders: Record<Decider, { id: string; name: string }>;
  /** Days (fractional) from a step's opening to its decision. */
  delay: () => number;
  /** Steps that would be decided after this are left open. */
  asOf: Date;
}

/** The task records of one chain: decided steps, then at most one open one. */
export function chainTasks(templates: Map<string, StepTemplate>, start: ChainStart): TaskRecord[] {
  const instanceId = newId();
  const tasks: TaskRecord[] = [];
  let opensAt = start.opensAt;
  for (const step of start.chain.steps) {
    const template = templates.get(`${start.chain.processKey}:${step.activityId}`)!;
    const base = {
      ...template, _id: newId(), instanceId, caseId: start.caseId, ...(start.documentId ? { documentId: start.documentId } : {}),
      executionId: `${step.activityId}_${newId()}`, createdAt: opensAt, assignee: null,
    };
    const decidedAt = new Date(opensAt.getTime() + start.delay() * 86_400_000);
    if (decidedAt > start.asOf) {
      tasks.push({ ...base, status: 'open' });
      break;
    }
    const by = start.deciders[step.by];
    tasks.push({ ...base, status: 'completed', completedBy: by.id, completedByName: by.name, completedAt: decidedAt, decision: step.decision, version: 2 });
    opensAt = decidedAt;
  }
  return tasks;
}
