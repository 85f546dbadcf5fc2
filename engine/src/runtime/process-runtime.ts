/**
 * Runs process instances durably. Every command (start, complete a waiting activity, deliver a
 * message, fire a timer) acts on the instance as last saved, runs to the next wait state and
 * saves engine state, summary, history and whatever the step's writers add (task records) in
 * one atomic batch guarded by the instance's version (optimistic concurrency). Live engines
 * are only a cache of saved state: kept for hot instances, bounded (LRU), and rebuilt from the
 * store on a miss or when another node has moved the instance.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { KeyedQueue } from '../keyed-queue.js';
import { WriteConflictError } from '../store/errors.js';
import { newId } from '../store/ids.js';
import type { BatchWrite, Collection, Store } from '../store/types.js';
import { readServiceSpec } from '../bpmn/extension.js';
import { HISTORY_COLLECTION, historyRecord, type HistoryRecord, type InstanceRecord, type InstanceView } from './instance-record.js';
import { LiveInstance, ProcessStepError, type StepEvent } from './live-instance.js';
import { upgradeLegacyInstances } from './instance-upgrade.js';
import { LruCache } from './lru-cache.js';
import type { ProcessModels } from './process-models.js';
import type { ServiceRegistry } from './services.js';

/** The expression language and due-time rules the runtime evaluates with. */
export interface RuntimeExpressions {
  /** FEEL after `=`, else the literal; over variables plus extra context. */
  evaluate(expression: string, context: Record<string, unknown>): unknown;
  /** When a timer is due; `after` is the previous firing of the same repeating timer. */
  dueAt(spec: { timerType: string; value: string; from: Date; after?: Date }): Date;
}

export interface RuntimeOptions {
  store: Store;
  models: ProcessModels;
  services: ServiceRegistry;
  expressions: RuntimeExpressions;
  clock: Clock;
  /** Live engines kept in memory at most. */
  cacheSize?: number;
  /** Extra read-only context for expressions (e.g. the case record), loaded before each command. */
  contextFor?: (instance: Pick<InstanceRecord, 'caseId' | 'documentId'>) => Promise<Record<string, unknown>>;
  /** Brings shared settings up to date before each command (a business calendar published on any node). */
  beforeCommand?: () => Promise<void>;
}

export interface StartInput {
  processKey: string;
  /** Defaults to the latest published version. */
  version?: number;
  caseId?: string;
  documentId?: string;
  variables?: Record<string, unknown>;
  startedBy: string;
}

/** A saved step: the instance as it was before (null at start) and as the step leaves it. */
export interface Step {
  before: InstanceRecord | null;
  after: InstanceRecord;
  /** Waiting activities (execution ids) whose records the command's own writes already close. */
  closedByCommand?: string[];
}

/** Adds writes to a step's batch, so records kept in line with an instance are saved with it. */
export type StepWriter = (step: Step) => Promise<BatchWrite[]>;

/** What a command carries while it runs on an instance (see ProcessRuntime.commands). */
interface Command {
  context: Record<string, unknown>;
  staged: BatchWrite[];
  afterCommit: (() => Promise<unknown>)[];
  scope: Map<string, unknown>;
}

export interface CommandOptions {
  /**
   * Writes saved in the step's batch before the step writers' (e.g. the decision on a task);
   * when one of their `mustMatch` conditions fails nothing is saved and the command fails with
   * a ConflictError.
   */
  alsoWrite?: BatchWrite[];
  /** The execution ids of waiting activities whose records `alsoWrite` closes (a decided task). */
  closes?: string[];
}

export class ProcessRuntime {
  readonly instances: Collection<InstanceRecord>;
  readonly history: Collection<HistoryRecord>;
  readonly nodeId = randomUUID();
  /** Instances init() moved from the earlier layout (whose task records were written apart from their steps). */
  upgradedLegacy = 0;
  private readonly cache: LruCache<string, { live: LiveInstance; version: number }>;
  private readonly queue = new KeyedQueue();
  private readonly stepWriters: StepWriter[] = [];
  /**
   * What the command running on an instance carries, from its start to its end: the extra
   * expression context (e.g. the case record) loaded when it began, so a cached engine never
   * evaluates over an old case, the writes engine services staged, saved with its step, what
   * they asked to run once it is saved, and what they share meanwhile (ServiceContext.scope).
   */
  private readonly commands = new Map<string, Command>();

  constructor(private readonly options: RuntimeOptions) {
    this.instances = options.store.collection<InstanceRecord>('instances');
    this.history = options.store.collection<HistoryRecord>(HISTORY_COLLECTION);
    this.cache = new LruCache(options.cacheSize ?? 5000, (_id, entry) => entry.live.stop());
  }

