/** Deliverables of a case: what it owes, the window and due day of each, and its status now. */
import type { FastifyInstance } from 'fastify';
import type { EngineServices } from '../../services.js';
import { callerOf } from '../auth-plugin.js';
import { deliverableSchema, idParam } from '../schemas.js';

export async function deliverableRoutes(app: FastifyInstance, { deliverables }: EngineServices): Promise<void> {
  app.addHook('preHandler', app.authenticated);

  app.get<{ Params: { id: string } }>('/api/cases/:id/deliverables', {
    schema: {
      tags: ['cases'],
      summary: "The case's deliverables in their configured order, with window, due day and status (upcoming, open, alert, overdue, completed, completed-late, not-required)",
      params: idParam,
      response: { 200: { type: 'array', items: deliverableSchema } },
    },
  }, async (request) => deliverables.forCase(callerOf(request), request.params.id));
}
