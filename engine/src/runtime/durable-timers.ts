/**
 * The timers bpmn-engine is given (its `timers` option). Nothing here sets a JavaScript
 * timeout: each timer becomes a durable due time, saved with the instance and fired by the
 * scheduler when the engine's Clock reaches it, so a 435-day deadline survives restarts and
 * never meets setTimeout's 24.8-day overflow.
 */
export interface PendingTimer {
  activityId: string;
  executionId: string;
  timerType: string;
  value: string;
  dueAt: Date;
}

interface TimerRef {
  timer: PendingTimer;
  callback: (...args: unknown[]) => void;
  args: unknown[];
}

/** Decides when a timer is due, given what bpmn-engine resolved for it. */
export type DueCalculator = (timer: { activityId: string; executionId: string; timerType: string; value: string; lastFired?: Date }) => Date;

export class DurableTimers {
  private readonly refs = new Map<string, TimerRef>();

  /** `known`: due times saved before, kept when a recovered engine registers the same timer again. */
  constructor(private readonly due: DueCalculator, private readonly known: Map<string, Date> = new Map()) {}

  register(owner: any) {
    return {
      setTimeout: (callback: (...args: unknown[]) => void, _delay: number, ...args: unknown[]) => this.add(owner, callback, args),
      clearTimeout: (ref: TimerRef | undefined) => this.clearTimeout(ref),
    };
  }

  /** bpmn-elements calls these unregistered variants too. */
  setTimeout(callback: (...args: unknown[]) => void, _delay: number, ...args: unknown[]): TimerRef {
    return this.add({ id: 'engine', executionId: `engine-${this.refs.size}` }, callback, args);
  }

  clearTimeout(ref: TimerRef | undefined): undefined {
    if (ref?.timer) this.refs.delete(ref.timer.executionId);
    return undefined;
  }

  get executing(): TimerRef[] {
    return [...this.refs.values()];
  }

  private add(owner: any, callback: (...args: unknown[]) => void, args: unknown[]): TimerRef {
    const executionId = String(owner.executionId);
    const timerType = String(owner.timerType ?? 'timeDuration');
    const value = String(owner[timerType] ?? '');
    const dueAt = this.known.get(executionId) ?? this.due({ activityId: String(owner.id), executionId, timerType, value });
    const ref: TimerRef = { timer: { activityId: String(owner.id), executionId, timerType, value, dueAt }, callback, args };
    this.refs.set(executionId, ref);
    return ref;
  }

  pending(): PendingTimer[] {
    return this.executing.map((r) => r.timer);
  }

  /** Fires a registered timer; false when it is no longer pending. */
  fire(executionId: string): boolean {
    const ref = this.refs.get(executionId);
    if (!ref) return false;
    this.refs.delete(executionId);
    ref.callback(...ref.args);
    return true;
  }
}
