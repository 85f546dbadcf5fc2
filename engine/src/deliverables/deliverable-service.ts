/**
 * Deliverables: what a case owes and by when, per its case type's `deliverables` block (see
 * deliverable-config.ts). One record per case and deliverable (collection `deliverables`).
 *
 * Why the status is computed on read: a record stores only dates (window opening, alert, due
 * day, the instant it falls overdue, completion) and the settled outcome (pending, completed,
 * completed-late, not-required). Whether a pending one is upcoming, open, in alert or overdue
 * is that record read against the engine Clock at the moment of asking, and counts of alerts
 * and overdue deliverables are store queries on the same dates. No job has to run at midnight,
 * so nothing goes stale while the engine is down or between nodes, and no lease is needed.
 *
 * The records are recomputed in full (never patched) from the case, its submitted documents
 * and the latest case type version whenever the case data changes (any write path calls
 * CaseService.changed) and when a document is submitted; recomputing is idempotent, so any
 * node may do it at any time. Reading one case's deliverables recomputes them and rewrites
 * what differs, which also heals records left behind by a node that stopped between the case
 * write and the refresh, or by two refreshes of one case racing on two nodes (the later write
 * may carry the older computation until the next change or read of that case).
 */
import type { Clock } from '../clock.js';
import type { Principal } from '../auth/principal.js';
import type { CaseTypeContent, DefinitionService } from '../definitions/index.js';
import type { CaseRecord, CaseService } from '../documents/case-service.js';
import type { DocumentRecord } from '../documents/document-service.js';
import { getAt } from '../json-pointer.js';
import type { BatchWrite, Collection, Store } from '../store/types.js';
import { addIsoDuration, evaluateFeel, isFeelExpression, parseIsoDuration, type BusinessCalendar } from '../runtime/time/index.js';
import { addDays, isLocalDate, type LocalDate } from '../runtime/time/local-date.js';
import type { DeliverableRule } from './deliverable-config.js';

export type DeliverableOutcome = 'pending' | 'completed' | 'completed-late' | 'not-required';
export type DeliverableStatus = 'upcoming' | 'open' | 'alert' | 'overdue' | 'completed' | 'completed-late' | 'not-required';

export interface DeliverableRecord {
  /** `${caseId}:${key}` */
  _id: string;
  caseId: string;
  caseType: string;
  /** The case type version whose rules gave this record (the one the case was opened on). */
  caseTypeVersion: number;
  key: string;
  title: string;
  form: string;
  /** Its place in the case type's list. */
  position: number;
  optional: boolean;
  /** The anchor's date; null while the case has none (the deliverable has no dates yet). */
  anchorDate: LocalDate | null;
  /** First day of the window, first day of the task alert, last day on time (local dates). */
  opensDate: LocalDate | null;
  alertDate: LocalDate | null;
  dueDate: LocalDate | null;
  /** The same days as instants (midnight in the calendar's zone); overdueAt is the day after the due day. */
  opensAt: Date | null;
  alertAt: Date | null;
  overdueAt: Date | null;
  /** The key of the earlier deliverable (`after`) still to be completed, or null. */
  blockedBy: string | null;
  outcome: DeliverableOutcome;
  completedAt: Date | null;
  completedDate: LocalDate | null;
  documentId: string | null;
  /** Why the dates could not be computed (an expression failed), shown instead of dates. */
  problem: string | null;
  caseVersion: number;
}

export type DeliverableView = DeliverableRecord & { status: DeliverableStatus };

export interface DeliverableSummary {
  alerts: number;
  overdue: number;
  /** The earliest due day of a deliverable still pending, if any. */
  nextDueDate: LocalDate | null;
}

/** The status of a record at `now` (see the file comment). */
export function statusAt(record: DeliverableRecord, now: Date): DeliverableStatus {
  if (record.outcome !== 'pending') return record.outcome;
  if (!record.overdueAt || !record.opensAt || !record.alertAt) return 'upcoming';
  const t = now.getTime();
  if (t >= record.overdueAt.getTime()) return record.optional ? 'not-required' : 'overdue';
  if (record.blockedBy || t < record.opensAt.getTime()) return 'upcoming';
  if (t >= record.alertAt.getTime()) return 'alert';
  return 'open';
}

