/**
 * Human tasks: a BPMN user task waiting in an instance becomes a task record with candidate
 * roles, a scope rule (FEEL over the user and the case), a due date and the decisions it asks
 * for. People list, claim, complete (decision and reason) and reassign them; two people
 * completing one task at once: exactly one succeeds, the other learns who acted.
 */
import type { Clock } from '../clock.js';
import { hasAnyRole, type Principal } from '../auth/principal.js';
import { readTaskSpec, type TaskInput } from '../bpmn/extension.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import type { BatchWrite, Collection, Filter, Store } from '../store/types.js';
import type { InstanceRecord } from './instance-record.js';
import type { WaitingActivity } from './live-instance.js';
import type { ProcessModels } from './process-models.js';
import type { ProcessRuntime, RuntimeExpressions, Step } from './process-runtime.js';
import { dueTimerType } from './time/index.js';

export type TaskStatus = 'open' | 'completed' | 'cancelled';

const isUserTask = (w: WaitingActivity): boolean => w.type === 'bpmn:UserTask';

/** The most tasks an inbox lists. */
const INBOX_LIMIT = 1000;

/** The case (if any) and the roles the principal holds on it, as a scope rule sees them. */
function rolesOn(principal: Principal, record: CaseOfTask | null) {
  const caseRoles = (record?.people ?? []).filter((p) => p.userId === principal.userId).map((p) => p.role);
  return { record, caseRoles };
}

export interface TaskRecord {
  _id: string;
  instanceId: string;
  processKey: string;
  processVersion: number;
  caseId?: string;
  documentId?: string;
  activityId: string;
  executionId: string;
  name: string;
  candidateRoles: string[];
  scope?: string;
  dueAt: Date | null;
  form?: string;
  decisions: string[];
  reasonRequiredOn: string[];
  reassignRoles: string[];
  /** Values decisions carry, each chosen from a source (see TaskInput; GET /api/tasks/:id/choices lists them). */
  inputs?: TaskInput[];
  status: TaskStatus;
  assignee: string | null;
  assigneeName?: string;
  claimedAt?: Date;
  completedBy?: string;
  completedByName?: string;
  completedAt?: Date;
  decision?: string;
  reason?: string;
  createdAt: Date;
  version: number;
}

export interface CompleteInput {
  decision: string;
  reason?: string;
  /** Extra variables the decision carries (e.g. the agency chosen). */
  data?: Record<string, unknown>;
}

type CaseOfTask = { _id: string; people?: { role: string; userId: string }[] };

/** What the task service needs to know about people and cases. */
export interface TaskDirectory {
  caseFor(caseId: string): Promise<CaseOfTask | null>;
  /** Those of the cases the principal may see, read at once (an inbox lists tasks on cases its owner sees). */
  visibleCases(principal: Principal, caseIds: string[]): Promise<CaseOfTask[]>;
  userName(userId: string): Promise<string | null>;
}

/** Task indexes of earlier versions that the one on { instanceId, executionId } replaces. */
const REPLACED_INDEXES = new Set([JSON.stringify({ executionId: 1 }), JSON.stringify({ instanceId: 1 })]);

export class TaskService {
  readonly tasks: Collection<TaskRecord>;

  constructor(
    private readonly store: Store,
    private readonly runtime: ProcessRuntime,
    private readonly models: ProcessModels,
    private readonly expressions: RuntimeExpressions,
    private readonly directory: TaskDirectory,
    private readonly clock: Clock,
    /** Roles that may reassign any task (in addition to a task's own reassignRoles). */
    private readonly adminRoles: string[] = [],
  ) {
    this.tasks = store.collection<TaskRecord>('tasks');
    runtime.onStep((step) => this.stepWrites(step));
  }

  async init(): Promise<void> {
    // One task per waiting activity of an instance, kept by instance first: the tasks of instances
    // started together (time-ordered ids) share index pages, and the index serves "tasks of this
    // instance". It replaces two indexes of earlier versions (on executionId alone, on instanceId).
    await this.tasks.createIndex({ key: { instanceId: 1, executionId: 1 }, unique: true });
    for (const index of await this.tasks.listIndexes()) {
      if (REPLACED_INDEXES.has(JSON.stringify(index.key))) await this.tasks.dropIndex(index.name);
    }
    await this.tasks.createIndex({ key: { status: 1, candidateRoles: 1 } });
    await this.tasks.createIndex({ key: { documentId: 1 } });
    await this.tasks.createIndex({ key: { assignee: 1 } });
  }

