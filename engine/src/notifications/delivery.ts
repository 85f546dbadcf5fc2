/**
 * Delivers queued notifications over SMTP (nodemailer). Each record is claimed with a
 * conditional write before it is sent, so with several engine nodes a record is sent by one of
 * them; a claim lasts a while, so a node that died holding one leaves it to another after the
 * claim expires. Temporary failures (server down, 4xx replies) retry with exponential backoff
 * until `giveUpAfterMs` has passed since the notice was queued; a permanent refusal (5xx) or an
 * empty recipient list fails at once. Failed records stay visible to administrators, who may
 * resend them.
 *
 * At most once is impossible over SMTP: a node killed after the server accepted a message and
 * before the record was marked sent delivers it again once its claim expires (one duplicate).
 * Every message carries a Message-ID derived from the record, so a mail system can spot it.
 */
import { randomUUID } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Clock } from '../clock.js';
import { backoffMs, Poller } from '../schedule/poller.js';
import type { Collection } from '../store/types.js';
import type { OutboxRecord } from './outbox.js';
import type { Recipient } from './recipients.js';

export interface DeliveryOptions {
  from: string;
  /** The domain part of Message-IDs. */
  messageIdDomain: string;
  /** First retry after this long; doubled each time up to `maxRetryMs`. */
  retryBaseMs: number;
  maxRetryMs: number;
  /** Stop retrying this long after the notice was queued; the record becomes `failed`. */
  giveUpAfterMs: number;
  /** How long a claim on a record being sent lasts. */
  claimMs: number;
  /** Records sent per run at most. */
  batch: number;
}

export const DEFAULT_DELIVERY: Omit<DeliveryOptions, 'from' | 'messageIdDomain'> = {
  retryBaseMs: 60_000,
  maxRetryMs: 60 * 60_000,
  giveUpAfterMs: 48 * 3600_000,
  claimMs: 5 * 60_000,
  batch: 50,
};

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
}

const address = (r: Recipient): { name: string; address: string } => ({ name: r.name ?? '', address: r.email });

/** SMTP replies in the 5xx range are permanent: trying again changes nothing. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export class DeliveryWorker {
  readonly nodeId = randomUUID();
  private readonly poller: Poller<DeliveryReport>;

  constructor(
    private readonly records: Collection<OutboxRecord>,
    private readonly transport: Transporter,
    private readonly clock: Clock,
    private readonly options: DeliveryOptions,
    private readonly log: (message: string, detail?: unknown) => void = () => {},
  ) {
    this.poller = new Poller(() => this.deliverDue(), (error) => this.log('notification delivery run failed', { error: error.message }));
  }

  /** Sends what is due every `seconds` (and once now). */
  start(seconds: number): void {
    this.poller.start(seconds, undefined, { now: true });
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Sends what is due now. Overlapping calls share one run. */
  runDue(): Promise<DeliveryReport> {
    return this.poller.run();
  }

  private async claimNext(): Promise<OutboxRecord | null> {
    const now = this.clock.now();
    const claim = { $set: { status: 'sending', claimedBy: this.nodeId, claimUntil: new Date(now.getTime() + this.options.claimMs) } };
    return (
      (await this.records.findOneAndUpdate({ status: 'queued', nextAttemptAt: { $lte: now } }, claim, { sort: { nextAttemptAt: 1 }, returnDocument: 'after' }))
      // a claim whose node died before marking the record (sent or not)
      ?? (await this.records.findOneAndUpdate({ status: 'sending', claimUntil: { $lte: now } }, claim, { sort: { claimUntil: 1 }, returnDocument: 'after' }))
    );
  }

  private async deliverDue(): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
    for (let i = 0; i < this.options.batch; i++) {
      const record = await this.claimNext();
      if (!record) break;
      report[await this.deliver(record)]++;
    }
    return report;
  }

  private mine(record: OutboxRecord) {
    return { _id: record._id, status: 'sending', claimedBy: this.nodeId };
  }

  private async deliver(record: OutboxRecord): Promise<keyof DeliveryReport> {
    if (record.to.length + record.cc.length === 0) {
      await this.fail(record, `nobody to send to (unresolved: ${record.unresolved.join(', ') || 'none'})`);
      return 'failed';
    }
    let info: { messageId?: string; response?: string };
    try {
      info = await this.transport.sendMail({
        from: this.options.from,
        to: record.to.map(address),
        cc: record.cc.map(address),
        subject: record.subject,
        text: record.text,
        html: record.html,
        messageId: `<${record._id.replace(/[^A-Za-z0-9.-]/g, '.')}@${this.options.messageIdDomain}>`,
        headers: { 'X-Notification-Id': record._id },
      });
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      const age = this.clock.now().getTime() - (record.retrySince ?? record.createdAt).getTime();
      if (isPermanent(error) || age >= this.options.giveUpAfterMs) {
        await this.fail(record, message);
        return 'failed';
      }
      const attempts = (record.attempts ?? 0) + 1;
      const wait = backoffMs(attempts, this.options.retryBaseMs, this.options.maxRetryMs);
      await this.records.updateOne(this.mine(record), {
        $set: { status: 'queued', attempts, lastError: message, nextAttemptAt: new Date(this.clock.now().getTime() + wait) },
        $unset: { claimedBy: '', claimUntil: '' },
      });
      this.log('notification delivery will be retried', { id: record._id, attempts, error: message });
      return 'retrying';
    }
    await this.records.updateOne(this.mine(record), {
      $set: { status: 'sent', sentAt: this.clock.now(), attempts: (record.attempts ?? 0) + 1, messageId: info.messageId ?? '', response: info.response ?? '' },
      $unset: { claimedBy: '', claimUntil: '', lastError: '' },
    });
    return 'sent';
  }

  private async fail(record: OutboxRecord, reason: string): Promise<void> {
    await this.records.updateOne(this.mine(record), {
      $set: { status: 'failed', failedAt: this.clock.now(), lastError: reason, attempts: (record.attempts ?? 0) + 1 },
      $unset: { claimedBy: '', claimUntil: '' },
    });
    this.log('notification delivery failed', { id: record._id, error: reason });
  }

  /** Queues a failed (or sent) notice again, now. */
  async resend(id: string, by: string): Promise<OutboxRecord | null> {
    return this.records.findOneAndUpdate(
      { _id: id, status: { $in: ['failed', 'sent'] } },
      { $set: { status: 'queued', nextAttemptAt: this.clock.now(), retrySince: this.clock.now(), resentBy: by }, $unset: { failedAt: '', claimedBy: '', claimUntil: '' } },
      { returnDocument: 'after' },
    );
  }
}
