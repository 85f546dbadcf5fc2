/** Definitions: read published versions, compare form versions, check and publish new ones. */
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

/** One problem: `path` is a JSON pointer, a BPMN element id or "line N"; `element` is the BPMN id when known. */
const problemSchema = {
  type: 'object',
  properties: { path: { type: 'string' }, message: { type: 'string' }, element: { type: 'string' }, rule: { type: 'string' }, line: { type: 'integer' }, column: { type: 'integer' } },
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

  app.get('/api/definitions/publishing', {
    schema: {
      tags: ['definitions'],
      summary: 'Whether the caller may publish definitions (holds one of the publisher roles)',
      response: { 200: { type: 'object', properties: { allowed: { type: 'boolean' }, roles: { type: 'array', items: { type: 'string' } } } } },
    },
  }, async (request) => ({
    allowed: config.publisherRoles.some((role) => request.principal!.roles.includes(role)),
    roles: config.publisherRoles,
  }));

  app.post<{ Params: { kind: Kind; key: string }; Body: Record<string, unknown> }>('/api/definitions/:kind/:key/validate', {
    preHandler: requireRole(config.publisherRoles),
    schema: {
      tags: ['definitions'],
      summary: 'Run every publish check on a candidate version without storing it',
      description: 'Answers 200 with the problems publishing would refuse (errors) and those it would accept (warnings); `valid` is true when there are no errors.',
      params: kindKeyParams,
      body: { type: 'object', additionalProperties: true },
      response: {
        200: {
          type: 'object',
          properties: { valid: { type: 'boolean' }, errors: { type: 'array', items: problemSchema }, warnings: { type: 'array', items: problemSchema } },
        },
      },
    },
  }, async (request) => {
    const { errors, warnings } = await definitions.validate(request.params.kind, request.params.key, request.body);
    return { valid: errors.length === 0, errors, warnings };
  });

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
