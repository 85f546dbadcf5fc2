/** Period reviews over HTTP: a month of a form's documents per author with totals, and its submission. */
import type { FastifyInstance } from 'fastify';
import { PeriodReviews } from '../../reviews/period-reviews.js';
import type { EngineServices } from '../../services.js';
import { callerOf } from '../auth-plugin.js';

const params = {
  type: 'object',
  required: ['key', 'period'],
  additionalProperties: false,
  properties: { key: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,63}$' }, period: { type: 'string', maxLength: 7, description: 'A month, YYYY-MM' } },
} as const;

const submission = {
  type: ['object', 'null'],
  properties: {
    review: { type: 'string' }, period: { type: 'string' }, scope: { type: 'string' },
    totals: { type: 'object', additionalProperties: { type: 'number' } }, total: { type: 'number' }, documentCount: { type: 'integer' },
    submittedAt: { type: 'string', format: 'date-time' }, submittedBy: { type: 'string' }, submittedByName: { type: 'string' },
  },
} as const;

export async function periodReviewRoutes(app: FastifyInstance, services: EngineServices): Promise<void> {
  const reviews = new PeriodReviews(services.store, services.config.periodReviews, services);
  await reviews.init();
  app.addHook('preHandler', app.authenticated);

  app.get('/api/period-reviews', {
    schema: {
      tags: ['period reviews'],
      summary: 'The period reviews you may do',
      response: { 200: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, title: { type: 'string' } } } } },
    },
  }, async (request) => reviews.available(callerOf(request)).map(({ key, title }) => ({ key, title })));

  app.get<{ Params: { key: string; period: string } }>('/api/period-reviews/:key/:period', {
    schema: {
      tags: ['period reviews'],
      summary: "A month's submitted documents of the review's form on the cases you see, per author, with totals per category and a grand total, and whether the month was submitted",
      params,
      response: {
        200: {
          type: 'object',
          properties: {
            review: {
              type: 'object',
              properties: {
                key: { type: 'string' }, title: { type: 'string' }, measureUnit: { type: 'string' },
                caseNumberTitle: { type: 'string' }, categoryTitle: { type: 'string' }, measureTitle: { type: 'string' }, columns: { type: 'object', additionalProperties: { type: 'string' } },
              },
            },
            period: { type: 'string' },
            scope: { type: 'string' },
            authors: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  userId: { type: 'string' }, name: { type: 'string' },
                  totals: { type: 'object', additionalProperties: { type: 'number' } }, total: { type: 'number' },
                  documents: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        documentId: { type: 'string' }, caseId: { type: 'string' }, caseNumber: { type: 'string' }, date: { type: 'string' },
                        category: { type: 'string' }, measure: { type: 'number' }, fields: { type: 'object', additionalProperties: true },
                      },
                    },
                  },
                },
              },
            },
            totals: { type: 'object', additionalProperties: { type: 'number' } },
            total: { type: 'number' },
            submission,
          },
        },
      },
    },
  }, async (request) => reviews.view(callerOf(request), request.params.key, request.params.period));

  app.post<{ Params: { key: string; period: string } }>('/api/period-reviews/:key/:period/submit', {
    schema: { tags: ['period reviews'], summary: 'Submit the month (once per month for your scope); keeps its totals as they are now', params, response: { 201: submission } },
  }, async (request, reply) => {
    const record = await reviews.submit(callerOf(request), request.params.key, request.params.period);
    await request.audit({ action: 'period.submit', entity: { type: 'period-review', id: record._id }, details: { total: record.total, documentCount: record.documentCount } });
    return reply.status(201).send(record);
  });
}
