/**
 * One process instance executing in bpmn-engine: started fresh or recovered from its saved
 * state, driven by commands (signal a waiting activity, fire a timer) and run until it settles
 * at its next wait state. Variables live here, not in the engine, and every expression
 * (gateway conditions, timer values) is FEEL evaluated over them.
 */
import { EventEmitter } from 'node:events';
import { Engine, type BpmnEngineOptions } from 'bpmn-engine';
import { DurableTimerEventDefinition } from './durable-timer-definition.js';
import { DurableTimers, type DueCalculator, type PendingTimer } from './durable-timers.js';
import type { ProcessModel } from './process-models.js';

export interface WaitingActivity {
  activityId: string;
  executionId: string;
  type: string;
  name?: string;
}

export interface StepEvent {
  at: Date;
  event: 'activity.enter' | 'activity.leave' | 'timer.fired' | 'task.completed' | 'message' | 'instance.started' | 'instance.completed' | 'instance.migrated';
  activityId?: string;
  activityName?: string;
  [detail: string]: unknown;
}

/** Evaluates an expression (FEEL after `=`, else a literal) over the instance's variables. */
export type ExpressionEvaluator = (expression: string, variables: Record<string, unknown>) => unknown;

/** Runs a named engine service for a service task; resolves with variables to merge. */
export type ServiceInvoker = (
  activity: { id: string; name?: string; executionId: string; element: any },
  variables: Record<string, unknown>,
) => Promise<Record<string, unknown> | void>;

export interface LiveInstanceOptions {
  model: ProcessModel;
  variables: Record<string, unknown>;
  evaluate: ExpressionEvaluator;
  invokeService: ServiceInvoker;
  due: DueCalculator;
  now: () => Date;
  /** Due times of timers saved before (recovery). */
  knownTimers?: PendingTimer[];
  /** Last firing of each repeating timer, by activity id. */
  timerFired?: Record<string, Date>;
}

export class ProcessStepError extends Error {
  override name = 'ProcessStepError';
  /** What the failing activity threw (an engine service's refusal, say), when known. */
  declare readonly cause?: unknown;
}

/**
 * bpmn-engine makes three `debug` loggers per element of every engine by default; the runtime
 * shares one silent logger instead (less memory and CPU per live instance) unless DEBUG asks
 * for bpmn-engine's own logging.
 */
const SILENT_LOGGER = { debug() {}, error() {}, warn() {} };
const engineLogger = process.env.DEBUG ? undefined : () => SILENT_LOGGER;

/** What every engine of the runtime shares: its logger, element types and settings. */
const ENGINE_OPTIONS = {
  ...(engineLogger ? { Logger: engineLogger } : {}),
  elements: { TimerEventDefinition: DurableTimerEventDefinition },
  // disableTrackState: the saved state holds only elements at work, not every idle one of the diagram.
  settings: { enableDummyService: false, disableTrackState: true },
};

/** bpmn-engine's serialized BPMN (moddle-context-serializer's output). */
type SerializableContext = NonNullable<BpmnEngineOptions['sourceContext']>;

/**
 * A process model's BPMN as bpmn-engine runs it (its serialized "source context"), made once
 * per model and shared by all of the model's engines (bpmn-engine's `sourceContext` option):
 * serializing the parsed BPMN again for every engine cost 3-8% of running the bench's
 * three-task chain.
 * Engines only read it; each builds its own activities (with their own copy of each element's
 * behaviour). Its serializer answers nothing: bpmn-engine's getState() would otherwise copy the
 * whole diagram into every saved state, which the runtime never needs.
 */
const sourceContexts = new WeakMap<object, Promise<SerializableContext>>();

function sourceContextOf(model: ProcessModel): Promise<SerializableContext> {
  let source = sourceContexts.get(model.moddleContext);
  if (!source) {
    source = serializeSource(model);
    source.catch(() => sourceContexts.delete(model.moddleContext)); // a failure is not kept
    sourceContexts.set(model.moddleContext, source);
  }
  return source;
}