  async init(): Promise<void> {
    await this.instances.createIndex({ key: { status: 1, nextTimerAt: 1 } });
    await this.instances.createIndex({ key: { caseId: 1 } });
    await this.instances.createIndex({ key: { documentId: 1 } });
    await this.history.createIndex({ key: { instanceId: 1, version: 1 } });
    this.upgradedLegacy = await upgradeLegacyInstances(this.options.store, this.instances, this.history);
  }

  /** Adds a writer to every step's batch (task records are kept in line with waiting activities this way). */
  onStep(writer: StepWriter): void {
    this.stepWriters.push(writer);
  }

  get liveCount(): number {
    return this.cache.size;
  }

  /** Forgets every live engine (as a restart would); saved state is untouched. */
  dropCache(): void {
    this.cache.clear();
  }

  /** Starts an instance; `alsoWrite` is saved in its first step's batch (e.g. the follow-up that asked for it, marked done). */
  async start(input: StartInput, options: Pick<CommandOptions, 'alsoWrite'> = {}): Promise<InstanceRecord> {
    const version = input.version ?? (await this.options.models.latestVersion(input.processKey));
    const model = await this.options.models.get(input.processKey, version);
    const now = this.options.clock.now();
    // A time-ordered id (the store's own): instances started together, their history records
    // (keyed by instance id) and their tasks' instanceId index entries sit on the same B-tree
    // pages, so a commit of many steps writes far fewer pages than with random ids.
    const _id = newId();
    const draft: InstanceRecord = {
      _id,
      processKey: input.processKey,
      processVersion: version,
      ...(input.caseId ? { caseId: input.caseId } : {}),
      ...(input.documentId ? { documentId: input.documentId } : {}),
      status: 'running',
      variables: { ...(input.variables ?? {}), ...(input.caseId ? { caseId: input.caseId } : {}), ...(input.documentId ? { documentId: input.documentId } : {}) },
      state: null,
      waiting: [],
      timers: [],
      nextTimerAt: null,
      timerFired: {},
      startedAt: now,
      startedBy: input.startedBy,
      updatedAt: now,
      version: 0,
    };
    return this.exclusive(_id, async () => {
      await this.beginCommand(draft);
      const live = await this.runStep(() => LiveInstance.start(this.liveOptions(draft, model)));
      live.prepend({ at: now, event: 'instance.started', by: input.startedBy });
      const { record, events } = await this.snapshot(draft, live);
      const writes: BatchWrite[] = [{ collection: this.instances.name, insertOne: { document: record } }, ...(options.alsoWrite ?? [])];
      await this.save(writes, { before: null, after: record }, events);
      return this.afterSave(record, live);
    });
  }

  /** Completes a waiting activity (a user task) with output merged into the variables. */
  async signal(instanceId: string, executionId: string, output: Record<string, unknown>, event: Omit<StepEvent, 'at'>, options: CommandOptions = {}): Promise<InstanceRecord> {
    return this.command(instanceId, async (live) => {
      if (!live.isWaiting(executionId)) throw new ConflictError('This step is no longer waiting: someone else has already acted on it.');
      live.record({ at: this.options.clock.now(), ...event } as StepEvent);
      await live.signal(executionId, output);
    }, options);
  }

  /** Delivers a BPMN message or signal (by its id) to an instance. */
  async deliver(instanceId: string, messageId: string, output: Record<string, unknown>, by: string, options: Pick<CommandOptions, 'alsoWrite'> = {}): Promise<InstanceRecord> {
    return this.command(instanceId, async (live) => {
      live.record({ at: this.options.clock.now(), event: 'message', message: messageId, by });
      await live.deliver(messageId, output);
    }, options);
  }

  /** Fires a due timer; resolves false when it is no longer pending (fired or cancelled). */
  async fireTimer(instanceId: string, executionId: string): Promise<boolean> {
    let fired = false;
    try {
      await this.command(instanceId, async (live) => {
        const timer = live.pendingTimers().find((t) => t.executionId === executionId);
        if (!timer) return;
        live.record({ at: this.options.clock.now(), event: 'timer.fired', activityId: timer.activityId, dueAt: timer.dueAt });
        fired = await live.fireTimer(executionId);
      });
    } catch (error) {
      if (error instanceof ConflictError && /has ended/.test(error.message)) return false;
      throw error;
    }
    return fired;
  }