  /** The task writes of a step: open a task for each user task that began waiting, close the ones that stopped. */
  private async stepWrites({ before, after, closedByCommand }: Step): Promise<BatchWrite[]> {
    const active = (before?.waiting ?? []).filter(isUserTask).map((w) => ({ executionId: w.executionId }));
    return this.writesFor(after, active, new Set(closedByCommand));
  }

  /**
   * Writes that bring the task records of an instance in line with what it waits for, given the
   * tasks now active. A task that stopped waiting and was not decided is cancelled (a decided
   * one was marked completed earlier in the same batch; those in `decided` need no write at all).
   */
  private async writesFor(
    instance: Pick<InstanceRecord, '_id' | 'processKey' | 'processVersion' | 'caseId' | 'documentId' | 'waiting' | 'variables'>,
    active: { executionId: string }[],
    decided: ReadonlySet<string> = new Set(),
  ): Promise<BatchWrite[]> {
    const known = new Set(active.map((t) => t.executionId));
    const waiting = instance.waiting.filter(isUserTask);
    const waitingIds = new Set(waiting.map((w) => w.executionId));
    const fresh = waiting.filter((w) => !known.has(w.executionId));
    const model = fresh.length > 0 ? await this.models.get(instance.processKey, instance.processVersion) : undefined;
    const writes: BatchWrite[] = fresh.map((w) => {
      const element = model!.elements.get(w.activityId);
      const spec = readTaskSpec(element);
      const task: Omit<TaskRecord, '_id'> = {
        instanceId: instance._id,
        processKey: instance.processKey,
        processVersion: instance.processVersion,
        ...(instance.caseId ? { caseId: instance.caseId } : {}),
        ...(instance.documentId ? { documentId: instance.documentId } : {}),
        activityId: w.activityId,
        executionId: w.executionId,
        name: element?.name ?? w.activityId,
        candidateRoles: spec?.candidateRoles ?? [],
        ...(spec?.scope ? { scope: spec.scope } : {}),
        dueAt: spec?.due ? this.dueDate(spec.due, instance.variables) : null,
        ...(spec?.form ? { form: spec.form } : {}),
        decisions: spec?.decisions ?? ['complete'],
        reasonRequiredOn: spec?.reasonRequiredOn ?? [],
        reassignRoles: spec?.reassignRoles ?? [],
        ...(spec?.inputs.length ? { inputs: spec.inputs } : {}),
        status: 'open',
        assignee: null,
        createdAt: this.clock.now(),
        version: 1,
      };
      return { collection: this.tasks.name, insertOne: { document: task } };
    });
    for (const { executionId } of active) {
      if (waitingIds.has(executionId) || decided.has(executionId)) continue;
      writes.push({
        collection: this.tasks.name,
        updateOne: { filter: { instanceId: instance._id, executionId, status: 'open' }, update: { $set: { status: 'cancelled' }, $inc: { version: 1 } } },
      });
    }
    return writes;
  }

  /**
   * Brings the tasks of every running instance, and of every instance that still has open
   * tasks, in line with it. Needed once, at the start that upgrades instances saved before task
   * records were written with each step.
   */
  async reconcile(): Promise<number> {
    const running = await this.runtime.instances.find({ status: 'running' }, { projection: { state: 0 } });
    const open = await this.tasks.find({ status: 'open' }, { projection: { instanceId: 1, executionId: 1 } });
    const byInstance = new Map<string, TaskRecord[]>();
    for (const task of open) byInstance.set(task.instanceId, [...(byInstance.get(task.instanceId) ?? []), task]);
    const runningIds = new Set(running.map((i) => i._id));
    const ended = [...byInstance.keys()].filter((id) => !runningIds.has(id));
    const others = ended.length > 0 ? await this.runtime.instances.find({ _id: { $in: ended } }, { projection: { state: 0 } }) : [];
    let changed = 0;
    for (const instance of [...running, ...others]) {
      const writes = await this.writesFor(instance, byInstance.get(instance._id) ?? []);
      if (writes.length === 0) continue;
      await this.store.writeAtomically(writes);
      changed++;
    }
    return changed;
  }

