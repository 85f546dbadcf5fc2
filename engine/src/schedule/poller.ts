/**
 * Work a node runs every few seconds (node-schedule) and on demand: overlapping runs share one,
 * and stopping waits for the run in progress. The workers that poll the store (due timers,
 * queued notifications, pending follow-ups) run this way, and retry failures after `backoffMs`.
 */
import schedule from 'node-schedule';

export class Poller<R, A = void> {
  private running: Promise<R> | null = null;
  private job: schedule.Job | null = null;

  constructor(
    private readonly work: (arg: A) => Promise<R>,
    /** What a failed scheduled run does (a run asked for by a caller rejects to it instead). */
    private readonly onError: (error: Error) => void,
  ) {}

  /** Runs the work now, or joins the run in progress (whatever its argument). */
  run(arg: A): Promise<R> {
    this.running ??= this.work(arg).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Runs every `seconds` (1 to 59) with `arg`, and once at once when `now`. */
  start(seconds: number, arg: A, { now }: { now: boolean }): void {
    if (this.job) return;
    const tick = () => void this.run(arg).catch((error: Error) => this.onError(error));
    if (now) tick();
    this.job = schedule.scheduleJob(`*/${Math.max(1, Math.min(59, seconds))} * * * * *`, tick);
  }

  async stop(): Promise<void> {
    this.job?.cancel();
    this.job = null;
    await this.running?.catch(() => undefined);
  }
}

/** The wait before retry number `attempts` (1 first): `baseMs`, doubling each time, at most `maxMs`. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** (attempts - 1));
}