/** Store filters matching the pending records in alert / overdue at `now` (used for counts). */
export function alertFilter(now: Date) {
  return { outcome: 'pending', blockedBy: null, alertAt: { $lte: now }, overdueAt: { $gt: now } };
}
export function overdueFilter(now: Date) {
  return { outcome: 'pending', optional: false, overdueAt: { $lte: now } };
}

interface Env {
  clock: Clock;
  calendar: BusinessCalendar;
  /** Brings the calendar up to its latest published version (before deadlines are computed). */
  refreshCalendar?: () => Promise<void>;
}

const SUBMITTED_FIELDS = { _id: 1, form: 1, data: 1, submittedAt: 1 } as const;

export class DeliverableService {
  readonly records: Collection<DeliverableRecord>;
  private readonly documents: Collection<DocumentRecord>;

  constructor(
    private readonly store: Store,
    private readonly definitions: DefinitionService,
    private readonly cases: CaseService,
    private readonly env: Env,
    private readonly log: (message: string, detail?: unknown) => void = () => {},
  ) {
    this.records = store.collection<DeliverableRecord>('deliverables');
    this.documents = store.collection<DocumentRecord>('documents');
  }

  async init(): Promise<void> {
    await this.records.createIndex({ key: { caseId: 1 } });
    await this.records.createIndex({ key: { outcome: 1, overdueAt: 1 } });
  }

  /**
   * The rules of the case type version a case was opened on: a case keeps the deadlines it started
   * with when a new version changes them, as its documents keep their form versions (without a
   * version: the latest, for a case about to be opened).
   */
  async rulesFor(caseType: string, version?: number): Promise<DeliverableRule[]> {
    const definition = await (version === undefined ? this.definitions.latest('caseType', caseType) : this.definitions.get('caseType', caseType, version)).catch(() => null);
    return ((definition?.content as CaseTypeContent | undefined)?.deliverables as DeliverableRule[] | undefined) ?? [];
  }

  /** Computes the case's deliverable records from the case and its submitted documents (stores nothing). */
  async plan(caseRecord: CaseRecord): Promise<DeliverableRecord[]> {
    const rules = await this.rulesFor(caseRecord.caseType, caseRecord.caseTypeVersion);
    if (rules.length === 0) return [];
    const forms = [...new Set(rules.map((r) => r.form))];
    const submitted = await this.documents.find(
      { caseId: caseRecord._id, form: { $in: forms }, submittedAt: { $exists: true } },
      { sort: { submittedAt: 1 }, projection: SUBMITTED_FIELDS },
    );
    return this.planWith(caseRecord, rules, submitted);
  }

  /**
   * The records from the case, its case type's rules and its submitted documents (earliest first):
   * the pure part of plan(), for callers that already hold the documents (bulk loads).
   */
  planWith(caseRecord: CaseRecord, rules: DeliverableRule[], submitted: Pick<DocumentRecord, '_id' | 'form' | 'data' | 'submittedAt'>[]): DeliverableRecord[] {
    const used = new Set<string>();
    const byKey = new Map<string, DeliverableRecord>();
    const caseContext = {
      number: caseRecord.number, status: caseRecord.status, data: caseRecord.data, people: caseRecord.people,
      caseType: caseRecord.caseType, createdAt: caseRecord.createdAt,
    };
    return rules.map((rule, position) => {
      const record = this.planOne(rule, position, caseRecord, caseContext, submitted, used);
      const before = rule.after ? byKey.get(rule.after) : undefined;
      // Phases open in order: a pending predecessor holds this one back (one not required does not).
      if (before?.outcome === 'pending') record.blockedBy = before.key;
      byKey.set(rule.key, record);
      return record;
    });
  }