  /** The instance with its history, oldest event first. */
  async get(instanceId: string): Promise<InstanceView> {
    const doc = await this.instances.findOne({ _id: instanceId });
    if (!doc) throw new NotFoundError(`No process instance ${instanceId}`);
    const steps = await this.history.find({ instanceId }, { sort: { version: 1 } });
    return { ...doc, history: steps.flatMap((step) => step.events) };
  }

  // --- internals -----------------------------------------------------------------------

  /** Runs commands on one instance one at a time within this node. */
  private exclusive<T>(instanceId: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(instanceId, () => work().finally(() => this.commands.delete(instanceId)));
  }

  private async command(instanceId: string, action: (live: LiveInstance) => Promise<void>, options: CommandOptions = {}): Promise<InstanceRecord> {
    return this.exclusive(instanceId, async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const doc = await this.instances.findOne({ _id: instanceId });
        if (!doc) throw new NotFoundError(`No process instance ${instanceId}`);
        if (doc.status !== 'running') throw new ConflictError('The process has ended; nothing is waiting.');
        await this.beginCommand(doc); // each attempt reads the case afresh and stages anew
        let step;
        let live: LiveInstance;
        try {
          live = await this.liveFor(doc);
          await this.runStep(() => action(live));
          step = await this.snapshot(doc, live);
        } catch (error) {
          this.cache.delete(instanceId); // the live engine may hold half a step: never reuse it
          throw error;
        }
        const { record, events } = step;
        const guard: BatchWrite = {
          collection: this.instances.name,
          updateOne: { filter: { _id: doc._id, version: doc.version }, update: { $set: changedFields(record) }, mustMatch: true },
        };
        try {
          await this.save([guard, ...(options.alsoWrite ?? [])], { before: doc, after: record, closedByCommand: options.closes }, events);
        } catch (error) {
          this.cache.delete(instanceId);
          if (!(error instanceof WriteConflictError)) throw error;
          if (error.index === 0) continue; // another node moved it: start again from what it saved
          throw new ConflictError('A record this step depends on changed at the same time; nothing was saved.');
        }
        return this.afterSave(record, live);
      }
      throw new ConflictError('The process was changed by someone else at the same time; please try again.');
    });
  }

  /** Saves a step: its own writes, the history it appended and the step writers' writes, in one batch. */
  private async save(writes: BatchWrite[], step: Step, events: StepEvent[]): Promise<void> {
    const history: BatchWrite = { collection: this.history.name, insertOne: { document: historyRecord(step.after._id, step.after.version, events) } };
    const added = await Promise.all(this.stepWriters.map((writer) => writer(step)));
    const command = this.commands.get(step.after._id);
    await this.options.store.writeAtomically([...writes, history, ...(command?.staged ?? []), ...added.flat()]);
    // Saved: a failure from here on is the follow-up journal's to run again, not the step's.
    for (const work of command?.afterCommit ?? []) await work().catch(() => undefined);
  }

  /** Runs engine work; a failing step leaves the saved instance untouched and says why. */
  private async runStep<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ProcessStepError) {
        // A service's refusal (a decision's value the case cannot take, a check that failed) keeps its fields.
        const fields = findValidationError(error.cause)?.errors ?? [];
        throw new ValidationError(`The process cannot continue from this step: ${error.message}. Nothing was changed.`, fields.length > 0 ? fields : [
          { path: '', message: error.message },
        ]);
      }
      throw error;
    }
  }

  private afterSave(saved: InstanceRecord, live: LiveInstance): InstanceRecord {
    if (saved.status === 'running') this.cache.set(saved._id, { live, version: saved.version });
    else this.cache.delete(saved._id);
    return saved;
  }

  /** The live engine at the saved version: cached, or recovered from the saved state. */
  private async liveFor(doc: InstanceRecord): Promise<LiveInstance> {
    const cached = this.cache.get(doc._id);
    if (cached && cached.version === doc.version) return cached.live;
    if (cached) this.cache.delete(doc._id);
    const model = await this.options.models.get(doc.processKey, doc.processVersion);
    const options = { ...this.liveOptions(doc, model), knownTimers: doc.timers, timerFired: doc.timerFired };
    return this.runStep(() => LiveInstance.recover(options, JSON.parse(doc.state ?? 'null')));
  }

  /**
   * Recovers an engine for a record that is not (yet) saved, such as an instance rewritten for
   * another version, outside the cache. Recovery only resumes wait states, so an engine service
   * it would run is refused rather than run.
   */
  async recoverDetached(doc: InstanceRecord): Promise<LiveInstance> {
    const model = await this.options.models.get(doc.processKey, doc.processVersion);
    const options = {
      ...this.liveOptions(doc, model), knownTimers: doc.timers, timerFired: doc.timerFired,
      invokeService: async (activity: { id: string }) => {
        throw new ProcessStepError(`${activity.id}: resuming would run this service task`);
      },
    };
    return this.runStep(() => LiveInstance.recover(options, JSON.parse(doc.state ?? 'null')));
  }

  /** Drops the live engines of instances saved outside a command (a migration); they recover on next use. */
  forget(instanceIds: Iterable<string>): void {
    for (const id of instanceIds) this.cache.delete(id);
  }

  /** Opens the scope of a command (or a new attempt of one) on an instance; exclusive() closes it. */
  private async beginCommand(doc: Pick<InstanceRecord, '_id' | 'caseId' | 'documentId'>): Promise<void> {
    await this.options.beforeCommand?.();
    const context = this.options.contextFor ? await this.options.contextFor(doc) : {};
    this.commands.set(doc._id, { context, staged: [], afterCommit: [], scope: new Map() });
  }

  private liveOptions(doc: InstanceRecord, model: Awaited<ReturnType<ProcessModels['get']>>) {
    const { expressions, clock, services } = this.options;
    const evaluate = (expression: string, variables: Record<string, unknown>) => {
      const value = expressions.evaluate(expression, { ...(this.commands.get(doc._id)?.context ?? {}), ...variables });
      return value instanceof Date ? value.toISOString() : value;
    };
    return {
      model,
      variables: structuredClone(doc.variables),
      now: () => clock.now(),
      evaluate,
      // A repeating timer's next occurrence follows its last firing, or the moment it was armed.
      due: (timer: { timerType: string; value: string; lastFired?: Date }) => {
        const from = clock.now();
        return expressions.dueAt({ timerType: timer.timerType, value: timer.value, from, after: timer.lastFired ?? from });
      },
      invokeService: async (activity: { id: string; executionId: string; element: any }, variables: Record<string, unknown>) => {
        const spec = readServiceSpec(model.elements.get(activity.id));
        const service = spec && services.get(spec.name);
        if (!spec || !service) throw new ProcessStepError(`${activity.id}: no engine service "${spec?.name ?? ''}"`);
        const inputs = Object.fromEntries(spec.inputs.map((input) => [input.name, evaluate(input.value, variables)]));
        const command = this.commands.get(doc._id);
        if (!command) throw new ProcessStepError(`${activity.id}: a service ran outside a command`);
        return service({
          instanceId: doc._id, processKey: doc.processKey, caseId: doc.caseId, documentId: doc.documentId, activityId: activity.id, executionId: activity.executionId, variables,
          stage: (write) => command.staged.push(write),
          afterCommit: (work) => command.afterCommit.push(work),
          scope: command.scope,
        }, inputs);
      },
    };
  }

  /** The instance as the step leaves it, and the history events the step produced. */
  private async snapshot(doc: InstanceRecord, live: LiveInstance): Promise<{ record: InstanceRecord; events: StepEvent[] }> {
    const now = this.options.clock.now();
    const timers = live.pendingTimers();
    const nextTimerAt = timers.reduce<Date | null>((min, t) => (!min || t.dueAt < min ? t.dueAt : min), null);
    const events = live.takeEvents();
    if (live.completed) events.push({ at: now, event: 'instance.completed' });
    const record: InstanceRecord = {
      ...doc,
      status: live.completed ? 'completed' : 'running',
      state: live.completed ? null : JSON.stringify(await live.state()),
      variables: structuredClone(live.variables),
      waiting: live.waiting(),
      timers,
      nextTimerAt,
      timerFired: { ...live.timerFired },
      updatedAt: now,
      ...(live.completed ? { endedAt: now } : {}),
      version: doc.version + 1,
    };
    return { record, events };
  }
}

/** The engine's own refusal inside what an activity threw (bpmn-engine may wrap it). */
function findValidationError(error: unknown, depth = 0): ValidationError | undefined {
  if (error instanceof ValidationError) return error;
  if (!error || typeof error !== 'object' || depth > 3) return undefined;
  const inner = error as { source?: { error?: unknown }; inner?: unknown; cause?: unknown };
  return findValidationError(inner.inner ?? inner.source?.error ?? inner.cause, depth + 1);
}

/** Fields a step never changes: the instance's identity and start. */
const FIXED_FIELDS = new Set<string>(['_id', 'processKey', 'processVersion', 'caseId', 'documentId', 'startedAt', 'startedBy']);

/** What a step may change of a saved instance. */
function changedFields(record: InstanceRecord): Partial<InstanceRecord> {
  return Object.fromEntries(Object.entries(record).filter(([field]) => !FIXED_FIELDS.has(field)));
}
