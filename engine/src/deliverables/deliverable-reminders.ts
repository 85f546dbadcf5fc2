/**
 * The daily deliverable reminders and overdue alerts. Once a day at a configured local time in
 * the business calendar's zone (daylight saving handled: 07:00 is 07:00 on both sides of a
 * change), every pending deliverable in its alert window whose rule has a `remind` block gets a
 * reminder, and every one past due with an `overdue` block an overdue alert, through the
 * Notifier like every other notice.
 *
 * Once per deliverable per day: each notice's idempotency key is the case, the deliverable and
 * the local date, so a run repeated (a restart, a clock jump, an expired lease taken over)
 * queues nothing twice. The run itself is under a store lease named by the local date, so with
 * several engine nodes one node does the day's work and the others skip it.
 *
 * The candidates come from the stored records (alertFilter / overdueFilter); each candidate's
 * case is recomputed first, so a document submitted or a rule changed since the records were
 * written is taken into account (completed deliverables are never reminded).
 */
import schedule from 'node-schedule';
import type { Clock } from '../clock.js';
import type { CaseService } from '../documents/case-service.js';
import type { Notifier } from '../notifications/notifier.js';
import type { BusinessCalendar } from '../runtime/time/index.js';
import type { LocalDate } from '../runtime/time/local-date.js';
import { addDays, parseWallClock } from '../runtime/time/local-date.js';
import type { Leases } from '../schedule/leases.js';
import type { DeliverableRule } from './deliverable-config.js';
import { alertFilter, overdueFilter, statusAt, type DeliverableRecord, type DeliverableService } from './deliverable-service.js';

export interface ReminderRunReport {
  /** The local date the run was for. */
  date: LocalDate;
  /** False when it was not yet the day's time, or another node holds or finished the day's run. */
  ran: boolean;
  reminders: number;
  overdue: number;
  failed: { deliverableId: string; error: string }[];
}

const LEASE_MS = 30 * 60_000;

export interface DeliverableRemindersDeps {
  deliverables: DeliverableService;
  cases: Pick<CaseService, 'cases'>;
  notifier: Notifier;
  leases: Leases;
  clock: Clock;
  calendar: BusinessCalendar;
  /** Local wall time of the daily run, 'HH:MM' in the calendar's zone. */
  time: string;
  /** Brings the calendar up to its latest published version (before each run). */
  refreshCalendar?: () => Promise<void>;
  log?: (message: string, detail?: unknown) => void;
}

export class DeliverableReminders {
  private job: schedule.Job | null = null;
  private running: Promise<ReminderRunReport> | null = null;
  private stopped = false;

  constructor(private readonly deps: DeliverableRemindersDeps) {
    if (!parseWallClock(deps.time)) throw new RangeError(`The reminder time "${deps.time}" is not a time of day written HH:MM (24-hour clock).`);
  }

  /** The instant of the day's run on a local date (the configured wall time in the calendar's zone). */
  runAtOn(date: LocalDate): Date {
    return this.deps.calendar.toInstant(date, this.deps.time);
  }

  /** The first run instant strictly after `after`. */
  nextRunAt(after: Date): Date {
    const today = this.deps.calendar.localDate(after);
    const atToday = this.runAtOn(today);
    return atToday.getTime() > after.getTime() ? atToday : this.runAtOn(addDays(today, 1));
  }

  /**
   * Does today's run if its time has come and no node has done it (idempotent; safe to call at
   * any moment, e.g. at start to catch up a run missed while the engine was down). Overlapping
   * calls share one run.
   */
  runDue(): Promise<ReminderRunReport> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<ReminderRunReport> {
    const { clock, calendar, leases } = this.deps;
    await this.deps.refreshCalendar?.();
    const now = clock.now();
    const date = calendar.localDate(now);
    const report: ReminderRunReport = { date, ran: false, reminders: 0, overdue: 0, failed: [] };
    if (now.getTime() < this.runAtOn(date).getTime()) return report;
    const key = `deliverable-reminders:${date}`;
    if (!(await leases.acquire(key, LEASE_MS))) return report;
    report.ran = true;
    try {
      await this.sendAll(now, date, report);
    } catch (error) {
      await leases.release(key);
      throw error;
    }
    // A failed notice leaves the day open: a later call (another node, the next start) retries
    // it, and the idempotency keys keep the ones already queued from being sent again.
    if (report.failed.length > 0) await leases.release(key);
    else await leases.complete(key);
    return report;
  }

  private async caseStatus(caseId: string): Promise<string> {
    return (await this.deps.cases.cases.findOne({ _id: caseId }, { projection: { status: 1 } }))?.status ?? '';
  }

  private async sendAll(now: Date, date: LocalDate, report: ReminderRunReport): Promise<void> {
    const { deliverables } = this.deps;
    const candidates = await deliverables.records.find(
      { $or: [alertFilter(now), overdueFilter(now)] },
      { projection: { caseId: 1 }, sort: { caseId: 1 } },
    );
    const rulesByType = new Map<string, Map<string, DeliverableRule>>();
    for (const caseId of [...new Set(candidates.map((c) => c.caseId))]) {
      let records: DeliverableRecord[];
      try {
        records = await deliverables.refresh(caseId);
      } catch (error) {
        report.failed.push({ deliverableId: `${caseId}:*`, error: (error as Error).message });
        continue;
      }
      for (const record of records) {
        const status = statusAt(record, now);
        if (status !== 'alert' && status !== 'overdue') continue;
        const version = `${record.caseType}@${record.caseTypeVersion}`;
        let rules = rulesByType.get(version);
        if (!rules) {
          rules = new Map((await deliverables.rulesFor(record.caseType, record.caseTypeVersion)).map((r) => [r.key, r]));
          rulesByType.set(version, rules);
        }
        const notice = status === 'alert' ? rules.get(record.key)?.remind : rules.get(record.key)?.overdue;
        if (!notice) continue;
        if (notice.exceptStatuses?.length && notice.exceptStatuses.includes(await this.caseStatus(record.caseId))) continue;
        try {
          const queued = await this.deps.notifier.notify({
            id: `deliverable-${status === 'alert' ? 'reminder' : 'overdue'}:${record.caseId}:${record.key}:${date}`,
            template: notice.template,
            to: notice.to,
            cc: notice.cc,
            caseId: record.caseId,
            data: {
              deliverable: {
                key: record.key, title: record.title, form: record.form, status,
                opensDate: record.opensDate, alertDate: record.alertDate, dueDate: record.dueDate,
              },
              date,
            },
          });
          if (queued) {
            if (status === 'alert') report.reminders++;
            else report.overdue++;
          }
        } catch (error) {
          report.failed.push({ deliverableId: record._id, error: (error as Error).message });
          this.deps.log?.('deliverable notice failed', { deliverableId: record._id, error: (error as Error).message });
        }
      }
    }
  }

  /** Runs once now (catching up today's run if its time has passed), then at the time every day. */
  start(): void {
    if (this.job || this.stopped) return;
    void this.runDue().catch((error: unknown) => this.deps.log?.('deliverable reminders failed', { error: (error as Error).message }));
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    // Each day's instant is computed in the calendar's zone, so a daylight-saving change moves
    // the UTC instant and not the local time.
    this.job = schedule.scheduleJob(this.nextRunAt(this.deps.clock.now()), () => {
      this.job = null;
      void this.runDue()
        .catch((error: unknown) => this.deps.log?.('deliverable reminders failed', { error: (error as Error).message }))
        .finally(() => this.arm());
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.job?.cancel();
    this.job = null;
    await this.running?.catch(() => undefined);
  }
}
