/**
 * The notification outbox: a notice is queued as a record in the same step that causes it,
 * and a delivery worker sends it later. Each record has an id the caller derives from what
 * caused it, so a step that runs again queues nothing twice. A record carries the rendered
 * message and the resolved addresses, so what is sent is what the event produced.
 */
import type { BatchWrite, Collection, Store } from '../store/types.js';
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
  status: DeliveryStatus;
  createdAt: Date;
  /** Delivery (see delivery.ts): tries so far, when the next may start, the last failure. */
  attempts?: number;
  nextAttemptAt?: Date;
  lastError?: string;
  /** A delivery worker holds a record it is sending until this time (then another may take it). */
  claimedBy?: string;
  claimUntil?: Date;
  sentAt?: Date;
  /** The Message-ID the SMTP server accepted, and its reply. */
  messageId?: string;
  response?: string;
  failedAt?: Date;
  /** Set by a resend: retrying is given up this long after it rather than after createdAt. */
  retrySince?: Date;
  resentBy?: string;
}

/** queued -> sending -> sent; or back to queued to retry; failed once retrying is given up (an administrator may resend). */
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed';

type DeliveryFields = 'status' | 'createdAt' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'claimedBy' | 'claimUntil' | 'sentAt' | 'messageId' | 'response' | 'failedAt' | 'retrySince' | 'resentBy';
export type NewNotification = Omit<OutboxRecord, DeliveryFields>;

export class Outbox {
  readonly records: Collection<OutboxRecord>;

  constructor(private readonly store: Store, private readonly now: () => Date) {
    this.records = store.collection<OutboxRecord>('outbox');
  }

  async init(): Promise<void> {
    await this.records.createIndex({ key: { caseId: 1, createdAt: 1 } });
    await this.records.createIndex({ key: { status: 1, nextAttemptAt: 1 } });
    await this.records.createIndex({ key: { 'to.userId': 1 } });
    await this.records.createIndex({ key: { 'cc.userId': 1 } });
  }

  /** The write that queues the notice inside a step's batch; queues nothing when its id was queued before. */
  queueWrite(notice: NewNotification): BatchWrite {
    const { _id, ...fields } = notice;
    const now = this.now();
    return { collection: this.records.name, updateOne: { filter: { _id }, update: { $setOnInsert: { ...fields, status: 'queued', createdAt: now, attempts: 0, nextAttemptAt: now } }, upsert: true } };
  }

  /** Queues the notice now, with the same write; false when one with the same id was queued before. */
  async queue(notice: NewNotification): Promise<boolean> {
    const [result] = await this.store.writeAtomically([this.queueWrite(notice)]);
    return result.upsertedId !== null && result.upsertedId !== undefined;
  }
}
