/**
 * The HTTP API: fastify with a JSON Schema on every route, OpenAPI at /docs, a body
 * size limit, and errors that never leak internals. Each area is its own plugin.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { EngineServices } from '../services.js';
import { authPlugin } from './auth-plugin.js';
import { auditPlugin } from './audit-plugin.js';
import { auditRoutes } from './routes/audit.js';
import { accountRoutes } from './routes/accounts.js';
import { appInfoRoutes } from './routes/app-info.js';
import { registerErrorHandler, registerNotFound } from './error-handler.js';
import { registerInputGuard } from './input-guard.js';
import { caseRoutes } from './routes/cases.js';
import { definitionRoutes } from './routes/definitions.js';
import { deliverableRoutes } from './routes/deliverables.js';
import { documentRoutes } from './routes/documents.js';
import { fileRoutes } from './routes/files.js';
import { importRoutes } from './routes/imports.js';
import { followUpRoutes } from './routes/follow-ups.js';
import { instanceRoutes } from './routes/instances.js';
import { oidcRoutes } from './routes/oidc.js';
import { periodReviewRoutes } from './routes/period-reviews.js';
import { reportRoutes } from './routes/reports.js';
import { taskRoutes } from './routes/tasks.js';
import { versionRoutes } from './routes/versions.js';
import { demoMailRoutes, notificationRoutes } from './routes/notifications.js';
import { fieldErrorsSchema } from './schemas.js';
import { webAppRoutes } from './web-apps.js';

export interface HttpOptions {
  logger?: boolean | object;
}

export async function buildHttpServer(services: EngineServices, options: HttpOptions = {}): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.bodyLimit,
    // Refuse extra fields instead of silently dropping them, so the client learns of its mistake.
    ajv: { customOptions: { removeAdditional: false, allErrors: true } },
    return503OnClosing: true,
  });

  registerErrorHandler(app);
  registerInputGuard(app);
  app.addSchema({ $id: 'FieldErrors', ...fieldErrorsSchema });

  await app.register(swagger, {
    openapi: {
      info: { title: 'Forms and workflow engine API', version: '0.1.0', description: 'Errors answer `{ error, message, errors: [{ path, message }] }` with the JSON pointer of each failing field.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: config.sessions.cookieName } } },
      security: [{ session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(cookie);
  await app.register(multipart, {
    limits: { fileSize: config.uploads.maxBytes + 1, files: 1, fields: 5, fieldSize: 4096, parts: 8 },
  });

  app.get('/health', {
    schema: { tags: ['system'], summary: 'Liveness and store check', response: { 200: { type: 'object', properties: { status: { type: 'string' }, store: { type: 'string' } } } } },
  }, async () => {
    await services.store.collection('definitions').findOne({});
    return { status: 'ok', store: services.store.kind };
  });

  // Until the runtime UI is served here, the root points people at the API documentation.
  const appPage = await webAppRoutes(app, config.webApps);
  registerNotFound(app, appPage);
  // Without a built runtime UI the API documentation is the front page.
  if (!app.hasRoute({ method: 'GET', url: '/' })) app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/docs'));
  await app.register(demoMailRoutes, services);
  await app.register(appInfoRoutes, services);

  await app.register(async (scope) => {
    await authPlugin(scope, services);
    await auditPlugin(scope, services.audit);
    await scope.register(oidcRoutes, services);
    await scope.register(definitionRoutes, services);
    await scope.register(versionRoutes, services);
    await scope.register(caseRoutes, services);
    await scope.register(importRoutes, services);
    await scope.register(documentRoutes, services);
    await scope.register(deliverableRoutes, services);
    await scope.register(fileRoutes, services);
    await scope.register(taskRoutes, services);
    await scope.register(notificationRoutes, services);
    await scope.register(instanceRoutes, services);
    await scope.register(followUpRoutes, services);
    await scope.register(reportRoutes, services);
    await scope.register(auditRoutes, services);
    await scope.register(accountRoutes, services);
    await scope.register(periodReviewRoutes, services);
  });

  return app;
}