  private dueDate(expression: string, variables: Record<string, unknown>): Date {
    const value = this.expressions.evaluate(expression, variables);
    const text = value instanceof Date ? value.toISOString() : String(value);
    return this.expressions.dueAt({ timerType: dueTimerType(text), value: text, from: this.clock.now() });
  }

  private async caseRolesOf(principal: Principal, caseId: string | undefined) {
    return rolesOn(principal, caseId ? await this.directory.caseFor(caseId) : null);
  }

  /** May this principal act on the task (its candidate roles and scope rule, or it is assigned to them)? */
  private async mayAct(principal: Principal, task: TaskRecord): Promise<boolean> {
    if (task.assignee) return task.assignee === principal.userId;
    if (!hasAnyRole(principal, task.candidateRoles)) return false;
    if (!task.scope) return true;
    return this.inScope(principal, task.scope, await this.caseRolesOf(principal, task.caseId));
  }

  private inScope(principal: Principal, scope: string, { record, caseRoles }: ReturnType<typeof rolesOn>): boolean {
    const user = { id: principal.userId, email: principal.email, name: principal.name, roles: principal.roles, attributes: principal.attributes };
    try {
      return this.expressions.evaluate(scope, { user, case: record, caseRoles }) === true;
    } catch {
      return false; // a scope rule that cannot be evaluated grants nothing
    }
  }

  /**
   * Open tasks the principal may act on, soonest due first (at most INBOX_LIMIT). Every open task
   * their roles reach is considered; the cases of those with a scope rule are read at once, and
   * only the ones the principal may see, so a scope rule is evaluated on visible cases only.
   */
  async listFor(principal: Principal, query: { caseId?: string; mine?: boolean } = {}): Promise<TaskRecord[]> {
    const reach: Filter = query.mine
      ? { assignee: principal.userId }
      : { $or: [{ assignee: principal.userId }, { assignee: null, candidateRoles: { $in: principal.roles } }] };
    const filter: Filter = { $and: [{ status: 'open' }, reach, ...(query.caseId ? [{ caseId: query.caseId }] : [])] };
    const candidates = await this.tasks.find(filter, { sort: { dueAt: 1, createdAt: 1 } });
    const scoped = [...new Set(candidates.filter((t) => !t.assignee && t.scope && t.caseId).map((t) => t.caseId!))];
    const visible = new Map((scoped.length > 0 ? await this.directory.visibleCases(principal, scoped) : []).map((c) => [c._id, c]));
    const allowed: TaskRecord[] = [];
    for (const task of candidates) {
      if (allowed.length === INBOX_LIMIT) break;
      if (this.mayActOn(principal, task, visible)) allowed.push(task);
    }
    return allowed;
  }

  /** mayAct over cases read beforehand: a task whose case is not among them is not the principal's. */
  private mayActOn(principal: Principal, task: TaskRecord, cases: ReadonlyMap<string, CaseOfTask>): boolean {
    if (task.assignee) return task.assignee === principal.userId;
    if (!hasAnyRole(principal, task.candidateRoles)) return false;
    if (!task.scope) return true;
    if (!task.caseId) return this.inScope(principal, task.scope, rolesOn(principal, null));
    const record = cases.get(task.caseId);
    return record !== undefined && this.inScope(principal, task.scope, rolesOn(principal, record));
  }

  /** A task the principal may act on or has acted on; NotFound otherwise. */
  async get(principal: Principal, id: string): Promise<TaskRecord> {
    const task = await this.tasks.findOne({ _id: id });
    if (!task || !(task.completedBy === principal.userId || (await this.mayAct(principal, task)))) {
      throw new NotFoundError(`No task ${id}`);
    }
    return task;
  }

