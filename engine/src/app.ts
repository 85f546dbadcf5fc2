/**
 * Assembles the engine: opens the store, builds the services, publishes the definitions
 * found on disk and (optionally) seeds demo data. Used by main.ts and by tests.
 */
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from './clock.js';
import type { EngineConfig } from './config.js';
import { SessionStore } from './auth/sessions.js';
import { UserDirectory } from './auth/users.js';
import { DefinitionService, loadDefinitionsFromDisk } from './definitions/index.js';
import { CaseAccess } from './documents/case-access.js';
import { CaseFiles } from './documents/case-files.js';
import { CaseService } from './documents/case-service.js';
import { DocumentService } from './documents/document-service.js';
import { FormValidator } from './documents/form-validator.js';
import { buildHttpServer, type HttpOptions } from './http/server.js';
import type { EngineServices } from './services.js';
import { openStore } from './store/index.js';

export interface Engine {
  services: EngineServices;
  http: FastifyInstance;
  close(): Promise<void>;
}

export interface EngineOptions extends HttpOptions {
  clock?: Clock;
}

/** Loads forms and processes from disk; any file that fails to publish stops the start with its reasons. */
export async function publishDefinitionsFromDisk(services: EngineServices) {
  const report = await loadDefinitionsFromDisk(services.definitions, {
    formsDir: services.config.formsDir,
    processesDir: services.config.processesDir,
    publishedBy: 'system',
  });
  if (report.failed.length > 0) {
    const lines = report.failed.flatMap((f) => [`${f.file}:`, ...f.errors.map((e) => `  ${e.path || '/'}: ${e.message}`)]);
    throw new Error(`Some definitions could not be published:\n${lines.join('\n')}`);
  }
  return report;
}

export async function createEngine(config: EngineConfig, options: EngineOptions = {}): Promise<Engine> {
  const clock = options.clock ?? systemClock;
  const store = await openStore({ dataDir: config.dataDir, mongodbUri: config.mongodbUri });
  try {
    const definitions = new DefinitionService(store);
    const validator = new FormValidator();
    const users = new UserDirectory(store);
    const sessions = new SessionStore(store, config.sessions, clock);
    const cases = new CaseService(store, definitions, new CaseAccess(definitions), validator, clock);
    const documents = new DocumentService(store, definitions, cases, validator, clock);
    const caseFiles = new CaseFiles(store.files, cases, config.uploads);
    const services: EngineServices = { config, clock, store, users, sessions, definitions, cases, documents, caseFiles };
    for (const part of [definitions, users, sessions, cases, documents]) await part.init();
    const http = await buildHttpServer(services, options);
    return {
      services,
      http,
      async close() {
        await http.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
