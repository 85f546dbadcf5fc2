/** Tasks: my inbox, claim, complete with a decision and reason, reassign. */
import type { FastifyInstance } from 'fastify';
import type { EngineServices } from '../../services.js';
import { callerOf } from '../auth-plugin.js';
import { idParam } from '../schemas.js';

const taskSchema = {
  type: 'object',
  properties: {
    _id: { type: 'string' },
    instanceId: { type: 'string' },
    processKey: { type: 'string' },
    processVersion: { type: 'integer' },
    caseId: { type: 'string' },
    documentId: { type: 'string' },
    activityId: { type: 'string' },
    name: { type: 'string' },
    candidateRoles: { type: 'array', items: { type: 'string' } },
    dueAt: { type: ['string', 'null'], format: 'date-time' },
    form: { type: 'string' },
    decisions: { type: 'array', items: { type: 'string' } },
    reasonRequiredOn: { type: 'array', items: { type: 'string' } },
    inputs: {
      type: 'array',
      items: { type: 'object', properties: { decision: { type: 'string' }, name: { type: 'string' }, source: { type: 'string' } } },
    },
    status: { type: 'string' },
    assignee: { type: ['string', 'null'] },
    assigneeName: { type: 'string' },
    completedBy: { type: 'string' },
    completedByName: { type: 'string' },
    completedAt: { type: 'string', format: 'date-time' },
    decision: { type: 'string' },
    reason: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer' },
  },
} as const;

export async function taskRoutes(app: FastifyInstance, { tasks, taskChoices }: EngineServices): Promise<void> {
  app.addHook('preHandler', app.authenticated);

  app.get<{ Querystring: { caseId?: string; mine?: boolean } }>('/api/tasks', {
    schema: {
      tags: ['tasks'],
      summary: 'Open tasks the caller may act on (their roles and scope), soonest due first; mine=true for those assigned to them',
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { caseId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' }, mine: { type: 'boolean' } },
      },
      response: { 200: { type: 'array', items: taskSchema } },
    },
  }, async (request) => tasks.listFor(callerOf(request), request.query));

  app.get<{ Params: { id: string } }>('/api/tasks/:id', {
    schema: { tags: ['tasks'], summary: 'One task', params: idParam, response: { 200: taskSchema } },
  }, async (request) => tasks.get(callerOf(request), request.params.id));

  app.get<{ Params: { id: string } }>('/api/tasks/:id/choices', {
    schema: {
      tags: ['tasks'],
      summary: "The values each decision of the task carries, with the allowed options for the task's case (send the chosen value as data.<name>)",
      params: idParam,
      response: {
        200: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              decision: { type: 'string' }, name: { type: 'string' }, label: { type: 'string' },
              options: { type: 'array', items: { type: 'object', properties: { value: { type: 'string' }, label: { type: 'string' } } } },
            },
          },
        },
      },
    },
  }, async (request) => taskChoices.of(callerOf(request), request.params.id));

  app.post<{ Params: { id: string } }>('/api/tasks/:id/claim', {
    schema: { tags: ['tasks'], summary: 'Take a task so others see it is being handled', params: idParam, response: { 200: taskSchema } },
  }, async (request) => tasks.claim(callerOf(request), request.params.id));

  app.post<{ Params: { id: string }; Body: { decision: string; reason?: string; data?: Record<string, unknown> } }>('/api/tasks/:id/complete', {
    schema: {
      tags: ['tasks'],
      summary: 'Record a decision (e.g. approve or reject, with a reason where the process asks for one)',
      params: idParam,
      body: {
        type: 'object', required: ['decision'], additionalProperties: false,
        properties: {
          decision: { type: 'string', minLength: 1, maxLength: 64 },
          reason: { type: 'string', maxLength: 4000 },
          data: { type: 'object', additionalProperties: true, maxProperties: 50 },
        },
      },
      response: { 200: taskSchema },
    },
  }, async (request) => {
    const done = await tasks.complete(callerOf(request), request.params.id, request.body);
    await request.audit({
      action: 'task.decision', entity: { type: 'task', id: done._id }, ...(done.caseId ? { caseId: done.caseId } : {}),
      details: { task: done.name, decision: done.decision, ...(done.reason ? { reason: done.reason } : {}) },
    });
    return done;
  });

  app.post<{ Params: { id: string }; Body: { userId: string } }>('/api/tasks/:id/reassign', {
    schema: {
      tags: ['tasks'],
      summary: 'Give a task to a named user (roles the process or configuration allow)',
      params: idParam,
      body: { type: 'object', required: ['userId'], additionalProperties: false, properties: { userId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } } },
      response: { 200: taskSchema },
    },
  }, async (request) => {
    const moved = await tasks.reassign(callerOf(request), request.params.id, request.body.userId);
    await request.audit({ action: 'task.reassign', entity: { type: 'task', id: moved._id }, ...(moved.caseId ? { caseId: moved.caseId } : {}), details: { to: moved.assignee } });
    return moved;
  });
}
