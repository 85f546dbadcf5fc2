/** Process instances: start one on a case, read its summary and history, deliver a message. */
import type { FastifyInstance } from 'fastify';
import type { EngineServices } from '../../services.js';
import { NotFoundError } from '../../errors.js';
import { callerOf, requireRole } from '../auth-plugin.js';
import { idParam } from '../schemas.js';
import type { InstanceRecord } from '../../runtime/instance-record.js';

const instanceSchema = {
  type: 'object',
  properties: {
    _id: { type: 'string' },
    processKey: { type: 'string' },
    processVersion: { type: 'integer' },
    caseId: { type: 'string' },
    documentId: { type: 'string' },
    status: { type: 'string' },
    variables: { type: 'object', additionalProperties: true },
    waiting: { type: 'array', items: { type: 'object', additionalProperties: true } },
    timers: { type: 'array', items: { type: 'object', additionalProperties: true } },
    nextTimerAt: { type: ['string', 'null'], format: 'date-time' },
    history: { type: 'array', items: { type: 'object', additionalProperties: true } },
    startedAt: { type: 'string', format: 'date-time' },
    startedBy: { type: 'string' },
    updatedAt: { type: 'string', format: 'date-time' },
    endedAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer' },
  },
} as const;

/** The instance without its engine state (internal) for the API. */
function summary(instance: InstanceRecord) {
  const { state: _state, ...rest } = instance;
  return rest;
}

export async function instanceRoutes(app: FastifyInstance, services: EngineServices): Promise<void> {
  const { runtime, cases, config } = services;
  app.addHook('preHandler', app.authenticated);

  /** An instance is visible to whoever can see its case, and to publishers (administrators). */
  const visibleInstance = async (request: Parameters<typeof callerOf>[0], id: string) => {
    const principal = callerOf(request);
    const instance = await runtime.get(id).catch(() => null);
    if (!instance) throw new NotFoundError(`No process instance ${id}`);
    const isAdmin = config.publisherRoles.some((r) => principal.roles.includes(r));
    if (!isAdmin) {
      if (!instance.caseId) throw new NotFoundError(`No process instance ${id}`);
      await cases.get(principal, instance.caseId).catch(() => {
        throw new NotFoundError(`No process instance ${id}`);
      });
    }
    return instance;
  };

  app.post<{ Params: { key: string }; Body: { caseId?: string; documentId?: string; variables?: Record<string, unknown> } }>('/api/processes/:key/instances', {
    schema: {
      tags: ['processes'],
      summary: 'Start the latest version of a process on a case the caller can see',
      params: { type: 'object', required: ['key'], properties: { key: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,63}$' } } },
      body: {
        type: 'object', required: ['caseId'], additionalProperties: false,
        properties: {
          caseId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
          documentId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
          variables: { type: 'object', additionalProperties: true, maxProperties: 100 },
        },
      },
      response: { 201: instanceSchema },
    },
  }, async (request, reply) => {
    const principal = callerOf(request);
    const caseRecord = await cases.get(principal, request.body.caseId!);
    if (request.body.documentId) {
      const doc = await services.documents.get(principal, request.body.documentId);
      if (doc.caseId !== caseRecord._id) throw new NotFoundError(`No document ${request.body.documentId} on this case`);
    }
    await services.definitions.latest('process', request.params.key);
    const instance = await runtime.start({
      processKey: request.params.key,
      caseId: caseRecord._id,
      documentId: request.body.documentId,
      variables: request.body.variables,
      startedBy: principal.userId,
    });
    return reply.status(201).send(summary(instance));
  });

  app.get<{ Params: { id: string } }>('/api/instances/:id', {
    schema: { tags: ['processes'], summary: 'A process instance: status, what it waits for, timers, history', params: idParam, response: { 200: instanceSchema } },
  }, async (request) => summary(await visibleInstance(request, request.params.id)));

  app.get<{ Params: { id: string } }>('/api/cases/:id/instances', {
    schema: { tags: ['processes'], summary: 'Process instances of a case', params: idParam, response: { 200: { type: 'array', items: instanceSchema } } },
  }, async (request) => {
    await cases.get(callerOf(request), request.params.id);
    const found = await runtime.instances.find({ caseId: request.params.id }, { sort: { startedAt: 1 }, projection: { state: 0 } });
    return found.map(summary);
  });

  app.post<{ Params: { id: string }; Body: { message: string; variables?: Record<string, unknown> } }>('/api/instances/:id/messages', {
    preHandler: requireRole(config.publisherRoles),
    schema: {
      tags: ['processes'],
      summary: 'Deliver a BPMN message or signal (by its id) to an instance',
      params: idParam,
      body: {
        type: 'object', required: ['message'], additionalProperties: false,
        properties: { message: { type: 'string', minLength: 1, maxLength: 128 }, variables: { type: 'object', additionalProperties: true, maxProperties: 50 } },
      },
      response: { 200: instanceSchema },
    },
  }, async (request) => {
    await visibleInstance(request, request.params.id);
    return summary(await runtime.deliver(request.params.id, request.body.message, request.body.variables ?? {}, callerOf(request).userId));
  });
}
