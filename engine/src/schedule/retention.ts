/**
 * Data retention: a daily job that deletes what the engine keeps only for a while: expired
 * sessions, reset links and single sign-on attempts, the leases of scheduled work done a week
 * ago, and (when configured) delivered notifications past their keeping time. Case records,
 * documents, history and the audit trail are never deleted here: their retention is the
 * county's records policy, not a timer's. The run takes a lease for its day, so with several
 * engine nodes it happens once.
 */
import schedule from 'node-schedule';
import type { Clock } from '../clock.js';
import type { Filter, Store } from '../store/types.js';
import type { Leases } from './leases.js';

export interface RetentionRule {
  collection: string;
  /** What is deleted, given the run's time. */
  filter: (now: Date) => Filter;
}

const DAY = 86_400_000;

export function engineRetentionRules(options: { sentNotificationDays: number }): RetentionRule[] {
  const expired = (now: Date): Filter => ({ expiresAt: { $lt: now } });
  const rules: RetentionRule[] = [
    { collection: 'sessions', filter: expired },
    { collection: 'password_resets', filter: expired },
    { collection: 'oidc_logins', filter: expired },
    { collection: 'leases', filter: (now) => ({ done: true, until: { $lt: new Date(now.getTime() - 7 * DAY) } }) },
  ];
  if (options.sentNotificationDays > 0) {
    rules.push({ collection: 'outbox', filter: (now) => ({ status: 'sent', sentAt: { $lt: new Date(now.getTime() - options.sentNotificationDays * DAY) } }) });
  }
  return rules;
}

export class RetentionJob {
  private job: schedule.Job | null = null;

  constructor(
    private readonly store: Store,
    private readonly leases: Leases,
    private readonly clock: Clock,
    private readonly rules: RetentionRule[],
    /** The day a run belongs to, in the county's time zone. */
    private readonly timeZone: string,
    private readonly log: (message: string, detail?: unknown) => void = () => {},
  ) {}

  /** Deletes what the rules say, once per local day across nodes; null when this day's run is taken. */
  async runOnce(): Promise<Record<string, number> | null> {
    const now = this.clock.now();
    const day = now.toLocaleDateString('en-CA', { timeZone: this.timeZone });
    const key = `retention:${day}`;
    if (!(await this.leases.acquire(key, 3600_000))) return null;
    try {
      const deleted: Record<string, number> = {};
      for (const rule of this.rules) deleted[rule.collection] = (await this.store.collection(rule.collection).deleteMany(rule.filter(now))).deletedCount;
      await this.leases.complete(key);
      this.log('retention run', deleted);
      return deleted;
    } catch (error) {
      await this.leases.release(key);
      throw error;
    }
  }

  /** Runs every day at `hour`:00 county time. */
  start(hour: number): void {
    if (this.job) return;
    this.job = schedule.scheduleJob({ hour, minute: 0, tz: this.timeZone }, () => {
      void this.runOnce().catch((error) => this.log('retention run failed', { error: (error as Error).message }));
    });
  }

  stop(): void {
    this.job?.cancel();
    this.job = null;
  }
}