  private alreadyDone(task: TaskRecord): ConflictError {
    if (task.status === 'cancelled') return new ConflictError('This task was closed by the process; there is nothing left to do.');
    const when = task.completedAt ? ` at ${task.completedAt.toISOString()}` : '';
    return new ConflictError(`${task.completedByName ?? 'Someone else'} already completed this task${when}${task.decision ? ` (${task.decision})` : ''}.`);
  }

  async claim(principal: Principal, id: string): Promise<TaskRecord> {
    const task = await this.get(principal, id);
    if (task.status !== 'open') throw this.alreadyDone(task);
    if (task.assignee === principal.userId) return task;
    const claimed = await this.tasks.findOneAndUpdate(
      { _id: id, status: 'open', assignee: null },
      { $set: { assignee: principal.userId, assigneeName: principal.name, claimedAt: this.clock.now() }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
    if (!claimed) {
      const latest = await this.tasks.findOne({ _id: id });
      if (latest && latest.status !== 'open') throw this.alreadyDone(latest);
      throw new ConflictError(`${latest?.assigneeName ?? 'Someone else'} has already claimed this task.`);
    }
    return claimed;
  }

  async complete(principal: Principal, id: string, input: CompleteInput): Promise<TaskRecord> {
    const task = await this.get(principal, id);
    if (task.status !== 'open') throw this.alreadyDone(task);
    const errors = [];
    if (!task.decisions.includes(input.decision)) {
      errors.push({ path: '/decision', message: `must be one of: ${task.decisions.join(', ')}` });
    }
    const reason = input.reason?.trim();
    if (task.reasonRequiredOn.includes(input.decision) && !reason) {
      errors.push({ path: '/reason', message: `A reason is required to ${input.decision}` });
    }
    if (errors.length > 0) throw new ValidationError('The decision cannot be recorded', errors);

    const decision = {
      status: 'completed' as const, completedBy: principal.userId, completedByName: principal.name, completedAt: this.clock.now(),
      decision: input.decision, ...(reason ? { reason } : {}),
    };
    // The decision is saved in the same batch as the step it causes, guarded by the task's version.
    const decided: BatchWrite = {
      collection: this.tasks.name,
      updateOne: { filter: { _id: id, status: 'open', version: task.version }, update: { $set: decision, $inc: { version: 1 } }, mustMatch: true },
    };
    try {
      await this.runtime.signal(
        task.instanceId,
        task.executionId,
        { ...(input.data ?? {}), decision: input.decision, reason: reason ?? null, decidedBy: principal.userId },
        { event: 'task.completed', activityId: task.activityId, activityName: task.name, by: principal.userId, byName: principal.name, decision: input.decision, ...(reason ? { reason } : {}) },
        { alsoWrite: [decided], closes: [task.executionId] },
      );
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const latest = await this.tasks.findOne({ _id: id });
      if (latest && latest.status !== 'open') throw this.alreadyDone(latest);
      if (latest && latest.version !== task.version) throw new ConflictError('This task changed while you were deciding (it was claimed or reassigned); reload it.');
      throw error;
    }
    return { ...task, ...decision, version: task.version + 1 };
  }

  async reassign(principal: Principal, id: string, userId: string): Promise<TaskRecord> {
    const task = await this.tasks.findOne({ _id: id });
    if (!task) throw new NotFoundError(`No task ${id}`);
    if (!hasAnyRole(principal, [...task.reassignRoles, ...this.adminRoles])) {
      throw new ForbiddenError(`Only ${[...task.reassignRoles, ...this.adminRoles].join(', ') || 'an administrator'} may reassign this task.`);
    }
    if (task.status !== 'open') throw this.alreadyDone(task);
    const name = await this.directory.userName(userId);
    if (!name) throw new ValidationError('Unknown user', [{ path: '/userId', message: 'no active user has this id' }]);
    const updated = await this.tasks.findOneAndUpdate(
      { _id: id, status: 'open' },
      { $set: { assignee: userId, assigneeName: name, claimedAt: this.clock.now() }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
    if (!updated) throw this.alreadyDone((await this.tasks.findOne({ _id: id }))!);
    return updated;
  }
}
