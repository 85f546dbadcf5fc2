/** Cases: open, list (scoped to the caller), read. */
import type { FastifyInstance } from 'fastify';
import type { EngineServices } from '../../services.js';
import { callerOf } from '../auth-plugin.js';
import { caseListItemSchema, caseSchema, formDataSchema, idParam } from '../schemas.js';
import type { CaseQuery, NewCase } from '../../documents/case-service.js';
import { diffFields } from '../../audit/audit-log.js';

export async function caseRoutes(app: FastifyInstance, { cases, deliverables }: EngineServices): Promise<void> {
  app.addHook('preHandler', app.authenticated);

  app.post<{ Body: NewCase }>('/api/cases', {
    schema: {
      tags: ['cases'],
      summary: 'Open a case of a configured case type',
      body: {
        type: 'object',
        required: ['caseType', 'data'],
        additionalProperties: false,
        properties: {
          caseType: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,63}$' },
          data: formDataSchema,
          people: {
            type: 'array', maxItems: 50,
            items: {
              type: 'object', required: ['role', 'userId'], additionalProperties: false,
              properties: { role: { type: 'string', minLength: 1, maxLength: 64 }, userId: { type: 'string', minLength: 1, maxLength: 64 } },
            },
          },
        },
      },
      response: { 201: caseSchema },
    },
  }, async (request, reply) => {
    const created = await cases.create(callerOf(request), request.body);
    await request.audit({ action: 'case.create', entity: { type: 'case', id: created._id }, caseId: created._id, changes: diffFields({}, created.data) });
    return reply.status(201).send(created);
  });

  app.get<{ Querystring: Record<string, string | number | undefined> }>('/api/cases', {
    schema: {
      tags: ['cases'],
      summary: "Cases the caller may see (newest first, or sorted by a sortable column of the case type's listing); f.<key>=value searches a field the listing declares; status may be a status group",
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          caseType: { type: 'string', maxLength: 64 },
          status: { type: 'string', maxLength: 64 },
          number: { type: 'string', maxLength: 64 },
          ids: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64}){0,99}$', description: 'Only these cases: up to 100 ids, comma-separated' },
          sort: { type: 'string', pattern: '^-?[A-Za-z][A-Za-z0-9_]{0,39}$' },
          skip: { type: 'integer', minimum: 0, maximum: 1_000_000 },
          limit: { type: 'integer', minimum: 1, maximum: 500 },
        },
        patternProperties: { '^f\\.[A-Za-z][A-Za-z0-9_]{0,39}$': { type: 'string', maxLength: 100 } },
      },
      response: { 200: { type: 'object', properties: { total: { type: 'integer' }, items: { type: 'array', items: caseListItemSchema } } } },
    },
  }, async (request) => {
    const { caseType, status, number, ids, sort, skip, limit, ...rest } = request.query;
    const search = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k.slice(2), String(v)]));
    const query: CaseQuery = {
      caseType: caseType as string | undefined, status: status as string | undefined, number: number as string | undefined,
      ids: typeof ids === 'string' ? ids.split(',') : undefined,
      sort: sort as string | undefined, skip: skip as number | undefined, limit: limit as number | undefined, search,
    };
    const { items, total } = await cases.list(callerOf(request), query);
    const summaries = await deliverables.summaries(items.map((c) => c._id));
    return { total, items: items.map((c) => ({ ...c, deliverables: summaries.get(c._id) })) };
  });

  app.put<{ Params: { id: string }; Body: { data: Record<string, any>; version: number } }>('/api/cases/:id/data', {
    schema: {
      tags: ['cases'],
      summary: 'Change the case data (only the parts your roles may edit; types are checked)',
      params: idParam,
      body: {
        type: 'object', required: ['data', 'version'], additionalProperties: false,
        properties: { data: formDataSchema, version: { type: 'integer', minimum: 1 } },
      },
      response: { 200: caseSchema },
    },
  }, async (request) => {
    const principal = callerOf(request);
    const before = await cases.get(principal, request.params.id);
    const updated = await cases.updateData(principal, request.params.id, request.body.data, request.body.version);
    await request.audit({ action: 'case.update', entity: { type: 'case', id: updated._id }, caseId: updated._id, changes: diffFields(before.data, updated.data) });
    return updated;
  });

  app.get<{ Params: { id: string } }>('/api/cases/:id', {
    schema: { tags: ['cases'], summary: 'One case', params: idParam, response: { 200: caseSchema } },
  }, async (request) => {
    const found = await cases.get(callerOf(request), request.params.id);
    await request.audit({ action: 'case.view', entity: { type: 'case', id: found._id }, caseId: found._id });
    return found;
  });
}