  private planOne(
    rule: DeliverableRule, position: number, caseRecord: CaseRecord, caseContext: Record<string, unknown>,
    submitted: Pick<DocumentRecord, '_id' | 'form' | 'data' | 'submittedAt'>[], used: Set<string>,
  ): DeliverableRecord {
    const { calendar } = this.env;
    const record: DeliverableRecord = {
      _id: `${caseRecord._id}:${rule.key}`, caseId: caseRecord._id, caseType: caseRecord.caseType, caseTypeVersion: caseRecord.caseTypeVersion, key: rule.key, title: rule.title,
      form: rule.form, position, optional: rule.optional === true, anchorDate: null, opensDate: null, alertDate: null, dueDate: null,
      opensAt: null, alertAt: null, overdueAt: null, blockedBy: null, outcome: 'pending', completedAt: null, completedDate: null,
      documentId: null, problem: null, caseVersion: caseRecord.version,
    };
    let required = true;
    try {
      record.anchorDate = this.anchorDate(getAt(caseRecord, rule.anchor));
      if (record.anchorDate) {
        const context = { case: caseContext };
        record.opensDate = rule.opens ? this.offsetDate(rule.opens, record.anchorDate, context) : record.anchorDate;
        record.dueDate = this.offsetDate(rule.due, record.anchorDate, context);
        record.alertDate = record.dueDate;
        if (rule.alertBefore) {
          const before = parseIsoDuration(rule.alertBefore);
          if (typeof before === 'string') throw new Error(`alertBefore: ${before}`);
          const alert = calendar.localDate(addIsoDuration(calendar.toInstant(record.dueDate), before, calendar.timeZone, -1));
          record.alertDate = alert < record.opensDate ? record.opensDate : alert;
        }
        record.opensAt = calendar.toInstant(record.opensDate);
        record.alertAt = rule.alertBefore ? calendar.toInstant(record.alertDate) : null;
        record.overdueAt = calendar.toInstant(addDays(record.dueDate, 1));
        // Without alertBefore there is no alert: it would begin when the deliverable falls overdue.
        record.alertAt ??= record.overdueAt;
      }
    } catch (error) {
      record.problem = `the dates could not be computed: ${(error as Error).message}`;
      record.opensDate = record.alertDate = record.dueDate = null;
      record.opensAt = record.alertAt = record.overdueAt = null;
      this.log('deliverable could not be computed', { caseId: caseRecord._id, key: rule.key, error: record.problem });
    }
    if (rule.when) {
      try {
        required = evaluateFeel(rule.when, { ...context(caseContext), anchor: record.anchorDate, opens: record.opensDate, due: record.dueDate }, this.env) === true;
      } catch (error) {
        // Kept as required: a condition that fails must not hide a deadline.
        record.problem = `the condition could not be evaluated: ${(error as Error).message}`;
        this.log('deliverable condition failed', { caseId: caseRecord._id, key: rule.key, error: record.problem });
      }
    }
    const doc = submitted.find((d) => d.form === rule.form && !used.has(d._id) && this.matches(rule, d));
    if (doc?.submittedAt) {
      used.add(doc._id);
      record.documentId = doc._id;
      record.completedAt = doc.submittedAt;
      record.completedDate = calendar.localDate(doc.submittedAt);
      // The due day is the last day on time: submitted on it (any hour, county time) counts.
      record.outcome = record.dueDate && record.completedDate > record.dueDate ? 'completed-late' : 'completed';
    } else if (!required) {
      record.outcome = 'not-required';
    }
    return record;
  }

  private matches(rule: DeliverableRule, doc: Pick<DocumentRecord, 'data'>): boolean {
    if (!rule.match) return true;
    try {
      return evaluateFeel(rule.match, { data: doc.data }, this.env) === true;
    } catch {
      return false;
    }
  }

  private anchorDate(value: unknown): LocalDate | null {
    if (value === undefined || value === null || value === '') return null;
    if (isLocalDate(value)) return value;
    const instant = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
    if (!instant || Number.isNaN(instant.getTime())) throw new Error(`the anchor ${JSON.stringify(value)} is not a date`);
    return this.env.calendar.localDate(instant);
  }

  /** The anchor plus a duration, or what a FEEL expression over `anchor` and `case` gives. */
  private offsetDate(spec: string, anchor: LocalDate, ctx: { case: Record<string, unknown> }): LocalDate {
    const { calendar } = this.env;
    if (isFeelExpression(spec)) {
      const value = evaluateFeel(spec, { ...context(ctx.case), anchor }, this.env);
      if (isLocalDate(value)) return value;
      if (value instanceof Date) return calendar.localDate(value);
      throw new Error(`"${spec}" gave ${JSON.stringify(value)}, not a date`);
    }
    const duration = parseIsoDuration(spec);
    if (typeof duration === 'string') throw new Error(`"${spec}": ${duration}`);
    return calendar.localDate(addIsoDuration(calendar.toInstant(anchor), duration, calendar.timeZone));
  }

