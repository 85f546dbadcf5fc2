/**
 * The notification outbox: a notice is queued as a record in the same step that causes it,
 * and a delivery worker sends it later. Each record has an id the caller derives from what
 * caused it, so a step that runs again queues nothing twice.
 */
import type { Collection, Store } from '../store/types.js';
import { DuplicateKeyError } from '../store/errors.js';

export interface OutboxRecord {
  _id: string;
  template: string;
  to: unknown;
  cc: unknown;
  caseId: string | null;
  documentId: string | null;
  instanceId: string | null;
  data: unknown;
  status: 'queued';
  createdAt: Date;
}

export type NewNotification = Omit<OutboxRecord, 'status' | 'createdAt'>;

export class Outbox {
  readonly records: Collection<OutboxRecord>;

  constructor(store: Store, private readonly now: () => Date) {
    this.records = store.collection<OutboxRecord>('outbox');
  }

  /** Queues the notice; false when one with the same id was queued before. */
  async queue(notice: NewNotification): Promise<boolean> {
    try {
      await this.records.insertOne({ ...notice, status: 'queued', createdAt: this.now() });
      return true;
    } catch (error) {
      if (error instanceof DuplicateKeyError) return false;
      throw error;
    }
  }
}
