/**
 * Moves running instances of one process version to a newer version: a dry run lists every
 * instance, where its waiting activities, tasks and timers land and what blocks it; the real
 * run saves every instance, its open tasks and a history record in one atomic batch (all or
 * nothing), each guarded by the version it was planned from. The saved engine state is
 * rewritten to the new version's ids and proved by recovering it on the new version first.
 */
import type { Clock } from '../clock.js';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../errors.js';
import { readTaskSpec } from '../bpmn/extension.js';
import { WriteConflictError } from '../store/errors.js';
import type { BatchWrite, Collection, Store } from '../store/types.js';
import { historyRecord, type InstanceRecord } from './instance-record.js';
import {
  mappingProblems, planInstance, proposeMapping, renameActivities, renamedIds, rewriteState,
  type ActivityMapping, type Landing, type MigrationBlocker,
} from './migration-plan.js';
import type { ProcessModel, ProcessModels } from './process-models.js';
import type { ProcessRuntime } from './process-runtime.js';
import type { TaskRecord } from './task-service.js';

export interface MigrationRequest {
  processKey: string;
  from: number;
  to: number;
  /** Overrides of the proposed mapping (old activity id -> new id, or null). */
  mapping?: ActivityMapping;
  dryRun: boolean;
  by: string;
}

export interface InstancePlan {
  instanceId: string;
  caseId?: string;
  documentId?: string;
  activities: Landing[];
  tasks: { taskId: string; activityId: string; targetId: string | null }[];
  timers: { executionId: string; activityId: string; targetId: string | null; dueAt: Date }[];
  blockers: MigrationBlocker[];
}

export interface MigrationReport {
  processKey: string;
  from: number;
  to: number;
  dryRun: boolean;
  mapping: ActivityMapping;
  count: number;
  blocked: number;
  migrated: number;
  instances: InstancePlan[];
}

export interface MigrationProposal {
  processKey: string;
  from: number;
  to: number;
  mapping: ActivityMapping;
  /** Activities of the old version with no activity of the same id in the new one. */
  unmatched: string[];
  /** Running instances on the old version. */
  instances: number;
}

type Planned = { plan: InstancePlan; doc: InstanceRecord; migrated?: InstanceRecord; tasks: TaskRecord[] };

export class InstanceMigration {
  constructor(
    private readonly store: Store,
    private readonly runtime: ProcessRuntime,
    private readonly models: ProcessModels,
    private readonly tasks: Collection<TaskRecord>,
    private readonly clock: Clock,
  ) {}

  async proposal(processKey: string, from: number, to: number): Promise<MigrationProposal> {
    const [source, target] = await this.versions(processKey, from, to);
    const instances = await this.runtime.instances.countDocuments({ processKey, processVersion: from, status: 'running' });
    return { processKey, from, to, ...proposeMapping(source, target), instances };
  }

  async migrate(request: MigrationRequest): Promise<MigrationReport> {
    const { processKey, from, to, dryRun } = request;
    const [source, target] = await this.versions(processKey, from, to);
    const problems = mappingProblems(request.mapping, source, target);
    if (problems.length > 0) throw new ValidationError('The activity mapping cannot be used', problems);
    const mapping = { ...proposeMapping(source, target).mapping, ...(request.mapping ?? {}) };
    const running = await this.runtime.instances.find({ processKey, processVersion: from, status: 'running' }, { sort: { startedAt: 1 } });
    const planned: Planned[] = [];
    for (const doc of running) planned.push(await this.plan(doc, source, target, mapping));
    const blocked = planned.filter((p) => p.plan.blockers.length > 0);
    const report = (migrated: number): MigrationReport => ({
      processKey, from, to, dryRun, mapping, count: planned.length, blocked: blocked.length, migrated, instances: planned.map((p) => p.plan),
    });
    if (dryRun) return report(0);
    if (blocked.length > 0) {
      const errors: FieldError[] = blocked.flatMap((p) => p.plan.blockers.map((b) => ({ path: `/instances/${p.doc._id}`, message: b.reason })));
      throw new ConflictError(`${blocked.length} of ${planned.length} instances cannot move to version ${to}; nothing was migrated`, errors);
    }
    const writes = planned.flatMap((p) => this.writesFor(p, target, request.by));
    try {
      if (writes.length > 0) await this.store.writeAtomically(writes);
    } catch (error) {
      if (error instanceof WriteConflictError) {
        throw new ConflictError('An instance or one of its tasks changed while the migration was saved; nothing was migrated. Try again.');
      }
      throw error;
    } finally {
      this.runtime.forget(planned.map((p) => p.doc._id));
    }
    return report(planned.length);
  }

  /** Both versions' models; a version that does not exist, or a target that is not newer, names the field. */
  private async versions(processKey: string, from: number, to: number): Promise<[ProcessModel, ProcessModel]> {
    const load = (version: number, field: string) => this.models.get(processKey, version).catch((error: unknown) => {
      if (error instanceof NotFoundError) throw new ValidationError(error.message, [{ path: field, message: `version ${version} of "${processKey}" does not exist` }]);
      throw error;
    });
    const source = await load(from, '/from');
    if (to <= from) throw new ValidationError('Instances move to a newer version only', [{ path: '/to', message: `must be greater than from (${from})` }]);
    return [source, await load(to, '/to')];
  }

