/** Case files: upload (multipart, streamed), list, download under the case's access rules. */
import type { FastifyInstance } from 'fastify';
import type { EngineServices } from '../../services.js';
import { BadRequestError } from '../../errors.js';
import { callerOf } from '../auth-plugin.js';
import { caseFileSchema, idParam } from '../schemas.js';

/** RFC 6266 / 5987 Content-Disposition that survives any file name. */
function attachmentHeader(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function fileRoutes(app: FastifyInstance, { caseFiles }: EngineServices): Promise<void> {
  app.addHook('preHandler', app.authenticated);

  app.post<{ Params: { id: string } }>('/api/cases/:id/files', {
    schema: {
      tags: ['files'],
      summary: 'Upload a file to a case: multipart/form-data with a "description" field, then the "file" part',
      consumes: ['multipart/form-data'],
      params: idParam,
      response: { 201: caseFileSchema },
    },
  }, async (request, reply) => {
    if (!request.isMultipart()) {
      throw new BadRequestError('Send the file as multipart/form-data', [{ path: '/file', message: 'is required' }]);
    }
    // Fields sent before the file part (the description) arrive with it.
    const part = await request.file();
    if (!part || part.fieldname !== 'file') {
      part?.file.resume();
      throw new BadRequestError('No file was sent', [{ path: '/file', message: 'is required (a multipart part named "file")' }]);
    }
    const descriptionField = part.fields.description;
    const description = descriptionField && !Array.isArray(descriptionField) && descriptionField.type === 'field' ? String(descriptionField.value ?? '') : '';
    const stored = await caseFiles.upload(callerOf(request), request.params.id, part.file, {
      filename: part.filename,
      contentType: part.mimetype,
      description,
    });
    await request.audit({ action: 'file.upload', entity: { type: 'file', id: stored.id }, caseId: stored.caseId, details: { name: stored.name, size: stored.size } });
    return reply.status(201).send(stored);
  });

  app.get<{ Params: { id: string } }>('/api/cases/:id/files', {
    schema: { tags: ['files'], summary: 'Files on a case', params: idParam, response: { 200: { type: 'array', items: caseFileSchema } } },
  }, async (request) => caseFiles.list(callerOf(request), request.params.id));

  app.get<{ Params: { id: string } }>('/api/files/:id', {
    schema: { tags: ['files'], summary: 'Download a file', params: idParam },
  }, async (request, reply) => {
    const { file, content } = await caseFiles.open(callerOf(request), request.params.id);
    await request.audit({ action: 'file.download', entity: { type: 'file', id: file.id }, caseId: file.caseId, details: { name: file.name } });
    reply
      .header('content-type', file.contentType)
      .header('content-length', String(file.size))
      .header('content-disposition', attachmentHeader(file.name))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store');
    return reply.send(content);
  });
}
