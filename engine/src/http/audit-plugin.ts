/**
 * Attributes every audited action to the caller: `request.audit(...)` fills in who, from
 * where and when; refusals (403, and 404 on a record the caller may not see) are recorded as
 * denials without any route doing so.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditLog, NewAuditEntry } from '../audit/audit-log.js';

type AuditInput = Omit<NewAuditEntry, 'userId' | 'userName' | 'ip' | 'userAgent' | 'outcome'> & { outcome?: NewAuditEntry['outcome'] };

declare module 'fastify' {
  interface FastifyRequest {
    audit: (entry: AuditInput) => Promise<void>;
  }
}

/** Routes whose 404 means "no such record, or not yours": a denial worth recording. */
const RECORD_ROUTE = /^\/api\/(cases|documents|files|tasks|instances)\/[^/?]+/;

export function entryFor(request: FastifyRequest, entry: AuditInput): NewAuditEntry {
  const principal = request.principal;
  return {
    outcome: 'done',
    ...entry,
    userId: principal?.userId ?? null,
    userName: principal?.name ?? null,
    ip: request.ip,
    userAgent: String(request.headers['user-agent'] ?? '').slice(0, 200),
  };
}

export async function auditPlugin(app: FastifyInstance, audit: AuditLog): Promise<void> {
  app.decorateRequest('audit', async function record(this: FastifyRequest, entry: AuditInput) {
    await audit.record(entryFor(this, entry));
  } as unknown as FastifyRequest['audit']);

  // Before the answer goes out, so a denial is on record by the time the caller sees it.
  app.addHook('onSend', async (request, reply, payload) => {
    const status = reply.statusCode;
    const path = request.url.split('?')[0];
    if (status === 403 || (status === 404 && RECORD_ROUTE.test(path) && request.principal)) {
      await audit
        .record(entryFor(request, { action: 'access.denied', outcome: 'denied', details: { method: request.method, path, status } }))
        .catch((error) => request.log.error({ err: error }, 'audit record failed'));
    }
    return payload;
  });
}
