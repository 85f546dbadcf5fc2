/**
 * The audit trail: an append-only record of who did what, when, from where, to which record.
 * This module only appends and searches; no API updates or deletes an audit record.
 */
import type { Clock } from '../clock.js';
import type { Collection, Filter, Store } from '../store/types.js';

export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface AuditEntry {
  _id: string;
  at: Date;
  /** Who acted; null for an anonymous caller (e.g. a failed login). */
  userId: string | null;
  userName: string | null;
  action: string;
  entity?: { type: string; id: string };
  caseId?: string;
  ip?: string;
  userAgent?: string;
  /** Whether the action was carried out (false for denials and failures). */
  outcome: 'done' | 'denied' | 'failed';
  changes?: FieldChange[];
  details?: Record<string, unknown>;
}

export type NewAuditEntry = Omit<AuditEntry, '_id' | 'at'>;

export interface AuditQuery {
  caseId?: string;
  userId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  skip?: number;
  limit?: number;
}

const MAX_VALUE_LENGTH = 500;

/** Keeps audit records small: long texts are cut, nested values kept as JSON text. */
function compact(value: unknown): unknown {
  if (value === undefined) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text !== undefined && text.length > MAX_VALUE_LENGTH) return `${text.slice(0, MAX_VALUE_LENGTH)}…`;
  return typeof value === 'object' && value !== null ? text : value;
}

/** Field-level differences between two JSON values, by JSON pointer. */
export function diffFields(before: unknown, after: unknown, path = ''): FieldChange[] {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].sort().flatMap((key) => diffFields(before[key], after[key], `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: path || '/', before: compact(before), after: compact(after) }];
}

export class AuditLog {
  private readonly entries: Collection<AuditEntry>;

  constructor(store: Store, private readonly clock: Clock) {
    this.entries = store.collection<AuditEntry>('audit');
  }

  async init(): Promise<void> {
    await this.entries.createIndex({ key: { caseId: 1, at: -1 } });
    await this.entries.createIndex({ key: { userId: 1, at: -1 } });
    await this.entries.createIndex({ key: { at: -1 } });
  }

  async record(entry: NewAuditEntry): Promise<void> {
    await this.entries.insertOne({ ...entry, at: this.clock.now() } as AuditEntry);
  }

  async search(query: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
    const filter: Filter = {};
    if (query.caseId) filter.caseId = query.caseId;
    if (query.userId) filter.userId = query.userId;
    if (query.action) filter.action = query.action;
    if (query.from || query.to) filter.at = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lte: query.to } : {}) };
    const [items, total] = await Promise.all([
      this.entries.find(filter, { sort: { at: -1 }, skip: query.skip ?? 0, limit: query.limit ?? 100 }),
      this.entries.countDocuments(filter),
    ]);
    return { items, total };
  }
}
