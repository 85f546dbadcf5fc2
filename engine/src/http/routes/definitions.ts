/** Definitions: read published versions, compare form versions, publish new ones. */
import type { FastifyInstance } from 'fastify';
import type { EngineServices } from '../../services.js';
import { requireRole } from '../auth-plugin.js';

const KINDS = ['form', 'caseType', 'process', 'lookup', 'calendar'] as const;
type Kind = (typeof KINDS)[number];

const kindKeyParams = {
  type: 'object',
  required: ['kind', 'key'],
  properties: { kind: { type: 'string', enum: KINDS }, key: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,63}$' } },
} as const;

const definitionSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string' },
    key: { type: 'string' },
    version: { type: 'integer' },
    hash: { type: 'string' },
    publishedAt: { type: 'string', format: 'date-time' },
    publishedBy: { type: 'string' },
    content: { type: 'object', additionalProperties: true },
  },
} as const;

export async function definitionRoutes(app: FastifyInstance, { definitions, config }: EngineServices): Promise<void> {
  app.addHook('preHandler', app.authenticated);

  app.get<{ Querystring: { kind?: Kind } }>('/api/definitions', {
    schema: {
      tags: ['definitions'],
      summary: 'The latest version of every definition (optionally of one kind)',
      querystring: { type: 'object', additionalProperties: false, properties: { kind: { type: 'string', enum: KINDS } } },
      response: { 200: { type: 'array', items: definitionSchema } },
    },
  }, async (request) => definitions.list(request.query.kind));

  app.get<{ Params: { kind: Kind; key: string } }>('/api/definitions/:kind/:key', {
    schema: { tags: ['definitions'], summary: 'The latest version of a definition', params: kindKeyParams, response: { 200: definitionSchema } },
  }, async (request) => definitions.latest(request.params.kind, request.params.key));

  app.get<{ Params: { kind: Kind; key: string } }>('/api/definitions/:kind/:key/versions', {
    schema: { tags: ['definitions'], summary: 'Every published version of a definition', params: kindKeyParams, response: { 200: { type: 'array', items: definitionSchema } } },
  }, async (request) => definitions.versions(request.params.kind, request.params.key));

  app.get<{ Params: { kind: Kind; key: string; version: number } }>('/api/definitions/:kind/:key/versions/:version', {
    schema: {
      tags: ['definitions'],
      summary: 'One published version of a definition',
      params: { ...kindKeyParams, required: ['kind', 'key', 'version'], properties: { ...kindKeyParams.properties, version: { type: 'integer', minimum: 1 } } },
      response: { 200: definitionSchema },
    },
  }, async (request) => definitions.get(request.params.kind, request.params.key, request.params.version));

  app.get<{ Params: { kind: 'form' | 'caseType'; key: string }; Querystring: { from: number; to: number } }>('/api/definitions/:kind/:key/diff', {
    schema: {
      tags: ['definitions'],
      summary: 'Fields added, removed and changed between two versions of a form',
      params: { ...kindKeyParams, properties: { ...kindKeyParams.properties, kind: { type: 'string', enum: ['form', 'caseType'] } } },
      querystring: {
        type: 'object', required: ['from', 'to'], additionalProperties: false,
        properties: { from: { type: 'integer', minimum: 1 }, to: { type: 'integer', minimum: 1 } },
      },
    },
  }, async (request) => definitions.diffForms(request.params.kind, request.params.key, request.query.from, request.query.to));

  app.post<{ Params: { kind: Kind; key: string }; Body: Record<string, unknown> }>('/api/definitions/:kind/:key', {
    preHandler: requireRole(config.publisherRoles),
    schema: {
      tags: ['definitions'],
      summary: 'Publish a new version (validated first; identical content publishes nothing)',
      params: kindKeyParams,
      body: { type: 'object', additionalProperties: true },
      response: { 200: { type: 'object', properties: { created: { type: 'boolean' }, definition: definitionSchema } } },
    },
  }, async (request) => {
    const { definition, created } = await definitions.publish(request.params.kind, request.params.key, request.body as any, request.principal!.userId);
    if (created) await request.audit({ action: 'definition.publish', entity: { type: definition.kind, id: `${definition.key}@${definition.version}` } });
    return { definition, created };
  });
}
