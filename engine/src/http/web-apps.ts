/**
 * Serves the built browser apps (single-page apps) as static files, each under its URL prefix.
 * A GET for a page path the app routes itself (no file, not an API path, asking for HTML) gets
 * the app's index.html, so a reload or a link into a deep screen works. Hashed assets are cached
 * for a year; index.html never, so a new build is picked up at once.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface WebApp {
  prefix: string;
  dir: string;
}

/** Paths that belong to the API and its documentation, never to an app. */
const SERVER_PATHS = /^\/(api|docs|health|demo)(\/|$)/;

export async function webAppRoutes(app: FastifyInstance, apps: WebApp[]): Promise<(request: FastifyRequest, reply: FastifyReply) => Promise<boolean>> {
  const present = apps.filter((webApp) => existsSync(path.join(webApp.dir, 'index.html')));
  const indexes = new Map<string, string>();
  for (const [i, webApp] of present.entries()) {
    indexes.set(webApp.prefix, await readFile(path.join(webApp.dir, 'index.html'), 'utf8'));
    await app.register(fastifyStatic, {
      root: webApp.dir,
      prefix: webApp.prefix,
      decorateReply: i === 0,
      wildcard: true,
      index: false,
      setHeaders(reply, file) {
        reply.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    const bare = webApp.prefix.replace(/\/$/, '');
    app.get(webApp.prefix, { schema: { hide: true } }, async (_request, reply) => sendIndex(reply, indexes.get(webApp.prefix)!));
    if (bare) app.get(bare, { schema: { hide: true } }, async (_request, reply) => reply.redirect(webApp.prefix));
  }

  /** For the not-found handler: answers a page path with its app's index.html; false when it is not one. */
  return async (request, reply) => {
    const url = request.url.split('?')[0];
    if (request.method !== 'GET' || SERVER_PATHS.test(url) || !String(request.headers.accept ?? '').includes('text/html')) return false;
    const match = present.find((webApp) => url.startsWith(webApp.prefix));
    if (!match) return false;
    sendIndex(reply, indexes.get(match.prefix)!);
    return true;
  };
}

function sendIndex(reply: FastifyReply, html: string) {
  return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
}
