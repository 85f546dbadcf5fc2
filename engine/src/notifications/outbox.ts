/**
 * The notification outbox: a notice is queued as a record in the same step that causes it,
 * and a delivery worker sends it later. Each record has an id the caller derives from what
 * caused it, so a step that runs again queues nothing twice. A record carries the rendered
 * message and the resolved addresses, so what is sent is what the event produced.
 */
import type { BatchWrite, Collection, Store } from '../store/types.js';
import { DuplicateKeyError } from '../store/errors.js';
import type { Recipient } from './recipients.js';

export interface OutboxRecord {
  _id: string;
  template: string;
  templateVersion: number;
  to: Recipient[];
  cc: Recipient[];
  /** Recipient rules that found nobody when the notice was composed. */
  unresolved: string[];
  subject: string;
  text: string;
  html: string;
  /** The record in the runtime UI the message is about. */
  link: string;
  caseId: string | null;
  documentId: string | null;
  instanceId: string | null;
  status: 'queued';
  createdAt: Date;
}

export type NewNotification = Omit<OutboxRecord, 'status' | 'createdAt'>;

export class Outbox {
  readonly records: Collection<OutboxRecord>;

  constructor(store: Store, private readonly now: () => Date) {
    this.records = store.collection<OutboxRecord>('outbox');
  }

  async init(): Promise<void> {
    await this.records.createIndex({ key: { caseId: 1, createdAt: 1 } });
    await this.records.createIndex({ key: { status: 1, createdAt: 1 } });
  }

  /** The write that queues the notice inside a step's batch; queues nothing when its id was queued before. */
  queueWrite(notice: NewNotification): BatchWrite {
    const { _id, ...fields } = notice;
    return { collection: this.records.name, updateOne: { filter: { _id }, update: { $setOnInsert: { ...fields, status: 'queued', createdAt: this.now() } }, upsert: true } };
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