async function serializeSource(model: ProcessModel): Promise<SerializableContext> {
  // The engine's own serialization (its element types included), read off an engine that never runs.
  const probe = new Engine({ ...ENGINE_OPTIONS, name: 'serialize', moddleContext: model.moddleContext });
  const definitions = (await probe.getDefinitions()) as any[];
  const source = definitions[0]?.context?.definitionContext;
  if (definitions.length !== 1 || !source || typeof source.getActivities !== 'function') {
    throw new Error(`${model.key}@${model.version}: bpmn-engine did not load one definition from the process`);
  }
  source.serialize = () => undefined;
  return source;
}

/** Types whose wait is for a person or a message, not for the engine itself. */
const WAIT_TYPES = new Set(['bpmn:UserTask', 'bpmn:ReceiveTask', 'bpmn:ManualTask', 'bpmn:IntermediateCatchEvent', 'bpmn:BoundaryEvent', 'bpmn:Task']);

export class LiveInstance {
  readonly variables: Record<string, unknown>;
  /** Last firing of each repeating timer (by activity id): a cycle's next occurrence follows it. */
  readonly timerFired: Record<string, Date>;
  readonly timers: DurableTimers;
  private engine!: Engine;
  private execution: any;
  private readonly listener = new EventEmitter();
  private events: StepEvent[] = [];
  private inflight = 0;
  private activity = 0;
  private failure: Error | null = null;
  private ended = false;

  private constructor(private readonly options: LiveInstanceOptions) {
    this.variables = options.variables;
    this.timerFired = { ...(options.timerFired ?? {}) };
    const due: DueCalculator = (timer) => options.due({ ...timer, lastFired: this.timerFired[timer.activityId] });
    this.timers = new DurableTimers(due, new Map((options.knownTimers ?? []).map((t) => [t.executionId, new Date(t.dueAt)])));
    this.listen();
  }

  static async start(options: LiveInstanceOptions): Promise<LiveInstance> {
    const live = new LiveInstance(options);
    live.engine = live.watch(live.createEngine(await sourceContextOf(options.model)));
    live.execution = await live.engine.execute({ listener: live.listener });
    await live.settle();
    return live;
  }

  static async recover(options: LiveInstanceOptions, state: any): Promise<LiveInstance> {
    const live = new LiveInstance(options);
    live.engine = live.watch(live.createEngine(await sourceContextOf(options.model))).recover(structuredClone(state));
    live.execution = await live.engine.resume({ listener: live.listener });
    await live.settle();
    live.events = []; // resuming replays nothing new; only what the next command does is history
    return live;
  }

  private createEngine(sourceContext: SerializableContext): Engine {
    const { model, evaluate } = this.options;
    const variables = this.variables;
    return new Engine({
      ...ENGINE_OPTIONS,
      name: `${model.key}@${model.version}`,
      sourceContext,
      timers: this.timers as any,
      expressions: {
        resolveExpression: (expression: unknown) => (typeof expression === 'string' ? evaluate(expression, variables) : expression),
      } as any,
      scripts: {
        register() {},
        getScript(language: string, element: any) {
          const body = element?.behaviour?.conditionExpression?.body;
          if (String(language).toLowerCase() !== 'feel' || typeof body !== 'string') return undefined;
          return { execute: (_scope: unknown, callback: (err: Error | null, result?: unknown) => void) => {
            try {
              callback(null, evaluate(body.startsWith('=') ? body : `=${body}`, variables));
            } catch (error) {
              callback(error as Error);
            }
          } };
        },
      } as any,
      extensions: {
        engineServices: (activity: any) => {
          if (activity.type !== 'bpmn:ServiceTask') return undefined;
          const execute = (message: any, callback: (err: Error | null, result?: unknown) => void) => this.runService(activity, message, callback);
          activity.behaviour.Service = function EngineService(this: { execute: typeof execute }) {
            this.execute = execute;
          };
          return undefined;
        },
      } as any,
    });
  }

  /** A failed step is reported by settle(); without a listener the engine's 'error' event would crash the process. */
  private watch(engine: Engine): Engine {
    engine.on('error', (error: any) => {
      this.failure ??= new ProcessStepError(error?.message ?? error?.content?.error?.message ?? 'the process stopped with an error', { cause: error });
    });
    return engine;
  }

