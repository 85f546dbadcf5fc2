import type { BatchWrite } from '../store/types.js';

/**
 * Named engine services a BPMN service task may call (`<wf:service name="...">`), registered
 * in code so process files stay declarative. Inputs arrive already evaluated.
 */
export interface ServiceContext {
  instanceId: string;
  processKey: string;
  caseId?: string;
  documentId?: string;
  activityId: string;
  executionId: string;
  variables: Readonly<Record<string, unknown>>;
  /**
   * Adds a write to the step's atomic batch: it is stored with the step's instance state or not
   * at all (a step that runs again after a conflict stages it again).
   */
  stage: (write: BatchWrite) => void;
  /**
   * Runs `work` once the step's batch is stored, in the order staged (never when it is not).
   * Only for work a staged write keeps durable on its own (a follow-up journal record): a
   * failure does not undo the step, and the journal runs it again.
   */
  afterCommit: (work: () => Promise<unknown>) => void;
  /**
   * What the services of one step share, gone with the step (or its attempt): working copies of
   * the records they change, so a later service of the step reads what an earlier one staged.
   */
  scope: Map<string, unknown>;
}

/** Returns variables to merge into the instance, or nothing. Must be idempotent per executionId. */
export type EngineService = (context: ServiceContext, inputs: Record<string, unknown>) => Promise<Record<string, unknown> | void>;

/** Problems with the literal inputs a process gives a service, checked at publish; messages name the input. */
export type InputCheck = (literals: Record<string, string>) => string[];

export class ServiceRegistry {
  private readonly services = new Map<string, EngineService>();
  private readonly checks = new Map<string, InputCheck>();

  register(name: string, service: EngineService, checkInputs?: InputCheck): void {
    if (this.services.has(name)) throw new Error(`service "${name}" is already registered`);
    this.services.set(name, service);
    if (checkInputs) this.checks.set(name, checkInputs);
  }

  inputProblems(name: string, literals: Record<string, string>): string[] {
    return this.checks.get(name)?.(literals) ?? [];
  }

  get(name: string): EngineService | undefined {
    return this.services.get(name);
  }

  names(): string[] {
    return [...this.services.keys()].sort();
  }
}
