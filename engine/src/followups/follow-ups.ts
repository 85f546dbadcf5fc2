/**
 * The follow-up journal: work that must happen after a write committed (start the process a
 * submitted document names, recompute what depends on a case) survives a crash between the
 * commit and the work. The write that commits the change inserts, in the same atomic batch, one
 * pending record per piece of after-work registered for its event; after the commit the work
 * runs at once (the request still sees its effects) and the records are deleted. What a crash,
 * or a failure, leaves pending is replayed at engine start and by a periodic tick. Replays must
 * be idempotent: a handler whose work is not (starting an instance) saves the record's `done`
 * write in its own atomic batch, so work that committed is never done twice.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { backoffMs, Poller } from '../schedule/poller.js';
import type { BatchWrite, Collection, Doc, Store } from '../store/types.js';

export const FOLLOW_UPS_COLLECTION = 'followUps';

export interface FollowUpRecord {
  _id: string;
  /** The event that caused it (e.g. `document.submitted`) and the piece of after-work (a handler's name). */
  event: string;
  kind: string;
  /** What the event's loader needs to find its subject again (ids, who acted). */
  payload: Doc;
  /** pending until the work succeeded; `done` only when the work itself marked it in its own batch. */
  status: 'pending' | 'done';
  attempts: number;
  /** Not run by the tick before this time: the writer's own run, a claim, or the backoff after a failure. */
  runAfter: Date;
  lastError?: string;
  /** Changed by every claim of a replay, so that of two nodes claiming one record only one succeeds. */
  claim?: string;
  createdAt: Date;
}

/** Given to a handler: the write that marks its follow-up done, to save with work that must not happen twice. */
export interface FollowUpHandle {
  id: string;
  done: BatchWrite;
}

export type FollowUpHandler<C> = (context: C, followUp: FollowUpHandle) => Promise<void>;

export interface FollowUpOptions {
  /** How long a writer's own run (or a claim by the tick) keeps the record from the tick. */
  claimMs: number;
  /** The first retry delay after a failure, doubling up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
}

export const DEFAULT_FOLLOW_UPS: FollowUpOptions = { claimMs: 5 * 60_000, retryBaseMs: 30_000, retryMaxMs: 3600_000 };

export interface ReplayReport {
  done: number;
  failed: { id: string; error: string }[];
}

/** The records a write adds to its batch, and the run of their work once the batch committed. */
export interface StagedFollowUps<C> {
  writes: BatchWrite[];
  /** Runs each piece of work in turn (one failing does not stop the others), then throws the first failure. */
  run(context: C): Promise<void>;
}

/** An event after which work is journalled: its handlers, and how a replay finds its subject again. */
export class FollowUpEvent<P extends Doc, C> {
  private readonly handlers: { kind: string; handler: FollowUpHandler<C> }[] = [];

  constructor(
    private readonly journal: FollowUps,
    readonly name: string,
    /** The subject of a payload as it is now; null when it is gone (its follow-ups are dropped). */
    readonly load: (payload: P) => Promise<C | null>,
  ) {}

  /** Registers a piece of after-work; `kind` names it in the store, so it must stay the same across versions. */
  on(kind: string, handler: FollowUpHandler<C>): void {
    if (this.handlers.some((h) => h.kind === kind)) throw new Error(`Follow-up ${this.name}/${kind} is registered twice`);
    this.handlers.push({ kind, handler });
  }

  handler(kind: string): FollowUpHandler<C> | undefined {
    return this.handlers.find((h) => h.kind === kind)?.handler;
  }

  /** One pending record per handler, to insert with the write that causes the event. */
  stage(payload: P): StagedFollowUps<C> {
    const now = this.journal.now();
    const records: FollowUpRecord[] = this.handlers.map(({ kind }) => ({
      _id: `${this.name}:${kind}:${randomUUID()}`,
      event: this.name, kind, payload, status: 'pending', attempts: 0,
      runAfter: new Date(now.getTime() + this.journal.options.claimMs), createdAt: now,
    }));
    return {
      writes: records.map((document) => ({ collection: FOLLOW_UPS_COLLECTION, insertOne: { document } })),
      run: async (context) => {
        let first: unknown;
        const settled: string[] = [];
        for (const record of records) {
          const error = await this.journal.runOne(record, (handle) => this.handler(record.kind)!(context, handle));
          if (error === undefined) settled.push(record._id);
          first ??= error;
        }
        // One write for the finished ones.
        if (settled.length > 0) await this.journal.records.deleteMany({ _id: { $in: settled } });
        if (first !== undefined) throw first;
      },
    };
  }
}

export class FollowUps {
  readonly records: Collection<FollowUpRecord>;
  readonly options: FollowUpOptions;
  private readonly events = new Map<string, FollowUpEvent<any, any>>();
  private readonly poller: Poller<ReplayReport, boolean>;

