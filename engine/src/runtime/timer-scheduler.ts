/**
 * Fires due process timers. node-schedule wakes it every few seconds (and once at start, so a
 * timer that fell due while the engine was down fires once); each due timer is fired under a
 * lease in the store, so with several engine nodes every timer fires exactly once.
 */
import type { Clock } from '../clock.js';
import type { Leases } from '../schedule/leases.js';
import { Poller } from '../schedule/poller.js';
import type { ProcessRuntime } from './process-runtime.js';

export interface TimerRunReport {
  fired: number;
  skipped: number;
  failed: { instanceId: string; executionId: string; error: string }[];
}

const LEASE_MS = 5 * 60_000;

export class TimerScheduler {
  private readonly poller: Poller<TimerRunReport>;

  constructor(
    private readonly runtime: ProcessRuntime,
    private readonly leases: Leases,
    private readonly clock: Clock,
    private readonly log: (message: string, detail?: unknown) => void = () => {},
  ) {
    this.poller = new Poller(() => this.fireDue(), (error) => this.log('timer run failed', { error: error.message }));
  }

  /** Fires every timer due by the clock's now. Overlapping calls share one run. */
  runDue(): Promise<TimerRunReport> {
    return this.poller.run();
  }

  private async fireDue(): Promise<TimerRunReport> {
    const report: TimerRunReport = { fired: 0, skipped: 0, failed: [] };
    // Bounded: a timer that keeps falling due at once must not hold the scheduler forever.
    for (let pass = 0; pass < 100; pass++) {
      const now = this.clock.now();
      const due = await this.runtime.instances.find(
        { status: 'running', nextTimerAt: { $lte: now } },
        { sort: { nextTimerAt: 1 }, limit: 200, projection: { timers: 1 } },
      );
      let progressed = false;
      for (const instance of due) {
        for (const timer of instance.timers.filter((t) => t.dueAt <= now)) {
          const key = `timer:${instance._id}:${timer.executionId}`;
          if (!(await this.leases.acquire(key, LEASE_MS))) {
            report.skipped++;
            continue;
          }
          try {
            if (await this.runtime.fireTimer(instance._id, timer.executionId)) {
              report.fired++;
              progressed = true;
            }
            await this.leases.complete(key);
          } catch (error) {
            await this.leases.release(key);
            report.failed.push({ instanceId: instance._id, executionId: timer.executionId, error: (error as Error).message });
            this.log('timer failed', { instanceId: instance._id, executionId: timer.executionId, error: (error as Error).message });
          }
        }
      }
      // A fired cycle may already be due again (the clock jumped); loop until nothing moves.
      if (!progressed) return report;
    }
    this.log('timers still due after 100 passes; continuing on the next run');
    return report;
  }

  /** Starts polling every `seconds` (and runs once now). */
  start(seconds = 10): void {
    this.poller.start(seconds, undefined, { now: true });
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }
}
