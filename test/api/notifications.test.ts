/** In-app notifications, the outbox for delivery administrators, resend, and the demo mail viewer, over HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailCatcher } from '../../engine/src/notifications/mail-catcher.js';
import { startTestEngine, type Client, type TestEngine } from '../support/engine.js';

let t: TestEngine;
let catcher: MailCatcher;
let worker: Client;
let admin: Client;
let caseId: string;

beforeAll(async () => {
  catcher = new MailCatcher();
  const port = await catcher.start();
  t = await startTestEngine({ mail: { from: 'no-reply@example.org', smtpUrl: `smtp://127.0.0.1:${port}` } }, { mailCatcher: catcher });
  worker = await t.login('csw.garcia@example.org');
  admin = await t.login('program.admin@example.org');
  const garcia = (await t.engine.services.users.byEmail('csw.garcia@example.org'))!;
  const found = await t.engine.services.cases.cases.findOne({ people: { $elemMatch: { role: 'CSW', userId: garcia._id } } });
  caseId = found!._id;
  await t.engine.services.notifier.notify({
    id: 'api-n1', template: 'assigned-worker-changed', to: 'case:CSW', cc: 'inbox:dcfs-csec', caseId,
    data: { role: 'CSW', previous: { name: '<b>Old</b>', email: 'old@example.org' }, current: { name: 'New', email: 'new@example.org' } },
  });
});
afterAll(async () => {
  await t.stop();
  await catcher.stop();
});

describe('notifications over HTTP', () => {
  it("lists a user's own messages, and only theirs", async () => {
    const mine = await worker.get('/api/notifications');
    expect(mine.status).toBe(200);
    const own = mine.body.find((n: any) => n._id === 'api-n1');
    expect(own).toMatchObject({ subject: expect.stringContaining('new CSW on assignment'), status: 'queued' });
    const garcia = (await t.engine.services.users.byEmail('csw.garcia@example.org'))!._id;
    for (const n of mine.body) expect([...n.to, ...n.cc].map((r: any) => r.userId)).toContain(garcia);
    const other = await (await t.login('csw.okafor@example.org')).get('/api/notifications');
    expect(other.body.map((n: any) => n._id)).not.toContain('api-n1');
    expect((await t.anonymous.get('/api/notifications')).status).toBe(401);
  });

  it('shows the outbox to delivery administrators only, and resends sent or failed notices', async () => {
    expect((await worker.get('/api/outbox')).status).toBe(403);
    const queued = await admin.get('/api/outbox?status=queued');
    expect(queued.status).toBe(200);
    expect(queued.body.map((n: any) => n._id)).toContain('api-n1');
    expect((await admin.get('/api/outbox?status=lost')).status).toBe(400);

    expect((await admin.post('/api/outbox/api-n1/resend')).status).toBe(409); // still queued
    expect((await admin.post('/api/outbox/nope/resend')).status).toBe(404);
    expect((await admin.post('/api/outbox/bad%20id!/resend')).status).toBe(400);
    expect((await worker.post('/api/outbox/api-n1/resend')).status).toBe(403);

    await t.engine.services.delivery!.runDue();
    const sent = () => catcher.messages.filter((m) => m.messageId === '<api-n1@localhost>');
    expect(sent().map((m) => m.envelopeTo)).toEqual([['csw.garcia@example.org', 'dcfs-csec-admin@example.org']]);
    const again = await admin.post('/api/outbox/api-n1/resend');
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('queued');
    await t.engine.services.delivery!.runDue();
    expect(sent()).toHaveLength(2);
    const audit = await t.engine.services.audit.search({ action: 'notification.resend' });
    expect(audit.items).toHaveLength(1);
  });

  it('shows what was sent on the demo mail viewer, escaped', async () => {
    const page = await t.anonymous.get('/demo/mail');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.raw).toContain('new CSW on assignment');
    expect(page.raw).toContain('&lt;b&gt;Old&lt;/b&gt;');
    expect(page.raw).not.toContain('<b>Old</b>');
  });
});
