/** Documents on a case: start (prefilled), read, save a draft, submit with a signature. */
import type { FastifyInstance } from 'fastify';
import type { EngineServices } from '../../services.js';
import { callerOf } from '../auth-plugin.js';
import { documentSchema, formDataSchema, idParam } from '../schemas.js';

export async function documentRoutes(app: FastifyInstance, { documents }: EngineServices): Promise<void> {
  app.addHook('preHandler', app.authenticated);

  app.post<{ Params: { id: string }; Body: { form: string } }>('/api/cases/:id/documents', {
    schema: {
      tags: ['documents'],
      summary: 'Start a draft of a form on a case, prefilled from the case',
      params: idParam,
      body: { type: 'object', required: ['form'], additionalProperties: false, properties: { form: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,63}$' } } },
      response: { 201: documentSchema },
    },
  }, async (request, reply) => reply.status(201).send(await documents.create(callerOf(request), request.params.id, request.body.form)));

  app.get<{ Params: { id: string } }>('/api/cases/:id/documents', {
    schema: { tags: ['documents'], summary: 'Documents on a case (without their data)', params: idParam, response: { 200: { type: 'array', items: documentSchema } } },
  }, async (request) => documents.listForCase(callerOf(request), request.params.id));

  app.get<{ Params: { id: string } }>('/api/documents/:id', {
    schema: { tags: ['documents'], summary: 'One document with its data', params: idParam, response: { 200: documentSchema } },
  }, async (request) => documents.get(callerOf(request), request.params.id));

  app.put<{ Params: { id: string }; Body: { data: Record<string, any>; version: number } }>('/api/documents/:id', {
    schema: {
      tags: ['documents'],
      summary: 'Save a draft (types are checked; required fields may be missing)',
      params: idParam,
      body: {
        type: 'object', required: ['data', 'version'], additionalProperties: false,
        properties: { data: formDataSchema, version: { type: 'integer', minimum: 1 } },
      },
      response: { 200: documentSchema },
    },
  }, async (request) => documents.saveDraft(callerOf(request), request.params.id, request.body.data, request.body.version));

  app.post<{ Params: { id: string }; Body: { data?: Record<string, any>; version: number; signature: { name: string } } }>('/api/documents/:id/submit', {
    schema: {
      tags: ['documents'],
      summary: 'Sign and submit: the whole form must be valid; the document becomes read-only',
      params: idParam,
      body: {
        type: 'object', required: ['version', 'signature'], additionalProperties: false,
        properties: {
          data: formDataSchema,
          version: { type: 'integer', minimum: 1 },
          signature: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 200 } } },
        },
      },
      response: { 200: documentSchema },
    },
  }, async (request) =>
    documents.submit(callerOf(request), request.params.id, {
      data: request.body.data,
      signatureName: request.body.signature.name,
      expectedVersion: request.body.version,
    }));
}
