/**
 * The follow-up journal for the people who run the engine (PUBLISHER_ROLES): what is still
 * pending after its write committed, with the error of a failing one, and a retry that runs one
 * now instead of after its backoff (once its cause, such as a case missing a field, is fixed).
 */
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../errors.js';
import type { EngineServices } from '../../services.js';
import { requireRole } from '../auth-plugin.js';

const followUp = {
  type: 'object',
  properties: {
    _id: { type: 'string' }, event: { type: 'string' }, kind: { type: 'string' },
    payload: { type: 'object', additionalProperties: true }, status: { type: 'string' }, attempts: { type: 'integer' },
    lastError: { type: 'string' }, runAfter: { type: 'string', format: 'date-time' }, createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

export async function followUpRoutes(app: FastifyInstance, { followUps, config }: EngineServices): Promise<void> {
  app.addHook('preHandler', app.authenticated);

  app.get<{ Querystring: { failing?: boolean; limit?: number } }>('/api/follow-ups', {
    preHandler: requireRole(config.publisherRoles),
    schema: {
      tags: ['system'],
      summary: 'Pending work after committed writes (process starts, recomputations), oldest first; `failing` keeps those that failed at least once',
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { failing: { type: 'boolean' }, limit: { type: 'integer', minimum: 1, maximum: 500 } },
      },
      response: { 200: { type: 'array', items: followUp } },
    },
  }, async (request) => {
    const { failing, limit } = request.query;
    return followUps.records.find({ status: 'pending', ...(failing ? { attempts: { $gt: 0 } } : {}) }, { sort: { createdAt: 1 }, limit: limit ?? 100 });
  });

  app.post<{ Params: { id: string } }>('/api/follow-ups/:id/retry', {
    preHandler: requireRole(config.publisherRoles),
    schema: {
      tags: ['system'],
      summary: 'Run a pending follow-up now; answers whether it succeeded and, if not, why',
      params: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,200}$' } } },
      response: { 200: { type: 'object', properties: { done: { type: 'boolean' }, error: { type: 'string' } } } },
    },
  }, async (request) => {
    const { id } = request.params;
    const outcome = await followUps.retry(id);
    if (!outcome) throw new NotFoundError(`No pending follow-up ${id} (done already, or being run right now)`);
    await request.audit({ action: 'follow-up.retry', entity: { type: 'follow-up', id }, ...(outcome.done ? {} : { outcome: 'failed', details: { error: outcome.error } }) });
    return outcome;
  });
}