  /** Recomputes and stores the case's deliverables (idempotent; any node may call it any time). */
  async refresh(caseOrId: CaseRecord | string): Promise<DeliverableRecord[]> {
    const caseRecord = typeof caseOrId === 'string' ? await this.cases.cases.findOne({ _id: caseOrId }) : caseOrId;
    if (!caseRecord) return [];
    await this.env.refreshCalendar?.();
    const planned = await this.plan(caseRecord);
    const stored = await this.records.find({ caseId: caseRecord._id });
    const storedById = new Map(stored.map((r) => [r._id, r]));
    const writes: BatchWrite[] = planned
      .filter((r) => !sameRecord(storedById.get(r._id), r))
      .map((r) => ({ collection: 'deliverables', updateOne: { filter: { _id: r._id }, update: { $set: withoutId(r) }, upsert: true } }));
    if (writes.length > 0) await this.store.writeAtomically(writes);
    const keep = new Set(planned.map((r) => r._id));
    const gone = stored.filter((r) => !keep.has(r._id)).map((r) => r._id);
    if (gone.length > 0) await this.records.deleteMany({ _id: { $in: gone } });
    return planned;
  }

  /** A case's deliverables with their status now, for a principal who can see the case (404 otherwise). */
  async forCase(principal: Principal, caseId: string): Promise<DeliverableView[]> {
    const caseRecord = await this.cases.get(principal, caseId);
    const now = this.env.clock.now();
    return (await this.refresh(caseRecord)).map((r) => ({ ...r, status: statusAt(r, now) }));
  }

  /** Alert and overdue counts per case, now. */
  async summaries(caseIds: string[]): Promise<Map<string, DeliverableSummary>> {
    const result = new Map<string, DeliverableSummary>(caseIds.map((id) => [id, { alerts: 0, overdue: 0, nextDueDate: null }]));
    if (caseIds.length === 0) return result;
    const now = this.env.clock.now();
    const pending = await this.records.find(
      { caseId: { $in: caseIds }, outcome: 'pending' },
      { projection: { caseId: 1, outcome: 1, optional: 1, blockedBy: 1, opensAt: 1, alertAt: 1, overdueAt: 1, dueDate: 1 } },
    );
    for (const record of pending) {
      const summary = result.get(record.caseId);
      if (!summary) continue;
      const status = statusAt(record, now);
      if (status === 'alert') summary.alerts++;
      if (status === 'overdue') summary.overdue++;
      if (status !== 'not-required' && record.dueDate && (!summary.nextDueDate || record.dueDate < summary.nextDueDate)) summary.nextDueDate = record.dueDate;
    }
    return result;
  }

  /** The deliverable a document fulfils: the one it completed, else the first pending one of its form. */
  async forDocument(doc: Pick<DocumentRecord, '_id' | 'caseId' | 'form'>): Promise<DeliverableView | null> {
    return (await this.forDocuments(doc.caseId, [doc])).get(doc._id) ?? null;
  }

  /** forDocument for several documents of one case, with one read. */
  async forDocuments(caseId: string, docs: Pick<DocumentRecord, '_id' | 'form'>[]): Promise<Map<string, DeliverableView>> {
    const result = new Map<string, DeliverableView>();
    if (docs.length === 0) return result;
    const now = this.env.clock.now();
    const records = await this.records.find({ caseId, form: { $in: [...new Set(docs.map((d) => d.form))] } }, { sort: { position: 1 } });
    for (const doc of docs) {
      const ofForm = records.filter((r) => r.form === doc.form);
      const found = ofForm.find((r) => r.documentId === doc._id) ?? ofForm.find((r) => r.outcome === 'pending' && statusAt(r, now) !== 'not-required');
      if (found) result.set(doc._id, { ...found, status: statusAt(found, now) });
    }
    return result;
  }
}

function context(caseContext: Record<string, unknown>): Record<string, unknown> {
  return { case: caseContext };
}

function withoutId(record: DeliverableRecord): Omit<DeliverableRecord, '_id'> {
  const { _id, ...rest } = record;
  void _id;
  return rest;
}

function sameRecord(a: DeliverableRecord | undefined, b: DeliverableRecord): boolean {
  if (!a) return false;
  const norm = (r: DeliverableRecord) => JSON.stringify(withoutId(r), Object.keys(withoutId(b)).sort());
  return norm(a) === norm(b);
}
