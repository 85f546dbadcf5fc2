/** Delivery of queued notifications to a real SMTP server on loopback (smtp-server), with the test clock. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { MailCatcher } from '../../src/notifications/mail-catcher.js';
import { createHarness, openMatter, seedApproval, type Harness } from '../runtime/harness.js';

let h: Harness;
let catcher: MailCatcher;
let port: number;

async function engineWithSmtp(smtpPort: number): Promise<void> {
  h.config.mail = { ...h.config.mail, smtpUrl: `smtp://127.0.0.1:${smtpPort}` };
  h.config.delivery = { ...h.config.delivery, retryBaseSeconds: 60, giveUpHours: 2 };
  await h.close();
  await h.open();
}

/** Queues one notice on a new matter: To the worker, CC the supervisor. */
async function queueOne(id: string) {
  const { notifier } = h.engine.services;
  const matter = await openMatter(h);
  await notifier.notify({ id, template: 'reminder', to: 'case:worker', cc: 'case:supervisor', caseId: matter._id });
  return matter;
}

const status = async (id: string) => (await h.engine.services.outbox.records.findOne({ _id: id }))!;

beforeEach(async () => {
  catcher = new MailCatcher();
  port = await catcher.start();
  h = await createHarness();
  await seedApproval(h);
  await engineWithSmtp(port);
});
afterEach(async () => {
  await h.destroy();
  await catcher.stop();
});

describe('notification delivery over SMTP', () => {
  it('delivers a queued notice once, with its To, CC, subject and Message-ID, and marks it sent', async () => {
    const matter = await queueOne('n1');
    const report = await h.engine.services.delivery!.runDue();
    expect(report).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(catcher.messages).toHaveLength(1);
    const [mail] = catcher.messages;
    expect(mail.envelopeTo.sort()).toEqual(['supa1@example.org', 'worker@example.org']);
    expect(mail.to).toBe('"worker Test" <worker@example.org>');
    expect(mail.cc).toBe('"supA1 Test" <supa1@example.org>');
    expect(mail.subject).toBe(`Matter ${matter.number} waits for your review`);
    expect(mail.messageId).toMatch(/^<n1@localhost>$/);
    expect(await status('n1')).toMatchObject({ status: 'sent', attempts: 1, messageId: '<n1@localhost>' });
    expect((await status('n1')).response).toMatch(/^250/);
    // nothing is sent twice in the normal path
    expect(await h.engine.services.delivery!.runDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(catcher.messages).toHaveLength(1);
  });

  it('retries with backoff while the server is down and delivers once when it is back', async () => {
    await queueOne('n2');
    await catcher.stop();
    const delivery = h.engine.services.delivery!;
    expect(await delivery.runDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const first = await status('n2');
    expect(first).toMatchObject({ status: 'queued', attempts: 1 });
    expect(first.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(first.nextAttemptAt!.getTime() - h.clock.now().getTime()).toBe(60_000);
    // not due yet: nothing is tried
    expect(await delivery.runDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    h.clock.advance(60_000);
    expect(await delivery.runDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect((await status('n2')).nextAttemptAt!.getTime() - h.clock.now().getTime()).toBe(120_000); // doubled

    catcher = new MailCatcher({ port });
    await catcher.start();
    h.clock.advance(120_000);
    expect(await delivery.runDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    h.clock.advance(3600_000);
    await delivery.runDue();
    expect(catcher.messages).toHaveLength(1);
    expect(await status('n2')).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('gives up after the configured time, leaving the notice failed for an administrator to resend', async () => {
    await queueOne('n3');
    await catcher.stop();
    const delivery = h.engine.services.delivery!;
    for (let i = 0; i < 10 && (await status('n3')).status !== 'failed'; i++) {
      await delivery.runDue();
      h.clock.advance(30 * 60_000);
    }
    expect(await status('n3')).toMatchObject({ status: 'failed' });
    catcher = new MailCatcher({ port });
    await catcher.start();
    await delivery.runDue();
    expect(catcher.messages).toHaveLength(0);
    await delivery.resend('n3', h.users.admin.userId);
    expect(await delivery.runDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await status('n3')).toMatchObject({ status: 'sent', resentBy: h.users.admin.userId });
  });

  it('fails at once when the server refuses a recipient permanently (5xx)', async () => {
    const refusing = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onRcptTo: (address, _session, callback) => callback(Object.assign(new Error('no such mailbox'), { responseCode: 550 })),
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', () => resolve()));
    try {
      await engineWithSmtp((refusing.server.address() as AddressInfo).port);
      await queueOne('n4');
      expect(await h.engine.services.delivery!.runDue()).toEqual({ sent: 0, retrying: 0, failed: 1 });
      expect((await status('n4')).lastError).toMatch(/550/);
    } finally {
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });

  it('fails a notice that has nobody to go to, saying which rules found nobody', async () => {
    const { notifier } = h.engine.services;
    const matter = await openMatter(h);
    await notifier.notify({ id: 'n5', template: 'reminder', to: 'case:admin', caseId: matter._id });
    expect(await h.engine.services.delivery!.runDue()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect((await status('n5')).lastError).toBe('nobody to send to (unresolved: case:admin)');
  });

  it('two delivery workers on one store send each notice once', async () => {
    for (let i = 0; i < 6; i++) await queueOne(`m${i}`);
    const second = h.engine.services.delivery!;
    // another worker node on the same store:
    const { DeliveryWorker } = await import('../../src/notifications/delivery.js');
    const nodemailer = (await import('nodemailer')).default;
    const other = new DeliveryWorker(h.engine.services.outbox.records, nodemailer.createTransport(`smtp://127.0.0.1:${port}`), h.clock, {
      from: 'no-reply@example.org', messageIdDomain: 'localhost', retryBaseMs: 60_000, maxRetryMs: 3600_000, giveUpAfterMs: 3600_000, claimMs: 300_000, batch: 50,
    });
    const [a, b] = await Promise.all([second.runDue(), other.runDue()]);
    expect(a.sent + b.sent).toBe(6);
    expect(catcher.messages.map((m) => m.messageId).sort()).toEqual(['<m0@localhost>', '<m1@localhost>', '<m2@localhost>', '<m3@localhost>', '<m4@localhost>', '<m5@localhost>']);
  });
});
