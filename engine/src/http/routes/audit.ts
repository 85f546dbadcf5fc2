/** The audit trail, searchable by case, user and time by the roles configured to audit. */
import type { FastifyInstance } from 'fastify';
import type { EngineServices } from '../../services.js';
import { requireRole } from '../auth-plugin.js';

export async function auditRoutes(app: FastifyInstance, { audit, config }: EngineServices): Promise<void> {
  app.addHook('preHandler', app.authenticated);

  app.get<{ Querystring: { caseId?: string; userId?: string; action?: string; from?: string; to?: string; skip?: number; limit?: number } }>('/api/audit', {
    preHandler: requireRole(config.auditRoles),
    schema: {
      tags: ['audit'],
      summary: 'Search the audit trail (newest first)',
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          caseId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
          userId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
          action: { type: 'string', pattern: '^[a-z.]{1,64}$' },
          from: { type: 'string', format: 'date-time' },
          to: { type: 'string', format: 'date-time' },
          skip: { type: 'integer', minimum: 0, maximum: 1_000_000 },
          limit: { type: 'integer', minimum: 1, maximum: 500 },
        },
      },
      response: {
        200: {
          type: 'object',
          properties: { total: { type: 'integer' }, items: { type: 'array', items: { type: 'object', additionalProperties: true } } },
        },
      },
    },
  }, async (request) => {
    const { from, to, ...rest } = request.query;
    return audit.search({ ...rest, ...(from ? { from: new Date(from) } : {}), ...(to ? { to: new Date(to) } : {}) });
  });
}
