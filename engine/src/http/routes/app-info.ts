/** What the browser apps need to know about this server before anyone signs in: the optional demo pages it offers. */
import type { FastifyInstance } from 'fastify';
import type { EngineServices } from '../../services.js';

export async function appInfoRoutes(app: FastifyInstance, { mailCatcher }: EngineServices): Promise<void> {
  app.get('/api/app-info', {
    schema: {
      tags: ['system'],
      summary: 'Facts about this server for the browser apps',
      response: {
        200: {
          type: 'object',
          properties: {
            demoMailUrl: { type: ['string', 'null'], description: 'Where the demo mail viewer is, when the server runs in demo mode with its local mail catcher; null otherwise.' },
          },
        },
      },
    },
  }, async () => ({ demoMailUrl: mailCatcher ? '/demo/mail' : null }));
}
