/** Documents on a case: start (prefilled), read, save a draft, submit with a signature. */
import type { FastifyInstance } from 'fastify';
import type { EngineServices } from '../../services.js';
import { callerOf } from '../auth-plugin.js';
import { documentSchema, formDataSchema, idParam } from '../schemas.js';
import { diffFields } from '../../audit/audit-log.js';
import type { DeliverableView } from '../../deliverables/deliverable-service.js';
import { displayName } from '../../auth/users.js';

/** One step of a document's history: a task of a process the document went through, decided or not. */
const historyTaskSchema = {
  type: 'object',
  properties: {
    _id: { type: 'string' },
    instanceId: { type: 'string' },
    name: { type: 'string' },
    status: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    dueAt: { type: ['string', 'null'], format: 'date-time' },
    assigneeName: { type: 'string' },
    completedAt: { type: 'string', format: 'date-time' },
    completedByName: { type: 'string' },
    decision: { type: 'string' },
    reason: { type: 'string' },
  },
} as const;

const historySchema = {
  type: 'object',
  properties: {
    instances: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          _id: { type: 'string' }, processKey: { type: 'string' }, status: { type: 'string' },
          startedAt: { type: 'string', format: 'date-time' }, endedAt: { type: 'string', format: 'date-time' },
        },
      },
    },
    tasks: { type: 'array', items: historyTaskSchema },
  },
} as const;

/** The document with the deliverable it completed or would complete (its due day and status), if its case owes one. */
function withDeliverable<T extends object>(doc: T, deliverable: DeliverableView | null | undefined) {
  return deliverable
    ? { ...doc, deliverable: { key: deliverable.key, title: deliverable.title, dueDate: deliverable.dueDate, status: deliverable.status } }
    : doc;
}

export async function documentRoutes(app: FastifyInstance, { documents, deliverables, users, runtime, tasks }: EngineServices): Promise<void> {
  app.addHook('preHandler', app.authenticated);

  app.post<{ Params: { id: string }; Body: { form: string } }>('/api/cases/:id/documents', {
    schema: {
      tags: ['documents'],
      summary: 'Start a draft of a form on a case, prefilled from the case',
      params: idParam,
      body: { type: 'object', required: ['form'], additionalProperties: false, properties: { form: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,63}$' } } },
      response: { 201: documentSchema },
    },
  }, async (request, reply) => {
    const created = await documents.create(callerOf(request), request.params.id, request.body.form);
    await request.audit({ action: 'document.create', entity: { type: 'document', id: created._id }, caseId: created.caseId, details: { form: created.form, formVersion: created.formVersion } });
    return reply.status(201).send(created);
  });

  app.get<{ Params: { id: string } }>('/api/cases/:id/documents', {
    schema: { tags: ['documents'], summary: 'Documents on a case (without their data)', params: idParam, response: { 200: { type: 'array', items: documentSchema } } },
  }, async (request) => {
    const list = await documents.listForCase(callerOf(request), request.params.id);
    const owed = await deliverables.forDocuments(request.params.id, list);
    return list.map((doc) => withDeliverable(doc, owed.get(doc._id)));
  });

  app.get<{ Params: { id: string } }>('/api/documents/:id', {
    schema: { tags: ['documents'], summary: 'One document with its data, whether the caller may change it, and who changed it last', params: idParam, response: { 200: documentSchema } },
  }, async (request) => {
    const principal = callerOf(request);
    const found = await documents.get(principal, request.params.id);
    await request.audit({ action: 'document.view', entity: { type: 'document', id: found._id }, caseId: found.caseId });
    const editor = await users.byId(found.updatedBy);
    return {
      ...withDeliverable(found, await deliverables.forDocument(found)),
      mayEdit: await documents.mayEdit(principal, found),
      ...(editor ? { updatedByName: displayName(editor) } : {}),
    };
  });

  app.get<{ Params: { id: string } }>('/api/documents/:id/history', {
    schema: {
      tags: ['documents'],
      summary: 'The processes a document went through and their tasks (open, decided with the decision and reason, or closed), oldest first',
      params: idParam,
      response: { 200: historySchema },
    },
  }, async (request) => {
    const found = await documents.get(callerOf(request), request.params.id);
    const [instances, steps] = await Promise.all([
      runtime.instances.find({ documentId: found._id }, { sort: { startedAt: 1 }, projection: { _id: 1, processKey: 1, status: 1, startedAt: 1, endedAt: 1 } }),
      tasks.tasks.find({ documentId: found._id }, { sort: { createdAt: 1 } }),
    ]);
    return { instances, tasks: steps };
  });

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
  }, async (request) => {
    const principal = callerOf(request);
    const before = await documents.get(principal, request.params.id);
    const saved = await documents.saveDraft(principal, request.params.id, request.body.data, request.body.version);
    await request.audit({ action: 'document.save', entity: { type: 'document', id: saved._id }, caseId: saved.caseId, changes: diffFields(before.data, saved.data) });
    return saved;
  });

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
  }, async (request) => {
    const principal = callerOf(request);
    const before = await documents.get(principal, request.params.id);
    const submitted = await documents.submit(principal, request.params.id, {
      data: request.body.data,
      signatureName: request.body.signature.name,
      expectedVersion: request.body.version,
    });
    await request.audit({
      action: 'document.submit', entity: { type: 'document', id: submitted._id }, caseId: submitted.caseId,
      changes: diffFields(before.data, submitted.data), details: { signedBy: submitted.signature?.signerName },
    });
    return submitted;
  });
}