  private async plan(doc: InstanceRecord, source: ProcessModel, target: ProcessModel, mapping: ActivityMapping): Promise<Planned> {
    const { landings, blockers } = planInstance(doc, source, target, mapping);
    const tasks = await this.tasks.find({ instanceId: doc._id, status: 'open' });
    const plan: InstancePlan = {
      instanceId: doc._id,
      ...(doc.caseId ? { caseId: doc.caseId } : {}),
      ...(doc.documentId ? { documentId: doc.documentId } : {}),
      activities: landings,
      tasks: tasks.map((t) => ({ taskId: t._id, activityId: t.activityId, targetId: mapping[t.activityId] ?? null })),
      timers: doc.timers.map((t) => ({ executionId: t.executionId, activityId: t.activityId, targetId: mapping[t.activityId] ?? null, dueAt: t.dueAt })),
      blockers,
    };
    if (blockers.length > 0) return { plan, doc, tasks };
    const migrated = await this.resumeOnTarget(doc, source, target, mapping, blockers);
    return { plan, doc, tasks, ...(migrated ? { migrated } : {}) };
  }

  /**
   * The instance as it would be saved on the new version: its state rewritten and recovered on
   * that version, which must wait where the mapping says. Adds a blocker when it cannot.
   */
  private async resumeOnTarget(doc: InstanceRecord, source: ProcessModel, target: ProcessModel, mapping: ActivityMapping, blockers: MigrationBlocker[]): Promise<InstanceRecord | undefined> {
    const state = rewriteState(JSON.parse(doc.state ?? 'null'), renamedIds(source, target, mapping), `${target.key}@${target.version}`);
    const draft: InstanceRecord = { ...doc, ...renameActivities(doc, mapping), processVersion: target.version, state: JSON.stringify(state) };
    let live;
    try {
      live = await this.runtime.recoverDetached(draft);
    } catch (error) {
      blockers.push({ activityId: '', reason: `version ${target.version} cannot resume this instance: ${(error as Error).message}` });
      return undefined;
    }
    try {
      const expected = draft.waiting.map((w) => w.activityId).sort();
      const waiting = live.waiting();
      const actual = waiting.map((w) => w.activityId).sort();
      if (live.completed || expected.join() !== actual.join()) {
        blockers.push({ activityId: '', reason: `on version ${target.version} it would wait at ${actual.join(', ') || 'nothing'} instead of ${expected.join(', ')}` });
        return undefined;
      }
      const timers = live.pendingTimers();
      return {
        ...draft,
        state: JSON.stringify(await live.state()),
        waiting,
        timers,
        nextTimerAt: timers.reduce<Date | null>((min, t) => (!min || t.dueAt < min ? t.dueAt : min), null),
        updatedAt: this.clock.now(),
        version: doc.version + 1,
      };
    } finally {
      live.stop();
    }
  }

  /** The instance guarded by the version it was planned from, its history record and its open tasks. */
  private writesFor({ doc, migrated, tasks, plan }: Planned, target: ProcessModel, by: string): BatchWrite[] {
    const record = migrated!;
    const { _id, processKey: _key, startedAt: _at, startedBy: _by, caseId: _case, documentId: _doc, ...changed } = record;
    const writes: BatchWrite[] = [
      {
        collection: this.runtime.instances.name,
        updateOne: { filter: { _id, version: doc.version, processVersion: doc.processVersion, status: 'running' }, update: { $set: changed }, mustMatch: true },
      },
      {
        collection: this.runtime.history.name,
        insertOne: {
          document: historyRecord(_id, record.version, [{
            at: record.updatedAt, event: 'instance.migrated', by, fromVersion: doc.processVersion, toVersion: target.version,
            activities: plan.activities.map((a) => ({ from: a.activityId, to: a.targetId })),
          }]),
        },
      },
    ];
    for (const task of tasks) {
      const activityId = plan.tasks.find((t) => t.taskId === task._id)?.targetId ?? task.activityId;
      writes.push({
        collection: this.tasks.name,
        updateOne: { filter: { _id: task._id, status: 'open', version: task.version }, update: taskUpdate(target, activityId), mustMatch: true },
      });
    }
    return writes;
  }
}

/** An open task moved to an activity of the new version: its id, version, name and what that task asks for. */
function taskUpdate(target: ProcessModel, activityId: string) {
  const element = target.elements.get(activityId);
  const spec = readTaskSpec(element);
  const set: Partial<TaskRecord> = {
    activityId, processVersion: target.version, name: element?.name ?? activityId,
    candidateRoles: spec?.candidateRoles ?? [], decisions: spec?.decisions ?? ['complete'],
    reasonRequiredOn: spec?.reasonRequiredOn ?? [], reassignRoles: spec?.reassignRoles ?? [],
  };
  const unset: Record<string, ''> = {};
  for (const field of ['scope', 'form'] as const) {
    if (spec?.[field]) set[field] = spec[field];
    else unset[field] = '';
  }
  return { $set: set, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}), $inc: { version: 1 } };
}
