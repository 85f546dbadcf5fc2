/** Period reviews over HTTP: a month's totals and its authors' summaries a page at a time, one author's documents a page at a time, and the month's submission. */
import type { FastifyInstance } from 'fastify';
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

const page = {
  skip: { type: 'integer', minimum: 0, maximum: 1_000_000, description: 'How many to pass over (default 0)' },
  limit: { type: 'integer', minimum: 1, maximum: 200, description: 'How many to list (default 25)' },
} as const;

const authorSummary = {
  type: 'object',
  properties: {
    userId: { type: 'string' }, name: { type: 'string' },
    counts: { type: 'object', additionalProperties: { type: 'integer' } }, totals: { type: 'object', additionalProperties: { type: 'number' } },
    count: { type: 'integer' }, total: { type: 'number' },
  },
} as const;

export async function periodReviewRoutes(app: FastifyInstance, services: EngineServices): Promise<void> {
  const reviews = services.periodReviews;
  app.addHook('preHandler', app.authenticated);

  app.get('/api/period-reviews', {
    schema: {
      tags: ['period reviews'],
      summary: 'The period reviews you may do',
      response: { 200: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, title: { type: 'string' } } } } },
    },
  }, async (request) => reviews.available(callerOf(request)).map(({ key, title }) => ({ key, title })));

  app.get<{ Params: { key: string; period: string }; Querystring: { skip?: number; limit?: number } }>('/api/period-reviews/:key/:period', {
    schema: {
      tags: ['period reviews'],
      summary: "A month's submitted documents of the review's form recorded under your scope: counts and totals per category, the grand total, one page of the authors' summaries (by name), and whether the month was submitted",
      params,
      querystring: { type: 'object', additionalProperties: false, properties: page },
      response: {
        200: {
          type: 'object',
          properties: {
            review: {
              type: 'object',
              properties: {
                key: { type: 'string' }, title: { type: 'string' }, measureUnit: { type: 'string' },
                authorTitle: { type: 'string' }, countTitle: { type: 'string' }, caseNumberTitle: { type: 'string' }, categoryTitle: { type: 'string' }, measureTitle: { type: 'string' }, columns: { type: 'object', additionalProperties: { type: 'string' } },
              },
            },
            period: { type: 'string' },
            scope: { type: 'string' },
            authors: { type: 'array', items: authorSummary },
            authorCount: { type: 'integer' },
            documentCount: { type: 'integer' },
            counts: { type: 'object', additionalProperties: { type: 'integer' } },
            totals: { type: 'object', additionalProperties: { type: 'number' } },
            total: { type: 'number' },
            submission,
          },
        },
      },
    },
  }, async (request) => reviews.view(callerOf(request), request.params.key, request.params.period, request.query));

  app.get<{ Params: { key: string; period: string }; Querystring: { author: string; skip?: number; limit?: number } }>('/api/period-reviews/:key/:period/documents', {
    schema: {
      tags: ['period reviews'],
      summary: "One page of an author's submitted documents of the month recorded under your scope, by category, then date, with the author's summary and the number of documents",
      params,
      querystring: { type: 'object', required: ['author'], additionalProperties: false, properties: { author: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' }, ...page } },
      response: {
        200: {
          type: 'object',
          properties: {
            author: authorSummary,
            total: { type: 'integer' },
            items: {
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
    },
  }, async (request) => reviews.authorDocuments(callerOf(request), request.params.key, request.params.period, request.query));

  app.post<{ Params: { key: string; period: string } }>('/api/period-reviews/:key/:period/submit', {
    schema: { tags: ['period reviews'], summary: 'Submit the month (once per month for your scope); keeps its totals as they are now', params, response: { 201: submission } },
  }, async (request, reply) => {
    const record = await reviews.submit(callerOf(request), request.params.key, request.params.period);
    await request.audit({ action: 'period.submit', entity: { type: 'period-review', id: record._id }, details: { total: record.total, documentCount: record.documentCount } });
    return reply.status(201).send(record);
  });
}
