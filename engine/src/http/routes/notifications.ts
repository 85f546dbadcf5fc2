/**
 * Notifications: a user's own messages (the same ones e-mailed to them), the outbox for the
 * administrators who watch delivery (failed ones can be resent), and, in demo mode, a page
 * showing every e-mail the engine sent to its local mail catcher.
 */
import type { FastifyInstance } from 'fastify';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { EngineServices } from '../../services.js';
import { escapeHtml } from '../../notifications/template.js';
import { callerOf, requireRole } from '../auth-plugin.js';

const outboxId = {
  type: 'object', required: ['id'], additionalProperties: false,
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,200}$' } },
} as const;

const recipient = { type: 'object', properties: { email: { type: 'string' }, name: { type: 'string' }, userId: { type: 'string' } } } as const;
const notice = {
  type: 'object',
  properties: {
    _id: { type: 'string' }, template: { type: 'string' }, subject: { type: 'string' }, text: { type: 'string' }, link: { type: 'string' },
    caseId: { type: ['string', 'null'] }, documentId: { type: ['string', 'null'] },
    to: { type: 'array', items: recipient }, cc: { type: 'array', items: recipient }, unresolved: { type: 'array', items: { type: 'string' } },
    status: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' }, sentAt: { type: 'string', format: 'date-time' },
    attempts: { type: 'integer' }, lastError: { type: 'string' }, nextAttemptAt: { type: 'string', format: 'date-time' },
  },
} as const;

export async function notificationRoutes(app: FastifyInstance, services: EngineServices): Promise<void> {
  const { outbox, delivery, config } = services;
  app.addHook('preHandler', app.authenticated);

  app.get<{ Querystring: { limit?: number } }>('/api/notifications', {
    schema: {
      tags: ['notifications'],
      summary: 'The messages sent to the caller (To or CC), newest first',
      querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 200 } } },
      response: { 200: { type: 'array', items: notice } },
    },
  }, async (request) => {
    const { userId } = callerOf(request);
    return outbox.records.find(
      { $or: [{ 'to.userId': userId }, { 'cc.userId': userId }] },
      { sort: { createdAt: -1 }, limit: request.query.limit ?? 50, projection: { html: 0 } },
    );
  });

  app.get<{ Querystring: { status?: string; caseId?: string; limit?: number } }>('/api/outbox', {
    preHandler: requireRole(config.delivery.adminRoles),
    schema: {
      tags: ['notifications'],
      summary: 'Queued, sent and failed notifications (delivery administrators)',
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          status: { type: 'string', enum: ['queued', 'sending', 'sent', 'failed'] },
          caseId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
          limit: { type: 'integer', minimum: 1, maximum: 500 },
        },
      },
      response: { 200: { type: 'array', items: notice } },
    },
  }, async (request) => {
    const { status, caseId, limit } = request.query;
    return outbox.records.find({ ...(status ? { status } : {}), ...(caseId ? { caseId } : {}) }, { sort: { createdAt: -1 }, limit: limit ?? 100, projection: { html: 0 } });
  });

  app.post<{ Params: { id: string } }>('/api/outbox/:id/resend', {
    preHandler: requireRole(config.delivery.adminRoles),
    schema: { tags: ['notifications'], summary: 'Send a failed (or sent) notification again', params: outboxId, response: { 200: notice } },
  }, async (request) => {
    const { id } = request.params;
    const existing = await outbox.records.findOne({ _id: id }, { projection: { status: 1 } });
    if (!existing) throw new NotFoundError(`No notification ${id}`);
    if (!delivery) throw new ConflictError('No SMTP server is configured (SMTP_URL), so nothing can be sent.');
    const queued = await delivery.resend(id, callerOf(request).userId);
    if (!queued) throw new ConflictError(`The notification is ${existing.status}; only a failed or sent one can be sent again.`);
    await request.audit({ action: 'notification.resend', entity: { type: 'notification', id }, ...(queued.caseId ? { caseId: queued.caseId } : {}) });
    return queued;
  });
}

/** The demo mail viewer: every message the local mail catcher received, newest first. */
export async function demoMailRoutes(app: FastifyInstance, { mailCatcher }: EngineServices): Promise<void> {
  if (!mailCatcher) return;
  app.get('/demo/mail', { schema: { hide: true } }, async (_request, reply) => {
    const rows = [...mailCatcher.messages].reverse().map((m) => `
      <article>
        <h2>${escapeHtml(m.subject)}</h2>
        <dl><dt>To</dt><dd>${escapeHtml(m.to)}</dd><dt>CC</dt><dd>${escapeHtml(m.cc || '-')}</dd>
        <dt>Received</dt><dd>${escapeHtml(m.receivedAt.toLocaleString('en-US'))}</dd></dl>
        <pre>${escapeHtml(m.text)}</pre>
      </article>`).join('');
    reply.type('text/html; charset=utf-8');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo mail</title>
      <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
      article{border:1px solid #ccc;border-radius:6px;padding:0 1rem 1rem;margin:1rem 0}dl{display:grid;grid-template-columns:6rem 1fr;margin:0}
      dt{font-weight:600}pre{white-space:pre-wrap;background:#f5f5f5;padding:.75rem}</style></head>
      <body><h1>E-mail sent by the demo (${mailCatcher.messages.length})</h1>
      <p>The demo delivers every e-mail to a local mail catcher instead of real inboxes; newest first.</p>${rows || '<p>Nothing sent yet.</p>'}</body></html>`;
  });
}