  /** Runs a service task's engine service; the engine waits for the callback. */
  private runService(activity: any, message: any, callback: (err: Error | null, result?: unknown) => void): void {
    this.inflight++;
    this.options
      .invokeService({ id: activity.id, name: activity.name, executionId: message.content.executionId, element: activity }, this.variables)
      .then((output) => {
        if (output) Object.assign(this.variables, output);
        this.inflight--;
        callback(null, output ?? {});
      })
      .catch((error: Error) => {
        this.inflight--;
        callback(error);
      });
  }

  private listen(): void {
    const now = this.options.now;
    const note = (event: StepEvent['event']) => (api: any) => {
      this.activity++;
      if (api.type === 'bpmn:SequenceFlow' || api.type === 'bpmn:Process') return;
      this.events.push({ at: now(), event, activityId: api.id, activityName: api.name, type: api.type });
    };
    this.listener.on('activity.enter', note('activity.enter'));
    this.listener.on('activity.leave', note('activity.leave'));
    this.listener.on('activity.wait', () => this.activity++);
    this.listener.on('activity.timer', () => this.activity++);
    this.listener.on('activity.error', (api: any) => {
      const cause = api.content?.error;
      this.failure ??= new ProcessStepError(`${api.name ?? api.id}: ${api.content?.error?.message ?? 'failed'}`, { cause });
    });
  }

  /** Waits until the engine has nothing left to do but wait (or has ended, or failed). */
  async settle(): Promise<void> {
    for (;;) {
      const before = this.activity;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.inflight === 0 && this.activity === before) break;
    }
    const state = this.engine.state as string;
    if (state === 'error' && !this.failure) this.failure = new ProcessStepError('the process stopped with an error');
    if (this.failure) throw this.failure;
    this.ended = state !== 'running';
  }

  get completed(): boolean {
    return this.ended;
  }

  /** Activities waiting for a person, a message or a timer. */
  waiting(): WaitingActivity[] {
    if (this.ended) return [];
    return (this.execution.getPostponed() as any[])
      .filter((api) => WAIT_TYPES.has(api.type))
      .map((api) => ({ activityId: api.id, executionId: api.executionId, type: api.type, name: api.name }));
  }

  pendingTimers(): PendingTimer[] {
    return this.ended ? [] : this.timers.pending();
  }

  /** History collected since the last call. */
  takeEvents(): StepEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  record(event: StepEvent): void {
    this.events.push(event);
  }

  /** Puts an event before everything collected so far (what caused the step comes first). */
  prepend(event: StepEvent): void {
    this.events.unshift(event);
  }

  isWaiting(executionId: string): boolean {
    return (this.execution.getPostponed() as any[]).some((api) => api.executionId === executionId);
  }

  /** Signals a waiting activity (a user task's completion) with output merged into the variables. */
  async signal(executionId: string, output: Record<string, unknown>): Promise<boolean> {
    const target = (this.execution.getPostponed() as any[]).find((api) => api.executionId === executionId);
    if (!target) return false;
    Object.assign(this.variables, output);
    target.signal(output);
    await this.settle();
    return true;
  }

  /** Delivers a message or signal by its id to whatever waits for it. */
  async deliver(messageId: string, output: Record<string, unknown>): Promise<void> {
    Object.assign(this.variables, output);
    this.execution.signal({ id: messageId, ...output });
    await this.settle();
  }

  async fireTimer(executionId: string): Promise<boolean> {
    const timer = this.timers.pending().find((t) => t.executionId === executionId);
    if (!timer) return false;
    this.timerFired[timer.activityId] = timer.dueAt;
    this.timers.fire(executionId);
    await this.settle();
    return true;
  }

  /** The engine state to save: execution only; the parsed BPMN is restored from the model (see sourceContextOf). */
  async state(): Promise<any> {
    const state = await this.engine.getState();
    for (const definition of state.definitions ?? []) delete (definition as any).source;
    return state;
  }

  stop(): void {
    void this.engine.stop().catch(() => undefined);
  }
}
