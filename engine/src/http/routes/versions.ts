/**
 * Version changes, for publishers: what still runs on older versions (in-progress documents of
 * a form, running instances of a process) and moving running instances to a newer version.
 */
import type { FastifyInstance } from 'fastify';
import type { EngineServices } from '../../services.js';
import { callerOf, requireRole } from '../auth-plugin.js';

const keyParams = {
  type: 'object', required: ['key'],
  properties: { key: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,63}$' } },
} as const;

const olderThanQuery = {
  type: 'object', additionalProperties: false,
  properties: { olderThan: { type: 'integer', minimum: 1, description: 'count and list versions below this one (default: the latest)' } },
} as const;

const versionPair = {
  from: { type: 'integer', minimum: 1, description: 'the version the instances run on' },
  to: { type: 'integer', minimum: 1, description: 'the newer version they move to' },
} as const;

export async function versionRoutes(app: FastifyInstance, { versionUsage, migrations, config }: EngineServices): Promise<void> {
  app.addHook('preHandler', app.authenticated);
  const publishers = requireRole(config.publisherRoles);

  app.get<{ Params: { key: string }; Querystring: { olderThan?: number } }>('/api/definitions/form/:key/in-progress', {
    preHandler: publishers,
    schema: {
      tags: ['definitions'],
      summary: 'Documents still in progress (drafts) on older versions of a form: they keep their version',
      params: keyParams, querystring: olderThanQuery,
    },
  }, async (request) => versionUsage.formDocuments(request.params.key, request.query.olderThan));

  app.get<{ Params: { key: string }; Querystring: { olderThan?: number } }>('/api/processes/:key/open-instances', {
    preHandler: publishers,
    schema: {
      tags: ['processes'],
      summary: 'Running instances per version of a process, and those on older versions: they keep their version unless migrated',
      params: keyParams, querystring: olderThanQuery,
    },
  }, async (request) => versionUsage.processInstances(request.params.key, request.query.olderThan));

  app.get<{ Params: { key: string }; Querystring: { from: number; to: number } }>('/api/processes/:key/migrations/proposal', {
    preHandler: publishers,
    schema: {
      tags: ['processes'],
      summary: 'The proposed activity mapping from one version to another (same ids), and what has no match',
      params: keyParams,
      querystring: { type: 'object', required: ['from', 'to'], additionalProperties: false, properties: versionPair },
    },
  }, async (request) => migrations.proposal(request.params.key, request.query.from, request.query.to));

  app.post<{ Params: { key: string }; Body: { from: number; to: number; mapping?: Record<string, string | null>; dryRun: boolean } }>('/api/processes/:key/migrations', {
    preHandler: publishers,
    schema: {
      tags: ['processes'],
      summary: 'Move running instances of a version to a newer one: a dry run lists where each lands and what blocks it; the real run moves all or none',
      params: keyParams,
      body: {
        type: 'object', required: ['from', 'to', 'dryRun'], additionalProperties: false,
        properties: {
          ...versionPair,
          mapping: {
            type: 'object', maxProperties: 1000, description: 'old activity id -> new activity id, or null; overrides the proposal',
            additionalProperties: { type: ['string', 'null'], maxLength: 255 },
          },
          dryRun: { type: 'boolean' },
        },
      },
    },
  }, async (request) => {
    const { from, to, mapping, dryRun } = request.body;
    const report = await migrations.migrate({ processKey: request.params.key, from, to, ...(mapping ? { mapping } : {}), dryRun, by: callerOf(request).userId });
    if (!dryRun) {
      await request.audit({ action: 'process.migrate', entity: { type: 'process', id: `${request.params.key}@${from}->${to}` }, details: { migrated: report.migrated } });
    }
    return report;
  });
}