  constructor(
    store: Store,
    private readonly clock: Clock,
    options: Partial<FollowUpOptions> = {},
    private readonly log: (message: string, detail?: unknown) => void = () => {},
  ) {
    this.records = store.collection<FollowUpRecord>(FOLLOW_UPS_COLLECTION);
    this.options = { ...DEFAULT_FOLLOW_UPS, ...options };
    this.poller = new Poller((all) => this.replayPending(all), (error) => this.log('follow-up replay failed', { error: error.message }));
  }

  async init(): Promise<void> {
    await this.records.createIndex({ key: { status: 1, runAfter: 1 } });
  }

  now(): Date {
    return this.clock.now();
  }

  /** Declares an event (once per name). */
  event<P extends Doc, C>(name: string, load: (payload: P) => Promise<C | null>): FollowUpEvent<P, C> {
    if (this.events.has(name)) throw new Error(`Follow-up event ${name} is declared twice`);
    const event = new FollowUpEvent<P, C>(this, name, load);
    this.events.set(name, event);
    return event;
  }

  /**
   * Runs one follow-up's work. Resolves with undefined when it succeeded (or another run had
   * already done it: the caller deletes the record), or with the failure, kept on the record
   * with a later `runAfter`.
   */
  async runOne(record: FollowUpRecord, work: (handle: FollowUpHandle) => Promise<void>): Promise<unknown> {
    const handle: FollowUpHandle = {
      id: record._id,
      done: { collection: this.records.name, updateOne: { filter: { _id: record._id, status: 'pending' }, update: { $set: { status: 'done' } }, mustMatch: true } },
    };
    try {
      await work(handle);
    } catch (error) {
      const current = await this.records.findOne({ _id: record._id }, { projection: { status: 1, attempts: 1 } });
      // The work's own batch found the record done: another run did it first, so this one saved nothing.
      if (!current || current.status === 'done') return undefined;
      const attempts = current.attempts + 1;
      const delay = backoffMs(attempts, this.options.retryBaseMs, this.options.retryMaxMs);
      const message = error instanceof Error ? error.message : String(error);
      await this.records.updateOne({ _id: record._id, status: 'pending' }, {
        $set: { attempts, lastError: message, runAfter: new Date(this.now().getTime() + delay) },
      });
      this.log('follow-up failed', { id: record._id, attempts, error: message });
      return error;
    }
    return undefined;
  }

  /**
   * Replays pending follow-ups: at start every one (nothing of this node is running; work another
   * node runs at the same moment is idempotent or guarded by its `done` write), on the tick only
   * those whose `runAfter` has passed, each first claimed with a conditional write so that with
   * several nodes one runs it. Overlapping calls share one run.
   */
  replay(options: { all?: boolean } = {}): Promise<ReplayReport> {
    return this.poller.run(options.all ?? false);
  }

  private async replayPending(all: boolean): Promise<ReplayReport> {
    const report: ReplayReport = { done: 0, failed: [] };
    const now = this.now();
    // Records a handler marked done in its own batch just before a crash.
    await this.records.deleteMany({ status: 'done' });
    const due = await this.records.find({ status: 'pending', ...(all ? {} : { runAfter: { $lte: now } }) }, { sort: { runAfter: 1 }, limit: 500 });
    for (const record of due) {
      const outcome = await this.claimAndRun(record);
      if (outcome === 'done') report.done++;
      else if (outcome) report.failed.push({ id: record._id, error: outcome.error });
    }
    return report;
  }

  /**
   * Runs one pending follow-up now, whatever its backoff (an administrator's retry). Null when
   * there is no such pending record, or another run holds it.
   */
  async retry(id: string): Promise<{ done: true } | { done: false; error: string } | null> {
    const record = await this.records.findOne({ _id: id, status: 'pending' });
    const outcome = record && (await this.claimAndRun(record));
    if (!outcome) return null;
    return outcome === 'done' ? { done: true } : { done: false, error: outcome.error };
  }

  /** Claims a record with a conditional write (one node wins), runs it and settles it; null when the claim was lost. */
  private async claimAndRun(record: FollowUpRecord): Promise<'done' | { error: string } | null> {
    const claimed = await this.records.updateOne(
      { _id: record._id, status: 'pending', runAfter: record.runAfter, claim: record.claim ?? null },
      { $set: { runAfter: new Date(this.now().getTime() + this.options.claimMs), claim: randomUUID() } },
    );
    if (claimed.modifiedCount !== 1) return null; // another node took it, or it was settled meanwhile
    const error = await this.runOne(record, async (handle) => {
      const event = this.events.get(record.event);
      const handler = event?.handler(record.kind);
      if (!event || !handler) throw new Error(`No follow-up handler ${record.event}/${record.kind} is registered`);
      const context = await event.load(record.payload);
      if (context !== null) await handler(context, handle);
    });
    if (error !== undefined) return { error: error instanceof Error ? error.message : String(error) };
    await this.records.deleteOne({ _id: record._id });
    return 'done';
  }

  /** Replays due follow-ups every `seconds`. */
  start(seconds = 30): void {
    this.poller.start(seconds, false, { now: false });
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }
}
